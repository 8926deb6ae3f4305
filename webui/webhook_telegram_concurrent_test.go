package webui

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
)

// A new sender's first 100 messages arrive at once over the webhook: every
// one is acknowledged and stored, on one contact and one conversation.
func TestTelegramWebhookConcurrentFirstMessages(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	e := newEnv(t)
	const secret = "hook-secret-0123456789"
	id := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
		"token": "123:abc", "secret_token": secret, "api_url": api.URL}}).must(t, 201).id()
	const n = 100
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := fmt.Sprintf(`{"update_id": %d, "message": {"message_id": %d, "from": {"id": 4242, "is_bot": false, "first_name": "Rui"},
				"chat": {"id": 4242, "type": "private"}, "date": 1767000000, "text": "message %d"}}`, i, i, i)
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/channels/telegram/%d/webhook", e.base, id), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}(i)
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("a webhook call answered %d", s)
		}
	}
	cs := e.do("GET", "/api/v1/contacts?channel=telegram", nil).must(t, 200).list("contacts")
	if len(cs) != 1 {
		t.Fatalf("%d contacts, want 1", len(cs))
	}
	convs := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", int64(cs[0]["id"].(float64))), nil).must(t, 200).list("conversations")
	if len(convs) != 1 || convs[0]["message_count"].(float64) != n {
		t.Errorf("conversations: %v", convs)
	}
}
