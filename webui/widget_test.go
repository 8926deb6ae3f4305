package webui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels/widget/geoiptest"
)

// doOrigin sends a public widget request with a browser Origin.
func (e *testEnv) doOrigin(origin, method, path string, body any) *response {
	e.t.Helper()
	var req *http.Request
	var err error
	if body == nil {
		req, err = http.NewRequest(method, e.base+path, nil)
	} else {
		req, err = http.NewRequest(method, e.base+path, strings.NewReader(body.(string)))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		e.t.Fatal(err)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return e.send(req)
}

func (e *testEnv) drainJobs() {
	e.t.Helper()
	for {
		ran, err := e.srv.router.Worker().RunOne(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

func TestChannelsAPI(t *testing.T) {
	e := newEnv(t)
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "name": "Shop", "config": map[string]any{
		"allowed_origins": []string{"https://shop.example.com"}, "collect": []string{"email"}}}).must(t, 201)
	key, _ := ch.body["public_key"].(string)
	if !strings.HasPrefix(key, "pk_") || ch.body["name"] != "Shop" {
		t.Fatalf("created channel: %s", ch.raw)
	}
	id := ch.id()
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", id), map[string]any{"config": map[string]any{"collect": []string{"name", "email"}}}).must(t, 200)
	got := e.do("GET", fmt.Sprintf("/api/v1/channels/%d", id), nil).must(t, 200)
	cfg := got.body["config"].(map[string]any)
	if len(cfg["allowed_origins"].([]any)) != 1 || len(cfg["collect"].([]any)) != 2 {
		t.Errorf("merged config: %s", got.raw)
	}
	if n := len(e.do("GET", "/api/v1/channels", nil).must(t, 200).list("channels")); n != 1 {
		t.Errorf("%d channels listed", n)
	}
	e.do("POST", "/api/v1/channels", map[string]any{"type": "fax"}).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/channels", map[string]any{"name": "no type"}).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"allowed_origins": []string{"not a url"}}}).mustError(t, 422, "validation_failed")
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", id), map[string]any{"type": "livechat"}).mustError(t, 422, "validation_failed")
	_, other := e.newProject("Other")
	e.doAs(other, "GET", fmt.Sprintf("/api/v1/channels/%d", id), nil).mustError(t, 404, "not_found")
	e.doAs(other, "DELETE", fmt.Sprintf("/api/v1/channels/%d", id), nil).mustError(t, 404, "not_found")
	e.do("DELETE", fmt.Sprintf("/api/v1/channels/%d", id), nil).must(t, 204)
	e.do("GET", fmt.Sprintf("/api/v1/channels/%d", id), nil).mustError(t, 404, "not_found")
}

// The widget and the hosted live-chat page share the visitor endpoints; the
// conversation is the same on both, and the contact's channel says which.
func TestWidgetConversationWithStaff(t *testing.T) {
	for _, typ := range []string{"widget", "livechat"} {
		t.Run(typ, func(t *testing.T) { widgetConversationWithStaff(t, typ) })
	}
}

func widgetConversationWithStaff(t *testing.T, typ string) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": typ, "config": map[string]any{
		"allowed_origins": []string{"https://shop.example.com"}}}).must(t, 201).body["public_key"].(string)
	path := "/channels/widget/" + key + "/messages"
	shop := "https://shop.example.com"
	msg := `{"visitor_id": "visitor_0001", "client_message_id": "c-0000000001", "text": "Do you ship to Lisbon?", "name": "Ana Silva", "email": "ana@example.com"}`

	first := e.doOrigin(shop, "POST", path, msg).must(t, 201)
	if first.header.Get("Access-Control-Allow-Origin") != shop {
		t.Errorf("CORS header: %v", first.header)
	}
	again := e.doOrigin(shop, "POST", path, msg).must(t, 200)
	if again.body["duplicate"] != true {
		t.Errorf("resend: %s", again.raw)
	}
	e.doOrigin("https://evil.example", "POST", path, msg).mustError(t, 403, "forbidden")
	e.doOrigin(shop, "POST", "/channels/widget/pk_nope/messages", msg).mustError(t, 404, "not_found")
	e.doOrigin(shop, "POST", path, `{"visitor_id": "x", "text": ""}`).mustError(t, 422, "validation_failed")
	e.doOrigin(shop, "POST", path, `{"visitor_id": "visitor_0001", "text": "hi", "email": "nope"}`).mustError(t, 422, "validation_failed")
	e.doOrigin(shop, "POST", path, `{"visitor_id": 5}`).mustError(t, 400, "bad_request")
	if pre := e.doOrigin(shop, "OPTIONS", path, nil); pre.status != 204 || pre.header.Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}

	// The contact exists with the form's values, and the greeting is queued.
	list := e.do("GET", "/api/v1/contacts?q=ana@example.com", nil).must(t, 200)
	contacts := list.list("contacts")
	if len(contacts) != 1 || contacts[0]["first_name"] != "Ana" || contacts[0]["channel"] != typ {
		t.Fatalf("contact: %s", list.raw)
	}
	if custom := contacts[0]["custom"].(map[string]any); custom["last_ip"] != "127.0.0.1" || custom["last_user_agent"] == "" {
		t.Errorf("visitor details: %v", custom)
	}
	e.drainJobs()
	poll := e.doOrigin(shop, "GET", path+"?visitor_id=visitor_0001", nil).must(t, 200)
	msgs := poll.list("messages")
	if len(msgs) != 2 || msgs[1]["sender_kind"] != "bot" || !strings.HasPrefix(msgs[1]["text"].(string), "Hi Ana!") {
		t.Fatalf("poll: %s", poll.raw)
	}
	conv := int64(msgs[0]["conversation_id"].(float64))
	last := int64(msgs[1]["id"].(float64))

	// Staff take over and answer; the visitor sees it on the next poll.
	e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/handoff", conv), map[string]any{"to": "human"}).must(t, 200)
	sent := e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), map[string]any{"text": "Yes, in 3 days."}).must(t, 201)
	if sent.body["do_not_contact"] != false || sent.body["message"].(map[string]any)["status"] != "stored" {
		t.Errorf("staff message: %s", sent.raw)
	}
	e.doOrigin(shop, "POST", path, `{"visitor_id": "visitor_0001", "text": "great, thanks"}`).must(t, 201)
	e.drainJobs() // the bot stays silent while staff have the conversation
	poll = e.doOrigin(shop, "GET", fmt.Sprintf("%s?visitor_id=visitor_0001&after=%d", path, last), nil).must(t, 200)
	msgs = poll.list("messages")
	if len(msgs) != 2 || msgs[0]["text"] != "Yes, in 3 days." || msgs[0]["sender_kind"] != "staff" || msgs[1]["text"] != "great, thanks" {
		t.Errorf("after staff reply: %s", poll.raw)
	}
	e.doOrigin(shop, "GET", path+"?visitor_id=bad", nil).mustError(t, 422, "validation_failed")
	e.doOrigin(shop, "GET", path+"?visitor_id=visitor_0001&after=-1", nil).mustError(t, 422, "validation_failed")

	// The visitor opts out: staff may still write, and the answer says so.
	e.doOrigin(shop, "POST", path, `{"visitor_id": "visitor_0001", "text": "STOP"}`).must(t, 201)
	optedOut := e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), map[string]any{"text": "Noted, no more messages from the bot."}).must(t, 201)
	if optedOut.body["do_not_contact"] != true {
		t.Errorf("staff message to an opted-out visitor: %s", optedOut.raw)
	}

	e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/handoff", conv), map[string]any{"to": "martians"}).mustError(t, 422, "validation_failed")
	e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), map[string]any{"text": " "}).mustError(t, 422, "validation_failed")
	_, other := e.newProject("Other")
	e.doAs(other, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), map[string]any{"text": "hi"}).mustError(t, 404, "not_found")
	e.doAs(other, "POST", fmt.Sprintf("/api/v1/conversations/%d/close", conv), nil).mustError(t, 404, "not_found")
	closed := e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/close", conv), nil).must(t, 200)
	if closed.body["status"] != "closed" {
		t.Errorf("close: %s", closed.raw)
	}
	e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/close", conv), nil).mustError(t, 409, "conflict")
}

