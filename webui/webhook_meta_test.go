package webui

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/channels/meta/metatest"
)

func (e *testEnv) metaPost(path, signature string, body []byte) *response {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.base+path, strings.NewReader(string(body)))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(meta.SignatureHeader, signature)
	}
	return e.send(req)
}

func TestMetaWebhooks(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	graph.Profiles = map[string][2]string{"6543210987654321": {"Marta", "Gomes"}}
	e := newEnv(t)
	const secret, verify = "app-secret-1", "verify-token-1"
	for _, tc := range []struct {
		typ, config, fixture, sender, recipient, sentPath string
	}{
		{"messenger", `"page_access_token": "EAAG-page-token-123"`, "../channels/messenger/testdata/page.json", "6543210987654321", "recipient", "/v21.0/me/messages"},
		{"whatsapp-cloud", `"access_token": "EAAG-system-token-1", "phone_number_id": "106540352242922"`, "../channels/whatsappcloud/testdata/text.json", "5511912345678", "to", "/v21.0/106540352242922/messages"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			cfg := `{"type": "` + tc.typ + `", "config": {` + tc.config + `, "app_secret": "` + secret + `", "verify_token": "` + verify + `", "graph_url": "` + graph.URL + `"}}`
			ch := e.do("POST", "/api/v1/channels", cfg).must(t, 201)
			if strings.Contains(string(ch.raw), "EAAG") || strings.Contains(string(ch.raw), secret) {
				t.Fatalf("secrets returned: %s", ch.raw)
			}
			hook := fmt.Sprintf("/channels/%s/%d/webhook", tc.typ, ch.id())

			q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {verify}, "hub.challenge": {"1158201444"}}
			res, err := http.Get(e.base + hook + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			record("GET", hook, res.StatusCode)
			if res.StatusCode != 200 || string(body) != "1158201444" {
				t.Errorf("handshake: %d %q", res.StatusCode, body)
			}
			q.Set("hub.verify_token", "wrong")
			e.doOrigin("", "GET", hook+"?"+q.Encode(), nil).mustError(t, 403, "forbidden")

			payload, _ := os.ReadFile(tc.fixture)
			e.metaPost(hook, "", payload).mustError(t, 401, "unauthorized")
			e.metaPost(hook, meta.Sign(payload, "not-the-secret"), payload).mustError(t, 401, "unauthorized")
			e.metaPost(hook, meta.Sign([]byte("{}"), secret), payload).mustError(t, 401, "unauthorized")
			bad := []byte(`{"object": `)
			e.metaPost(hook, meta.Sign(bad, secret), bad).mustError(t, 400, "bad_request")
			e.metaPost(fmt.Sprintf("/channels/%s/%d/webhook", tc.typ, ch.id()+1000), meta.Sign(payload, secret), payload).mustError(t, 404, "not_found")
			for i := 0; i < 2; i++ { // Meta redelivers
				if r := e.metaPost(hook, meta.Sign(payload, secret), payload); r.status != 200 || string(r.raw) != "EVENT_RECEIVED" {
					t.Fatalf("notification: %d %s", r.status, r.raw)
				}
			}
			before := len(graph.Posts())
			e.drainJobs()
			posts := graph.Posts()[before:]
			if len(posts) != 1 || posts[0].Path != tc.sentPath || !strings.Contains(fmt.Sprint(posts[0].Body), tc.sender) {
				t.Errorf("Graph API got %+v", posts)
			}
			if tc.typ == "whatsapp-cloud" {
				// WhatsApp's receipt for the reply updates its status.
				receipt := []byte(`{"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
					"messaging_product": "whatsapp", "statuses": [{"id": "wamid.SENT1", "status": "read", "timestamp": "1767000300", "recipient_id": "5511912345678"}]}}]}]}`)
				e.metaPost(hook, meta.Sign(receipt, secret), receipt).must(t, 200)
				// Receipts may arrive out of order: a late "delivered" does
				// not move a read message back.
				late := []byte(strings.Replace(string(receipt), `"status": "read"`, `"status": "delivered"`, 1))
				e.metaPost(hook, meta.Sign(late, secret), late).must(t, 200)
				list := e.do("GET", "/api/v1/contacts?channel=whatsapp", nil).must(t, 200).list("contacts")
				convs := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", int64(list[0]["id"].(float64))), nil).must(t, 200).list("conversations")
				msgs := e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", int64(convs[0]["id"].(float64))), nil).must(t, 200).list("messages")
				if len(msgs) != 2 || msgs[1]["status"] != "read" {
					t.Errorf("after the read receipt: %v", msgs)
				}
			}
		})
	}
	// The WhatsApp number joined the contact holding that phone, if any;
	// here it made one, with the name and the verified phone.
	list := e.do("GET", "/api/v1/contacts?channel=whatsapp", nil).must(t, 200).list("contacts")
	if len(list) != 1 || list[0]["phone"] != "+5511912345678" || list[0]["first_name"] != "Bea" || list[0]["whatsapp_id"] != "5511912345678" {
		t.Errorf("whatsapp contact: %v", list)
	}
	if ms := e.do("GET", "/api/v1/contacts?channel=messenger", nil).must(t, 200).list("contacts"); len(ms) != 1 || ms[0]["first_name"] != "Marta" || ms[0]["last_name"] != "Gomes" {
		t.Errorf("messenger contacts (named from the profile API): %v", ms)
	}
}
