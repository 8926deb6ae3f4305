package webui

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
)

func (e *testEnv) telegramPost(channelID int64, secret, body string) *response {
	e.t.Helper()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/channels/telegram/%d/webhook", e.base, channelID), strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	return e.send(req)
}

func TestTelegramWebhook(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	e := newEnv(t)
	const secret = "hook-secret-0123456789"
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "name": "Shop bot", "config": map[string]any{
		"token": "123:abc", "secret_token": secret, "api_url": api.URL}}).must(t, 201)
	if strings.Contains(string(ch.raw), "123:abc") || strings.Contains(string(ch.raw), secret) {
		t.Fatalf("secrets returned: %s", ch.raw)
	}
	id := ch.id()
	update, _ := os.ReadFile("../channels/telegram/testdata/text.json")

	e.telegramPost(id, "", string(update)).mustError(t, 401, "unauthorized")
	e.telegramPost(id, "wrong-secret-000000000", string(update)).mustError(t, 401, "unauthorized")
	e.telegramPost(id+100, secret, string(update)).mustError(t, 404, "not_found")
	e.telegramPost(id, secret, `{"update_id": `).mustError(t, 400, "bad_request")
	e.telegramPost(id, secret, string(update)).must(t, 200)
	e.telegramPost(id, secret, string(update)).must(t, 200) // Telegram redelivers
	group, _ := os.ReadFile("../channels/telegram/testdata/group.json")
	e.telegramPost(id, secret, string(group)).must(t, 200)
	edited, _ := os.ReadFile("../channels/telegram/testdata/edited.json")
	e.telegramPost(id, secret, string(edited)).must(t, 200)
	e.telegramPost(id, secret, strings.Replace(string(edited), `"message_id": 41`, `"message_id": 4100`, 1)).must(t, 200) // unknown: dropped

	list := e.do("GET", "/api/v1/contacts?channel=telegram", nil).must(t, 200)
	cs := list.list("contacts")
	if len(cs) != 1 || cs[0]["first_name"] != "Ana" || cs[0]["telegram_id"] != "111222333" {
		t.Fatalf("contacts: %s", list.raw)
	}
	convs := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", int64(cs[0]["id"].(float64))), nil).must(t, 200).list("conversations")
	if len(convs) != 1 || convs[0]["message_count"].(float64) != 1 {
		t.Errorf("conversations: %v", convs)
	}
	msgs := e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", int64(convs[0]["id"].(float64))), nil).must(t, 200).list("messages")
	if len(msgs) != 1 || msgs[0]["text"] != "Olá! Do you ship to Porto?" || msgs[0]["edited_at"] == nil {
		t.Errorf("edited message: %v", msgs)
	}
	e.drainJobs()
	sent := api.Sends()
	if len(sent) != 1 || sent[0]["chat_id"] != "111222333" || !strings.HasPrefix(sent[0]["text"], "Hi Ana!") {
		t.Errorf("Bot API got %v", sent)
	}
}

func TestTelegramWebhookRegistration(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	e := newEnv(t, func(s *Server) { s.publicURL = "https://chat.example.com" })
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
		"token": "123:abc", "secret_token": "hook-secret-0123456789", "api_url": api.URL}}).must(t, 201)
	hook := api.WebhookSet()
	want := fmt.Sprintf("https://chat.example.com/channels/telegram/%d/webhook", ch.id())
	if hook["url"] != want || hook["secret_token"] != "hook-secret-0123456789" || ch.body["webhook_url"] != want {
		t.Errorf("setWebhook got %v; channel says %v", hook, ch.body["webhook_url"])
	}
	// A token Telegram refuses: 422 on the token, and no channel is kept.
	e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
		"token": "bad:token", "secret_token": "hook-secret-0123456789", "api_url": api.URL}}).mustError(t, 422, "validation_failed")
	if n := len(e.do("GET", "/api/v1/channels", nil).must(t, 200).list("channels")); n != 1 {
		t.Errorf("%d channels kept", n)
	}
	// An unreachable Bot API: 502.
	e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
		"token": "123:abc", "secret_token": "hook-secret-0123456789", "api_url": "http://127.0.0.1:1"}}).mustError(t, 502, "bad_gateway")
}