func TestWidgetClientAddress(t *testing.T) {
	post := func(e *testEnv, key, visitor, xff string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest("POST", e.base+"/channels/widget/"+key+"/messages",
			strings.NewReader(`{"visitor_id": "`+visitor+`", "text": "hi", "page_url": "https://shop.example.com/pricing"}`))
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		e.send(req).must(t, 201)
		for _, c := range e.do("GET", "/api/v1/contacts?channel=widget", nil).must(t, 200).list("contacts") {
			if ids, _ := c["identities"].([]any); len(ids) > 0 && ids[0].(map[string]any)["external_id"] == visitor {
				return c
			}
		}
		t.Fatalf("no contact for %s", visitor)
		return nil
	}
	// From an untrusted peer the header is ignored.
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	if c := post(e, key, "visitor_ip_0", "203.0.113.7, 10.0.0.2")["custom"].(map[string]any); c["last_ip"] != "127.0.0.1" || c["last_page_url"] != "https://shop.example.com/pricing" {
		t.Errorf("untrusted: %v", c)
	}
	// Behind trusted proxies the header is read from the right, past our
	// own proxies: what lies left of the first foreign address was written
	// by the client, and the client can write anything.
	testTrustedProxies = []string{"127.0.0.1", "10.0.0.0/8"}
	defer func() { testTrustedProxies = nil }()
	e = newEnv(t)
	db := geoiptest.Write(t, geoiptest.Place{Network: "203.0.113.0/24", Country: "PT", Region: "Lisbon", City: "Lisbon"})
	key = e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"geoip_db": db}}).must(t, 201).body["public_key"].(string)
	for i, tc := range []struct{ xff, want string }{
		{"203.0.113.7, 10.0.0.2", "203.0.113.7"},    // client, then our inner proxy
		{"1.2.3.4, 198.51.100.20", "198.51.100.20"}, // a spoofed first address
		{"1.2.3.4,198.51.100.20,10.1.2.3", "198.51.100.20"},
		{"10.0.0.9", "10.0.0.9"},                  // only our proxies: the farthest one
		{"", "127.0.0.1"},                         // no header: the peer
		{"203.0.113.7, not-an-ip", "127.0.0.1"},   // garbage from a proxy: the last hop we trust
		{"::ffff:198.51.100.30", "198.51.100.30"}, // IPv4 written as IPv6
	} {
		if c := post(e, key, fmt.Sprintf("visitor_ip_%d", i+1), tc.xff)["custom"].(map[string]any); c["last_ip"] != tc.want {
			t.Errorf("X-Forwarded-For %q: last_ip %v, want %s", tc.xff, c["last_ip"], tc.want)
		}
	}
	// The channel's GeoIP database locates the forwarded address.
	located := post(e, key, "visitor_ip_1", "203.0.113.7, 10.0.0.2")
	if located["country"] != "PT" || located["region"] != "Lisbon" || located["city"] != "Lisbon" {
		t.Errorf("GeoIP: %v %v %v", located["country"], located["region"], located["city"])
	}
}

