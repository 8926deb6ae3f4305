package webui

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
)

// visitorTap records the widget messages a server hands to the router.
type visitorTap struct {
	mu  sync.Mutex
	ins []contacts.Inbound
}

func (v *visitorTap) install(s *Server) {
	s.visitorTap = func(in contacts.Inbound) {
		v.mu.Lock()
		defer v.mu.Unlock()
		v.ins = append(v.ins, in)
	}
}

func (v *visitorTap) all() []contacts.Inbound {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]contacts.Inbound(nil), v.ins...)
}

// countContacts is how many contacts the env's project has.
func (e *testEnv) countContacts() int {
	e.t.Helper()
	return len(e.do("GET", "/api/v1/contacts", nil).must(e.t, 200).list("contacts"))
}

// dialWidget opens a visitor's socket.
func (e *testEnv) dialWidget(key, visitor string, hdr http.Header) *websocket.Conn {
	e.t.Helper()
	url := strings.Replace(e.base, "http://", "ws://", 1) + "/channels/widget/" + key + "/ws?visitor_id=" + visitor
	conn, resp, err := websocket.DefaultDialer.Dial(url, hdr)
	if err != nil {
		e.t.Fatalf("dial: %v %v", err, resp)
	}
	e.t.Cleanup(func() { conn.Close() })
	return conn
}

// readFrame reads one frame, failing the test after a few seconds.
func readFrame(t testing.TB, conn *websocket.Conn) socketFrame {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f socketFrame
	if err := conn.ReadJSON(&f); err != nil {
		t.Fatalf("read: %v", err)
	}
	return f
}

const testIdentitySecret = "site-identity-secret-0001"

func TestWidgetIdentitySecretIsWriteOnly(t *testing.T) {
	e := newEnv(t)
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"identity_secret": testIdentitySecret}}).must(t, 201)
	for _, r := range []*response{ch, e.do("GET", fmt.Sprintf("/api/v1/channels/%d", ch.id()), nil).must(t, 200), e.do("GET", "/api/v1/channels", nil).must(t, 200)} {
		if strings.Contains(string(r.raw), testIdentitySecret) || !strings.Contains(string(r.raw), `"identity_secret_set":true`) {
			t.Errorf("secret shown: %s", r.raw)
		}
	}
	// A PATCH of something else keeps it; null removes it.
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", ch.id()), map[string]any{"config": map[string]any{"collect": []string{"email"}}}).must(t, 200)
	if got := e.do("GET", fmt.Sprintf("/api/v1/channels/%d", ch.id()), nil).must(t, 200); !strings.Contains(string(got.raw), `"identity_secret_set":true`) {
		t.Errorf("after an unrelated PATCH: %s", got.raw)
	}
	audit := e.do("GET", "/api/v1/audit", nil).must(t, 200)
	if strings.Contains(string(audit.raw), testIdentitySecret) || strings.Contains(e.logs.String(), testIdentitySecret) {
		t.Error("the secret reached the audit log or the server log")
	}
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", ch.id()), map[string]any{"config": map[string]any{"identity_secret": nil}}).must(t, 200)
	if got := e.do("GET", fmt.Sprintf("/api/v1/channels/%d", ch.id()), nil).must(t, 200); !strings.Contains(string(got.raw), `"identity_secret_set":false`) {
		t.Errorf("after removing it: %s", got.raw)
	}
	r := e.do("POST", "/api/v1/channels", map[string]any{"type": "livechat", "config": map[string]any{"identity_secret": "short"}}).mustError(t, 422, "validation_failed")
	if r.errFields()["config.identity_secret"] == nil {
		t.Errorf("short secret: %s", r.raw)
	}
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", ch.id()), map[string]any{"config": map[string]any{"identity_secret": "short"}}).mustError(t, 422, "validation_failed")
}

