// Package telegramtest is a fake Telegram Bot API for tests: a local
// httptest server answering getMe and sendMessage in the documented wire
// format, recording what it was sent.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// FakeBotAPI speaks the Bot API's wire format for getMe and sendMessage.
type FakeBotAPI struct {
	*httptest.Server
	mu        sync.Mutex
	Sent      []map[string]string // sendMessage form values
	FailNext  int                 // answer 429 with retry_after to this many sends
	RetryFor  int
	TokenSeen string
	Webhook   map[string]string // the last setWebhook call's values
	Updates   []string          // updates getUpdates hands out, by update_id order
	// Down, when set, is the HTTP status every call answers with: a Bot API
	// error whose description quotes the request path, token and all (as a
	// proxy in front of the Bot API might), to show nothing passes it on.
	Down int
}

// NewFakeBotAPI starts a fake Bot API, closed when the test ends.
func NewFakeBotAPI(t testing.TB) *FakeBotAPI {
	f := &FakeBotAPI{RetryFor: 3}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
		f.mu.Lock()
		defer f.mu.Unlock()
		f.TokenSeen = parts[0]
		w.Header().Set("Content-Type", "application/json")
		if f.Down != 0 {
			w.WriteHeader(f.Down)
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": f.Down,
				"description": http.StatusText(f.Down) + ": POST " + r.URL.Path})
			return
		}
		switch parts[len(parts)-1] {
		case "getMe":
			if f.TokenSeen == "bad:token" {
				w.WriteHeader(http.StatusUnauthorized)
				w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
				return
			}
			w.Write([]byte(`{"ok":true,"result":{"id":999,"is_bot":true,"first_name":"Shop Bot","username":"shop_bot"}}`))
		case "deleteWebhook":
			w.Write([]byte(`{"ok":true,"result":true}`))
		case "getUpdates":
			offset := 0
			fmt.Sscan(r.PostForm.Get("offset"), &offset)
			var out []string
			for _, u := range f.Updates {
				var head struct {
					UpdateID int `json:"update_id"`
				}
				json.Unmarshal([]byte(u), &head)
				if head.UpdateID >= offset {
					out = append(out, u)
				}
			}
			if len(out) == 0 {
				f.mu.Unlock()
				time.Sleep(20 * time.Millisecond) // a short long poll
				f.mu.Lock()
			}
			w.Write([]byte(`{"ok":true,"result":[` + strings.Join(out, ",") + `]}`))
		case "setWebhook":
			f.Webhook = map[string]string{}
			for k := range r.PostForm {
				f.Webhook[k] = r.PostForm.Get(k)
			}
			w.Write([]byte(`{"ok":true,"result":true,"description":"Webhook was set"}`))
		case "sendMessage":
			if f.FailNext > 0 {
				f.FailNext--
				w.WriteHeader(http.StatusTooManyRequests)
				json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3",
					"parameters": map[string]any{"retry_after": f.RetryFor}})
				return
			}
			vals := map[string]string{}
			for k := range r.PostForm {
				vals[k] = r.PostForm.Get(k)
			}
			f.Sent = append(f.Sent, vals)
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": map[string]any{"message_id": 500 + len(f.Sent),
				"date": 1767000200, "chat": map[string]any{"id": 111222333, "type": "private"}, "text": vals["text"]}})
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"ok":false,"error_code":404,"description":"Not Found"}`))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// WebhookSet returns the last setWebhook call's values.
func (f *FakeBotAPI) WebhookSet() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Webhook
}

// Sends returns the sendMessage calls so far.
func (f *FakeBotAPI) Sends() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.Sent...)
}

// SetDown sets Down while the server may be answering calls.
func (f *FakeBotAPI) SetDown(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Down = status
}