func TestWhatsAppPairingState(t *testing.T) {
	e := newEnv(t)
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "whatsapp", "name": "Shop phone"}).must(t, 201)
	st := e.do("GET", fmt.Sprintf("/api/v1/channels/%d/pairing", ch.id()), nil).must(t, 200)
	if st.body["state"] != "unpaired" || st.body["qr"] != nil {
		t.Errorf("pairing state: %s", st.raw)
	}
	tg := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201)
	e.do("GET", fmt.Sprintf("/api/v1/channels/%d/pairing", tg.id()), nil).mustError(t, 404, "not_found")
	e.do("POST", fmt.Sprintf("/api/v1/channels/%d/pairing", ch.id()), map[string]any{"phone": "12"}).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/channels", map[string]any{"type": "whatsapp", "config": map[string]any{"token": "x"}}).mustError(t, 422, "validation_failed")
}

func TestWidgetVisitorLimit(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	path := "/channels/widget/" + key + "/messages"
	for i := 0; i < visitorLimit; i++ {
		e.doOrigin("", "POST", path, fmt.Sprintf(`{"visitor_id": "visitor_busy1", "text": "msg %d"}`, i)).must(t, 201)
	}
	e.doOrigin("", "POST", path, `{"visitor_id": "visitor_busy1", "text": "one too many"}`).mustError(t, 429, "rate_limited")
	e.doOrigin("", "POST", path, `{"visitor_id": "visitor_calm1", "text": "hi"}`).must(t, 201) // another visitor is fine
	l := newWindowLimiter(2, time.Minute)
	now := time.Now()
	l.now = func() time.Time { return now }
	if !l.allow("a") || !l.allow("a") || l.allow("a") {
		t.Error("limit of 2")
	}
	now = now.Add(time.Minute)
	if !l.allow("a") {
		t.Error("a new window")
	}
}

func TestWidgetAssets(t *testing.T) {
	e := newEnv(t)
	js := e.doOrigin("", "GET", "/widget.js", nil)
	if js.status != 200 || !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") || !strings.Contains(string(js.raw), "/channels/widget/") {
		t.Errorf("widget.js: %d %v", js.status, js.header)
	}
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "livechat", "name": `<img src=x onerror=alert(1)>`}).must(t, 201).body["public_key"].(string)
	page := e.doOrigin("", "GET", "/chat/"+key, nil)
	if page.status != 200 || !strings.Contains(string(page.raw), `data-key="`+key+`"`) || strings.Contains(string(page.raw), "<img src=x") {
		t.Errorf("chat page: %d %s", page.status, page.raw)
	}
	e.doOrigin("", "GET", "/chat/pk_unknown", nil).mustError(t, 404, "not_found")
}