// identityCases are the claims a message can make, on a channel with a
// secret unless noSecret; want401 ones are refused and store nothing.
var identityCases = []struct {
	name     string
	noSecret bool
	id, hash string
	want401  bool
}{
	{name: "valid", id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-42")},
	{name: "wrong hash", id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-43"), want401: true},
	{name: "hash under another secret", id: "user-42", hash: widget.SignIdentifier("another-secret-entirely", "user-42"), want401: true},
	{name: "garbage hash", id: "user-42", hash: "not-hex", want401: true},
	{name: "hash without identifier", hash: widget.SignIdentifier(testIdentitySecret, "user-42"), want401: true},
	{name: "identifier without hash", id: "user-42", want401: true},
	{name: "hash on a channel without a secret", noSecret: true, id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-42"), want401: true},
}

func TestWidgetIdentityHTTP(t *testing.T) {
	var tap visitorTap
	e := newEnv(t, tap.install)
	withSecret := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"identity_secret": testIdentitySecret}}).must(t, 201).body["public_key"].(string)
	noSecret := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	for i, tc := range identityCases {
		key := withSecret
		if tc.noSecret {
			key = noSecret
		}
		body := fmt.Sprintf(`{"visitor_id": "visitor_id_%03d", "text": "hello", "identifier": %q, "identifier_hash": %q}`, i, tc.id, tc.hash)
		before, tapped := e.countContacts(), len(tap.all())
		r := e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", body)
		if !tc.want401 {
			r.must(t, 201)
			ins := tap.all()
			if len(ins) != tapped+1 || ins[len(ins)-1].VerifiedExternalID != tc.id {
				t.Errorf("%s: the router got %+v", tc.name, ins[tapped:])
			}
			if e.countContacts() != before+1 {
				t.Errorf("%s: the message made no contact", tc.name)
			}
			continue
		}
		r.mustError(t, 401, "unauthorized")
		if msg, _ := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "identif") {
			t.Errorf("%s: unclear message %q", tc.name, msg)
		}
		if len(tap.all()) != tapped || e.countContacts() != before {
			t.Errorf("%s: a refused message was recorded", tc.name)
		}
	}
	// An anonymous visitor on a channel with a secret is fine, unverified.
	e.doOrigin("", "POST", "/channels/widget/"+withSecret+"/messages", `{"visitor_id": "visitor_anon1", "text": "hi"}`).must(t, 201)
	if ins := tap.all(); ins[len(ins)-1].VerifiedExternalID != "" {
		t.Errorf("anonymous visitor verified as %q", ins[len(ins)-1].VerifiedExternalID)
	}
}

func TestWidgetIdentitySocket(t *testing.T) {
	var tap visitorTap
	e := newEnv(t, tap.install)
	withSecret := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"identity_secret": testIdentitySecret}}).must(t, 201).body["public_key"].(string)
	noSecret := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	for i, tc := range identityCases {
		key := withSecret
		if tc.noSecret {
			key = noSecret
		}
		conn := e.dialWidget(key, fmt.Sprintf("visitor_ws_%03d", i), nil)
		before, tapped := e.countContacts(), len(tap.all())
		conn.WriteJSON(map[string]string{"text": "hello", "identifier": tc.id, "identifier_hash": tc.hash})
		f := readFrame(t, conn)
		if !tc.want401 {
			ins := tap.all()
			if f.Type != "ack" || len(ins) != tapped+1 || ins[len(ins)-1].VerifiedExternalID != tc.id {
				t.Errorf("%s: frame %+v, the router got %+v", tc.name, f, ins[tapped:])
			}
			continue
		}
		if f.Type != "error" || f.Error == nil || f.Error.Code != "unauthorized" || !strings.Contains(f.Error.Message, "identif") {
			t.Errorf("%s: frame %+v", tc.name, f)
		}
		if len(tap.all()) != tapped || e.countContacts() != before {
			t.Errorf("%s: a refused message was recorded", tc.name)
		}
	}
}
