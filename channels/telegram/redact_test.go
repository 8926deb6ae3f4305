package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
	"github.com/switchboard-oss/switchboard/contacts"
)

// closedURL is a base URL nothing listens on any more.
func closedURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// telegramConfig is a normalized config of a channel on apiURL.
func telegramConfig(t *testing.T, token, mode, apiURL string) json.RawMessage {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"token": token, "secret_token": "s3cret-s3cret-s3cret", "mode": mode, "api_url": apiURL})
	cfg, err := Kind{}.Normalize(raw)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// leaks reports whether s shows the token. The tokens of these tests all
// hold the word SeKrEt, so the check does not depend on how the token was
// written.
func leaks(s, token string) bool {
	if !strings.Contains(token, "SeKrEt") {
		panic("a test token without its marker")
	}
	return strings.Contains(s, "SeKrEt")
}

// syncBuffer is a log sink the poller's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The bot token is in the path of every Bot API request, and net/http
// quotes that URL in its errors; no error the package returns may show it.
func TestErrorsHideTheToken(t *testing.T) {
	down := telegramtest.NewFakeBotAPI(t)
	down.Down = http.StatusBadGateway
	refusing := telegramtest.NewFakeBotAPI(t)
	refusing.Down = http.StatusUnauthorized
	closed := closedURL(t)
	for _, tc := range []struct {
		name, token, apiURL string
		retryable           bool // for the sender
		refused             bool // Activate's 422 rather than "cannot reach"
	}{
		{"unreachable", "123456:AAE-SeKrEt_part-xyz", closed, true, false},
		{"5xx", "123456:AAE-SeKrEt_part-xyz", down.URL, true, false},
		{"401 quoting the path", "123456:AAE-SeKrEt_part-xyz", refusing.URL, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := &contacts.ChannelConfig{ID: 9, ProjectID: 2, Type: "telegram", Config: telegramConfig(t, tc.token, "webhook", tc.apiURL)}
			s := NewSender(func(context.Context, int64) (*contacts.ChannelConfig, error) { return ch, nil })
			_, err := s.Send(context.Background(), channels.Outbound{ChannelID: 9, To: "111222333", Text: "Hi"})
			if err == nil || leaks(err.Error(), tc.token) {
				t.Errorf("Send: %v", err)
			}
			if _, retry := channels.IsRetryable(err); retry != tc.retryable {
				t.Errorf("Send: retryable=%v, want %v (%v)", retry, tc.retryable, err)
			}
			var ue *url.Error
			if errors.As(err, &ue) && leaks(ue.URL, tc.token) {
				t.Errorf("Send: the *url.Error inside still has the token: %s", ue.URL)
			}

			err = Kind{}.Activate(context.Background(), ch, "https://chat.example.com")
			var ve *contacts.ValidationError
			if err == nil || leaks(err.Error(), tc.token) || errors.As(err, &ve) != tc.refused {
				t.Errorf("Activate: %v (validation error: %v, want %v)", err, errors.As(err, &ve), tc.refused)
			}
			if errors.As(err, &ve) && leaks(ve.Fields["config.token"], tc.token) {
				t.Errorf("Activate: %v", ve.Fields)
			}
		})
	}
}

func TestPollerLogHidesTheToken(t *testing.T) {
	const token = "123456:AAE-SeKrEt_part-xyz"
	for name, apiURL := range map[string]string{"unreachable": closedURL(t), "5xx": func() string {
		api := telegramtest.NewFakeBotAPI(t)
		api.Down = http.StatusServiceUnavailable
		return api.URL
	}()} {
		t.Run(name, func(t *testing.T) {
			cfg := telegramConfig(t, token, "polling", apiURL)
			logs := &syncBuffer{}
			p := &Poller{
				Channels: func(context.Context, string) ([]contacts.ChannelConfig, error) {
					return []contacts.ChannelConfig{{ID: 3, ProjectID: 2, Type: "telegram", Config: cfg}}, nil
				},
				Receive: func(context.Context, contacts.Inbound) error { return nil },
				Log:     slog.New(slog.NewTextHandler(logs, nil)),
				Wait:    1,
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { p.Run(ctx); close(done) }()
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(logs.String(), "telegram poll failed") && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			<-done
			out := logs.String()
			if !strings.Contains(out, "telegram poll failed") || !strings.Contains(out, tokenMark) || leaks(out, token) {
				t.Errorf("poller log:\n%s", out)
			}
		})
	}
}
