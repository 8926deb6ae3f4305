package webui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
)

// The tokens here hold the word SeKrEt: finding it anywhere is a leak.
const leakyToken = "123456:AAE-SeKrEt_part-xyz"

func closedBotAPI(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// A Bot API call's errors quote the request URL, token and all; none of
// that may reach an API answer, a message's status, a job row or a log.
func TestTelegramTokenNotInErrors(t *testing.T) {
	down := telegramtest.NewFakeBotAPI(t)
	down.Down = http.StatusBadGateway
	refusing := telegramtest.NewFakeBotAPI(t)
	refusing.Down = http.StatusUnauthorized
	closed := closedBotAPI(t)

	t.Run("setWebhook on create", func(t *testing.T) {
		e := newEnv(t, func(s *Server) { s.publicURL = "https://chat.example.com" })
		for _, tc := range []struct {
			apiURL string
			status int
			code   string
		}{{closed, 502, "bad_gateway"}, {down.URL, 502, "bad_gateway"}, {refusing.URL, 422, "validation_failed"}} {
			r := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
				"token": leakyToken, "secret_token": "hook-secret-0123456789", "api_url": tc.apiURL}}).mustError(t, tc.status, tc.code)
			if strings.Contains(string(r.raw), "SeKrEt") {
				t.Errorf("%s: the answer shows the token: %s", tc.apiURL, r.raw)
			}
		}
		if strings.Contains(e.logs.String(), "SeKrEt") {
			t.Errorf("the log shows the token:\n%s", e.logs.String())
		}
	})

	for name, apiURL := range map[string]string{"unreachable": closed, "5xx": down.URL} {
		t.Run("reply, "+name, func(t *testing.T) {
			e := newEnv(t)
			const secret = "hook-secret-0123456789"
			id := e.do("POST", "/api/v1/channels", map[string]any{"type": "telegram", "config": map[string]any{
				"token": leakyToken, "secret_token": secret, "api_url": apiURL}}).must(t, 201).id()
			update, _ := os.ReadFile("../channels/telegram/testdata/text.json")
			e.telegramPost(id, secret, string(update)).must(t, 200)
			e.drainJobs()

			cs := e.do("GET", "/api/v1/contacts?channel=telegram", nil).must(t, 200).list("contacts")
			if len(cs) != 1 {
				t.Fatalf("contacts: %v", cs)
			}
			convs := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", int64(cs[0]["id"].(float64))), nil).must(t, 200).list("conversations")
			msgs := e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", int64(convs[0]["id"].(float64))), nil).must(t, 200)
			var reply map[string]any
			for _, m := range msgs.list("messages") {
				if m["direction"] == "outbound" {
					reply = m
				}
			}
			status, _ := reply["status"].(string)
			if !strings.HasPrefix(status, "queued: retryable") || !strings.Contains(status, "<token>") || strings.Contains(string(msgs.raw), "SeKrEt") {
				t.Errorf("the reply's status: %q (messages %s)", status, msgs.raw)
			}

			pool, _, closeIt, err := e.db.SideDB()
			if err != nil {
				t.Fatal(err)
			}
			if closeIt {
				defer pool.Close()
			}
			var jobErrors string
			if err := pool.QueryRowContext(context.Background(), `SELECT COALESCE(MAX(last_error), '') FROM queue WHERE last_error <> ''`).Scan(&jobErrors); err != nil {
				t.Fatal(err)
			}
			if jobErrors == "" || strings.Contains(jobErrors, "SeKrEt") {
				t.Errorf("the job's error: %q", jobErrors)
			}
			if logs := e.logs.String(); !strings.Contains(logs, "job failed; will retry") || strings.Contains(logs, "SeKrEt") {
				t.Errorf("log:\n%s", logs)
			}
		})
	}
}
