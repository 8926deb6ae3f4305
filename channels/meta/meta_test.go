package meta

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
)

func TestVerifyAndSignature(t *testing.T) {
	if c, ok := Verify("subscribe", "tok", "12345", "tok"); !ok || c != "12345" {
		t.Error("good handshake refused")
	}
	for _, bad := range [][2]string{{"subscribe", "nope"}, {"unsubscribe", "tok"}, {"subscribe", ""}} {
		if _, ok := Verify(bad[0], bad[1], "1", "tok"); ok {
			t.Errorf("%v accepted", bad)
		}
	}
	body := []byte(`{"object":"page","entry":[{"id":"1","messaging":[{"message":{"text":"caf\u00e9"}}]}]}`)
	sig := Sign(body, "app-secret")
	if CheckSignature(body, sig, "app-secret") != nil {
		t.Error("good signature refused")
	}
	for _, h := range []string{"", "sha1=abc", "sha256=zz", Sign(body, "other"), Sign(append(body, ' '), "app-secret")} {
		if CheckSignature(body, h, "app-secret") == nil {
			t.Errorf("signature %q accepted", h)
		}
	}
}

func TestClientClassifiesErrors(t *testing.T) {
	status, code, retryAfter := 0, 0, ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(401)
			return
		}
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"message":"x","type":"OAuthException","code":` + strconv.Itoa(code) + `}}`))
	}))
	defer srv.Close()
	c := NewClient()
	cases := []struct {
		status, code int
		retryAfter   string
		retry        bool
		after        time.Duration
	}{
		{400, 100, "", false, 0},
		{400, 613, "", true, 0},
		{429, 4, "7", true, 7 * time.Second},
		{503, 2, "", true, 0},
		{403, 10, "", false, 0},
	}
	for _, tc := range cases {
		status, code, retryAfter = tc.status, tc.code, tc.retryAfter
		err := c.Post(context.Background(), srv.URL, "tok", map[string]string{"a": "b"}, nil)
		after, retry := channels.IsRetryable(err)
		if err == nil || retry != tc.retry || after != tc.after {
			t.Errorf("%d/%d: err=%v retry=%v after=%v", tc.status, tc.code, err, retry, after)
		}
	}
}
