package webui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/channels/meta/metatest"
)

// count reads a number straight from the test database, for rows the API
// does not show one by one.
func (e *testEnv) count(query string, args ...any) int {
	e.t.Helper()
	pool, _, closeIt, err := e.db.SideDB()
	if err != nil {
		e.t.Fatal(err)
	}
	if closeIt {
		defer pool.Close()
	}
	var n int
	if err := pool.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

const metaSecret, metaVerify = "app-secret-1", "verify-token-1"

// messengerChannel creates a Messenger channel against the fake Graph API
// and returns its id and webhook path.
func (e *testEnv) messengerChannel(graph *metatest.FakeGraph) (int64, string) {
	e.t.Helper()
	ch := e.do("POST", "/api/v1/channels", `{"type": "messenger", "config": {"page_access_token": "EAAG-page-token-123", "app_secret": "`+
		metaSecret+`", "verify_token": "`+metaVerify+`", "graph_url": "`+graph.URL+`"}}`).must(e.t, 201)
	return ch.id(), fmt.Sprintf("/channels/messenger/%d/webhook", ch.id())
}

// contactThread returns the only contact of a channel, its conversations and
// the first conversation's messages.
func (e *testEnv) contactThread(channel string) (map[string]any, []map[string]any, []map[string]any) {
	e.t.Helper()
	list := e.do("GET", "/api/v1/contacts?channel="+channel, nil).must(e.t, 200).list("contacts")
	if len(list) != 1 {
		e.t.Fatalf("%s contacts: %v", channel, list)
	}
	convs := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", idOf(list[0])), nil).must(e.t, 200).list("conversations")
	if len(convs) == 0 {
		e.t.Fatalf("no conversation for %v", list[0])
	}
	msgs := e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", idOf(convs[0])), nil).must(e.t, 200).list("messages")
	return list[0], convs, msgs
}

// A Page notification with a text message, an echo of the Page's own reply,
// a postback and a read: the text and the postback become one contact's
// messages in one conversation, the echo and the read nothing, and Meta's
// redelivery adds no row.
func TestMessengerWebhookRows(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	e := newEnv(t)
	_, hook := e.messengerChannel(graph)
	payload, err := os.ReadFile("../channels/messenger/testdata/page.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		e.metaPost(hook, meta.Sign(payload, metaSecret), payload).must(t, 200)
	}
	contact, convs, msgs := e.contactThread("messenger")
	if contact["facebook_id"] != "6543210987654321" {
		t.Errorf("contact: %v", contact)
	}
	if len(convs) != 1 || convs[0]["channel"] != "messenger" || convs[0]["message_count"] != float64(2) {
		t.Errorf("conversations: %v", convs)
	}
	want := [][3]string{{"inbound", "Hi, is the blue one in stock?", "m_abc123"}, {"inbound", "Get Started", "m_pb1"}}
	if len(msgs) != len(want) {
		t.Fatalf("messages: %v", msgs)
	}
	for i, w := range want {
		if got := [3]string{fmt.Sprint(msgs[i]["direction"]), fmt.Sprint(msgs[i]["text"]), fmt.Sprint(msgs[i]["channel_message_id"])}; got != w {
			t.Errorf("message %d: %v, want %v", i, got, w)
		}
	}
	p := e.project.ID
	if n := e.count(`SELECT COUNT(*) FROM messages WHERE project_id = ?`, p); n != 2 {
		t.Errorf("%d message rows after a redelivery, want 2", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM messages WHERE channel_message_id = 'm_echo1' OR text = 'Thanks!'`); n != 0 {
		t.Errorf("the Page's echo was stored (%d rows)", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM conversations WHERE project_id = ?`, p); n != 1 {
		t.Errorf("%d conversation rows, want 1", n)
	}
}

// Instagram messaging arrives on the Messenger channel with object
// "instagram": the sender becomes a contact with an instagram identity, and
// the reply goes out through the same Send API.
func TestInstagramWebhook(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	graph.Profiles = map[string][2]string{"987654321": {"Lia", "Rocha"}}
	e := newEnv(t)
	_, hook := e.messengerChannel(graph)
	payload, err := os.ReadFile("../channels/messenger/testdata/instagram.json")
	if err != nil {
		t.Fatal(err)
	}
	if r := e.metaPost(hook, meta.Sign(payload, metaSecret), payload); r.status != 200 || string(r.raw) != "EVENT_RECEIVED" {
		t.Fatalf("notification: %d %s", r.status, r.raw)
	}
	contact, convs, msgs := e.contactThread("instagram")
	ids, _ := contact["identities"].([]any)
	if contact["instagram_id"] != "987654321" || contact["first_name"] != "Lia" || len(ids) != 1 ||
		ids[0].(map[string]any)["channel"] != "instagram" || ids[0].(map[string]any)["external_id"] != "987654321" {
		t.Errorf("contact: %v", contact)
	}
	if len(convs) != 1 || convs[0]["channel"] != "instagram" {
		t.Errorf("conversations: %v", convs)
	}
	if len(msgs) != 1 || msgs[0]["text"] != "love this!" || msgs[0]["channel_message_id"] != "aWdfZAG1" || msgs[0]["channel"] != "instagram" {
		t.Errorf("messages: %v", msgs)
	}
	if n := e.count(`SELECT COUNT(*) FROM contacts WHERE project_id = ?`, e.project.ID); n != 1 {
		t.Errorf("%d contact rows", n)
	}
	e.drainJobs()
	posts := graph.Posts()
	if len(posts) != 1 || posts[0].Path != "/v21.0/me/messages" || posts[0].Token != "Bearer EAAG-page-token-123" {
		t.Fatalf("Send API got %+v", posts)
	}
	if to, _ := posts[0].Body["recipient"].(map[string]any); to["id"] != "987654321" {
		t.Errorf("reply to %v", posts[0].Body)
	}
}

// Channels with a provider webhook answer its address on create: a path
// without --public-url, an absolute URL with it.
func TestWebhookURLOnCreate(t *testing.T) {
	for _, public := range []string{"", "https://switchboard.example.com/"} {
		e := newEnv(t, func(s *Server) { s.publicURL = public })
		base := strings.TrimRight(public, "/")
		for _, tc := range []struct{ typ, config string }{
			{"messenger", `"page_access_token": "EAAG-page-token-123"`},
			{"whatsapp-cloud", `"access_token": "EAAG-system-token-1", "phone_number_id": "106540352242922"`},
		} {
			r := e.do("POST", "/api/v1/channels", `{"type": "`+tc.typ+`", "config": {`+tc.config+`, "app_secret": "`+metaSecret+
				`", "verify_token": "`+metaVerify+`"}}`).must(t, 201)
			want := fmt.Sprintf("%s/channels/%s/%d/webhook", base, tc.typ, r.id())
			if r.body["webhook_url"] != want {
				t.Errorf("%s with public URL %q: webhook_url %v, want %s", tc.typ, public, r.body["webhook_url"], want)
			}
		}
	}
}
