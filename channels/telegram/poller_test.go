package telegram

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestPoller(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	text, _ := os.ReadFile("testdata/text.json")
	group, _ := os.ReadFile("testdata/group.json")
	api.Updates = []string{string(group), string(text)}
	cfg, _ := Kind{}.Normalize(json.RawMessage(`{"token": "123:abc", "mode": "polling", "api_url": "` + api.URL + `"}`))
	webhookCfg, _ := Kind{}.Normalize(json.RawMessage(`{"token": "123:abc", "secret_token": "s3cret-s3cret-s3cret", "api_url": "` + api.URL + `"}`))

	var mu sync.Mutex
	var got []contacts.Inbound
	received := make(chan struct{}, 10)
	p := &Poller{
		Channels: func(context.Context, string) ([]contacts.ChannelConfig, error) {
			return []contacts.ChannelConfig{{ID: 3, ProjectID: 2, Type: "telegram", Config: cfg}, {ID: 4, ProjectID: 2, Type: "telegram", Config: webhookCfg}}, nil
		},
		Receive: func(_ context.Context, in contacts.Inbound) error {
			mu.Lock()
			got = append(got, in)
			mu.Unlock()
			received <- struct{}{}
			return nil
		},
		Log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Wait: 1,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	select {
	case <-received:
	case <-time.After(5 * time.Second):
		t.Fatal("no update received")
	}
	time.Sleep(100 * time.Millisecond) // more polls: nothing is handed on twice
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("poller did not stop")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].ChannelID != 3 || got[0].ProjectID != 2 || got[0].ExternalID != "111222333" {
		t.Errorf("received %+v", got)
	}
}
