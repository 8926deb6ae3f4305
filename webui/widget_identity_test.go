package webui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/switchboard-oss/switchboard/channels/widget"
)

// identified lists the contacts the site's user id was linked to.
func (e *testEnv) identified(userID string) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for _, c := range e.do("GET", "/api/v1/contacts", nil).must(e.t, 200).list("contacts") {
		if c["external_id"] == userID {
			out = append(out, c)
		}
	}
	return out
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
type identityCase struct {
	name     string
	noSecret bool
	id, hash string
	want401  bool
}

var identityCases = []identityCase{
	{name: "valid", id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-42")},
	{name: "wrong hash", id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-43"), want401: true},
	{name: "hash under another secret", id: "user-42", hash: widget.SignIdentifier("another-secret-entirely", "user-42"), want401: true},
	{name: "garbage hash", id: "user-42", hash: "not-hex", want401: true},
	{name: "hash without identifier", hash: widget.SignIdentifier(testIdentitySecret, "user-42"), want401: true},
	{name: "identifier without hash", id: "user-42", want401: true},
	{name: "hash on a channel without a secret", noSecret: true, id: "user-42", hash: widget.SignIdentifier(testIdentitySecret, "user-42"), want401: true},
}

// identityWidgets makes a widget with an identity secret and one without;
// keyFor picks a case's, withSecret is the first's key.
func (e *testEnv) identityWidgets() (keyFor func(identityCase) string, withSecret string) {
	e.t.Helper()
	withSecret = e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"identity_secret": testIdentitySecret}}).must(e.t, 201).body["public_key"].(string)
	noSecret := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(e.t, 201).body["public_key"].(string)
	return func(tc identityCase) string {
		if tc.noSecret {
			return noSecret
		}
		return withSecret
	}, withSecret
}

func TestWidgetIdentityHTTP(t *testing.T) {
	e := newEnv(t)
	keyFor, withSecret := e.identityWidgets()
	for i, tc := range identityCases {
		key := keyFor(tc)
		body := fmt.Sprintf(`{"visitor_id": "visitor_id_%03d", "text": "hello", "identifier": %q, "identifier_hash": %q}`, i, tc.id, tc.hash)
		before := e.countContacts()
		r := e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", body)
		if !tc.want401 {
			r.must(t, 201)
			if got := e.identified(tc.id); len(got) != 1 || e.countContacts() != before+1 {
				t.Errorf("%s: contacts with external id %s: %v", tc.name, tc.id, got)
			}
			// The same user in another browser is the same contact.
			again := fmt.Sprintf(`{"visitor_id": "visitor_id_%03d_b", "text": "me again", "identifier": %q, "identifier_hash": %q}`, i, tc.id, tc.hash)
			e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", again).must(t, 201)
			if got := e.identified(tc.id); len(got) != 1 || e.countContacts() != before+1 {
				t.Errorf("%s: a second browser of the user made another contact: %v", tc.name, got)
			}
			continue
		}
		r.mustError(t, 401, "unauthorized")
		if msg, _ := r.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "identif") {
			t.Errorf("%s: unclear message %q", tc.name, msg)
		}
		if e.countContacts() != before {
			t.Errorf("%s: a refused message was recorded", tc.name)
		}
	}
	// An anonymous visitor on a channel with a secret is fine, unverified;
	// logging in later joins them to the user.
	before := e.countContacts()
	e.doOrigin("", "POST", "/channels/widget/"+withSecret+"/messages", `{"visitor_id": "visitor_anon1", "text": "hi"}`).must(t, 201)
	if e.countContacts() != before+1 {
		t.Fatal("the anonymous visitor made no contact")
	}
	login := fmt.Sprintf(`{"visitor_id": "visitor_anon1", "text": "logged in", "identifier": "user-42", "identifier_hash": %q}`,
		widget.SignIdentifier(testIdentitySecret, "user-42"))
	e.doOrigin("", "POST", "/channels/widget/"+withSecret+"/messages", login).must(t, 201)
	if got := e.identified("user-42"); len(got) != 1 || e.countContacts() != before {
		t.Errorf("after logging in: %d contacts, user-42's: %v", e.countContacts(), got)
	}
}

func TestWidgetIdentitySocket(t *testing.T) {
	e := newEnv(t)
	keyFor, _ := e.identityWidgets()
	for i, tc := range identityCases {
		key := keyFor(tc)
		conn := e.dialWidget(key, fmt.Sprintf("visitor_ws_%03d", i), nil)
		before := e.countContacts()
		conn.WriteJSON(map[string]string{"text": "hello", "identifier": tc.id, "identifier_hash": tc.hash})
		f := readFrame(t, conn)
		if !tc.want401 {
			if got := e.identified(tc.id); f.Type != "ack" || len(got) != 1 {
				t.Errorf("%s: frame %+v, contacts with external id %s: %v", tc.name, f, tc.id, got)
			}
			continue
		}
		if f.Type != "error" || f.Error == nil || f.Error.Code != "unauthorized" || !strings.Contains(f.Error.Message, "identif") {
			t.Errorf("%s: frame %+v", tc.name, f)
		}
		if e.countContacts() != before {
			t.Errorf("%s: a refused message was recorded", tc.name)
		}
	}
}