// PATCH of a telegram channel's config registers the webhook again, so
// Telegram calls with the new secret; settings it will not take are not kept.
func TestTelegramWebhookReRegistration(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	e := newEnv(t, func(s *Server) { s.publicURL = "https://chat.example.com" })
	const oldSecret, newSecret = "hook-secret-0123456789", "hook-secret-abcdefghij"
	id := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "name": "Shop bot", "config": map[string]any{
		"token": "123:abc", "secret_token": oldSecret, "api_url": api.URL}}).must(t, 201).id()
	path := fmt.Sprintf("/api/v1/channels/%d", id)
	update, _ := os.ReadFile("../channels/telegram/testdata/text.json")

	e.do("PATCH", path, map[string]any{"config": map[string]any{"secret_token": newSecret}}).must(t, 200)
	hook := api.WebhookSet()
	if hook["secret_token"] != newSecret || hook["url"] != fmt.Sprintf("https://chat.example.com/channels/telegram/%d/webhook", id) {
		t.Errorf("setWebhook got %v", hook)
	}
	e.telegramPost(id, newSecret, string(update)).must(t, 200)
	e.telegramPost(id, oldSecret, string(update)).mustError(t, 401, "unauthorized")

	// A rename alone does not call Telegram: it works while the Bot API is down.
	api.SetDown(http.StatusBadGateway)
	e.do("PATCH", path, map[string]any{"name": "Renamed"}).must(t, 200)
	// A new secret that cannot be registered: 502, and the old settings stay.
	e.do("PATCH", path, map[string]any{"name": "Lost", "config": map[string]any{"secret_token": "hook-secret-never-used"}}).mustError(t, 502, "bad_gateway")
	api.SetDown(0)
	// A token Telegram refuses: 422 on the token, and the old settings stay.
	e.do("PATCH", path, map[string]any{"config": map[string]any{"token": "bad:token", "secret_token": "hook-secret-never-used"}}).mustError(t, 422, "validation_failed")
	if got := e.do("GET", path, nil).must(t, 200); got.body["name"] != "Renamed" {
		t.Errorf("after failed updates: %s", got.raw)
	}
	e.telegramPost(id, "hook-secret-never-used", string(update)).mustError(t, 401, "unauthorized")
	e.telegramPost(id, newSecret, string(update)).must(t, 200)
	if hook := api.WebhookSet(); hook["secret_token"] != newSecret || api.TokenSeen != "bad:token" {
		t.Errorf("setWebhook got %v", hook)
	}
	e.drainJobs()
	if sent := api.Sends(); len(sent) != 1 || api.TokenSeen != "123:abc" {
		t.Errorf("the reply went out with token %q: %v", api.TokenSeen, sent)
	}
}

// Two bots of one project get the same chat and message ids for different
// messages (ids count per bot); neither may be dropped as the other's copy.
func TestTelegramTwoBotsOneProject(t *testing.T) {
	e := newEnv(t)
	const secret = "hook-secret-0123456789"
	apis := []*telegramtest.FakeBotAPI{telegramtest.NewFakeBotAPI(t), telegramtest.NewFakeBotAPI(t)}
	update, _ := os.ReadFile("../channels/telegram/testdata/text.json")
	edited, _ := os.ReadFile("../channels/telegram/testdata/edited.json")
	for i, api := range apis {
		id := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "name": fmt.Sprintf("Bot %d", i), "config": map[string]any{
			"token": fmt.Sprintf("%d:abc", 100+i), "secret_token": secret, "api_url": api.URL}}).must(t, 201).id()
		e.telegramPost(id, secret, string(update)).must(t, 200)
		e.telegramPost(id, secret, string(update)).must(t, 200) // a redelivery is still one message
		if i == 1 {
			e.telegramPost(id, secret, string(edited)).must(t, 200) // the second bot's message only
		}
	}
	cs := e.do("GET", "/api/v1/contacts?channel=telegram", nil).must(t, 200).list("contacts")
	if len(cs) != 1 {
		t.Fatalf("contacts: %v", cs)
	}
	var texts []string
	for _, cv := range e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", int64(cs[0]["id"].(float64))), nil).must(t, 200).list("conversations") {
		for _, m := range e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", int64(cv["id"].(float64))), nil).must(t, 200).list("messages") {
			if m["direction"] == "inbound" {
				texts = append(texts, m["text"].(string))
			}
		}
	}
	if len(texts) != 2 || texts[0] == texts[1] {
		t.Errorf("inbound messages: %q", texts)
	}
	e.drainJobs()
	for i, api := range apis {
		if sent := api.Sends(); len(sent) != 1 || sent[0]["chat_id"] != "111222333" || api.TokenSeen != fmt.Sprintf("%d:abc", 100+i) {
			t.Errorf("bot %d sent %v with token %q", i, sent, api.TokenSeen)
		}
	}
}

// A user who already wrote and then shares their own contact card: the
// number Telegram vouches for becomes the contact's phone. Someone else's
// card does not.
func TestTelegramSharedOwnContact(t *testing.T) {
	e := newEnv(t)
	const secret = "hook-secret-0123456789"
	id := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
		"token": "123:abc", "secret_token": secret, "api_url": telegramtest.NewFakeBotAPI(t).URL}}).must(t, 201).id()
	contact := func() map[string]any {
		t.Helper()
		cs := e.do("GET", "/api/v1/contacts?channel=telegram", nil).must(t, 200).list("contacts")
		if len(cs) != 1 {
			t.Fatalf("contacts: %v", cs)
		}
		return e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", int64(cs[0]["id"].(float64))), nil).must(t, 200).body
	}
	for _, f := range []string{"start.json", "other_contact.json"} {
		update, _ := os.ReadFile("../channels/telegram/testdata/" + f)
		e.telegramPost(id, secret, string(update)).must(t, 200)
	}
	if c := contact(); c["phone"] != nil && c["phone"] != "" {
		t.Fatalf("someone else's card set the phone: %v", c)
	}
	own, _ := os.ReadFile("../channels/telegram/testdata/own_contact.json")
	e.telegramPost(id, secret, string(own)).must(t, 200)
	c := contact()
	sources, _ := c["sources"].(map[string]any)
	src, _ := sources["phone"].(map[string]any)
	if c["phone"] != "+351912345678" || c["telegram_id"] != "111222333" || src["source"] != "channel" {
		t.Errorf("after sharing their own card: %v", c)
	}
}
