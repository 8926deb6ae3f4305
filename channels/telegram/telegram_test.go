package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
	"github.com/switchboard-oss/switchboard/contacts"
)

func fixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInbound(t *testing.T) {
	in, ok, err := Inbound(fixture(t, "text.json"), 3, 9)
	if err != nil || !ok {
		t.Fatalf("text: %v %v", ok, err)
	}
	if in.ExternalID != "111222333" || in.Handle != "@anasilva" || in.Hints.FirstName != "Ana" || in.ChannelMessageID != "9/111222333:41" ||
		in.Text != "Olá! Do you ship to Lisbon?" || in.ChannelID != 9 || in.At.Unix() != 1767000000 {
		t.Errorf("text: %+v", in)
	}
	if other, _, _ := Inbound(fixture(t, "text.json"), 3, 10); other.ChannelMessageID == in.ChannelMessageID {
		t.Errorf("two bots' messages share the id %q", in.ChannelMessageID)
	}
	if in, _, _ := Inbound(fixture(t, "start.json"), 3, 9); in.Text != "/start" {
		t.Errorf("/start: %+v", in)
	}
	own, _, _ := Inbound(fixture(t, "own_contact.json"), 3, 9)
	if own.VerifiedPhone != "+351912345678" {
		t.Errorf("own contact: %+v", own)
	}
	other, _, _ := Inbound(fixture(t, "other_contact.json"), 3, 9)
	if other.VerifiedPhone != "" || other.Hints.Phone != "" {
		t.Errorf("someone else's contact taken as the sender's phone: %+v", other)
	}
	edit, ok, err := Inbound(fixture(t, "edited.json"), 3, 9)
	if err != nil || !ok || !edit.Edit || edit.ChannelMessageID != "9/111222333:41" || edit.Text != "Olá! Do you ship to Porto?" || edit.At.Unix() != 1767000030 {
		t.Errorf("edit: %+v %v %v", edit, ok, err)
	}
	for _, f := range []string{"group.json"} {
		if _, ok, err := Inbound(fixture(t, f), 3, 9); ok || err != nil {
			t.Errorf("%s: ok=%v err=%v, want skipped", f, ok, err)
		}
	}
	var ve *contacts.ValidationError
	if _, _, err := Inbound([]byte(`{"update_id": "x"`), 3, 9); !errors.As(err, &ve) {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestConfig(t *testing.T) {
	out, err := Kind{}.Normalize(json.RawMessage(`{"token": "123:abc", "secret_token": "s3cret-s3cret-s3cret"}`))
	if err != nil || !strings.Contains(string(out), `"mode":"webhook"`) || !strings.Contains(string(out), DefaultAPIURL) {
		t.Fatalf("normalize: %s %v", out, err)
	}
	if red := string(Kind{}.Redact(out)); strings.Contains(red, "123:abc") || strings.Contains(red, "s3cret") || !strings.Contains(red, `"token_set":true`) {
		t.Errorf("redacted: %s", red)
	}
	for _, bad := range []string{`{}`, `{"token": "123:abc"}`, `{"token": "123:abc", "secret_token": "short"}`, `{"token": "123:abc", "mode": "push", "secret_token": "s3cret-s3cret-s3cret"}`, `{"token": "x:y", "bogus": 1}`, `{"token": "123:ab cd", "secret_token": "s3cret-s3cret-s3cret"}`, `{"token": "123:ab/../getMe?", "secret_token": "s3cret-s3cret-s3cret"}`} {
		if _, err := (Kind{}).Normalize(json.RawMessage(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	cfg, _ := Parse(out)
	if cfg.CheckSecret("s3cret-s3cret-s3cret") != nil || cfg.CheckSecret("") == nil || cfg.CheckSecret("s3cret-s3cret-s3creT") == nil {
		t.Error("secret check")
	}
}

func TestSender(t *testing.T) {
	api := telegramtest.NewFakeBotAPI(t)
	cfg, _ := Kind{}.Normalize(json.RawMessage(`{"token": "123:abc", "secret_token": "s3cret-s3cret-s3cret", "api_url": "` + api.URL + `"}`))
	s := NewSender(func(_ context.Context, id int64) (*contacts.ChannelConfig, error) {
		if id != 9 {
			return nil, contacts.ErrNotFound
		}
		return &contacts.ChannelConfig{ID: 9, Type: "telegram", Config: cfg}, nil
	})
	out := channels.Outbound{ChannelID: 9, To: "111222333", Text: "Hi Ana!"}
	id, err := s.Send(context.Background(), out)
	if err != nil || id != "9/111222333:501" {
		t.Fatalf("send: %q %v", id, err)
	}
	sent := api.Sends()
	if len(sent) != 1 || sent[0]["chat_id"] != "111222333" || sent[0]["text"] != "Hi Ana!" || api.TokenSeen != "123:abc" {
		t.Errorf("Bot API got %v (token %q)", sent, api.TokenSeen)
	}
	api.FailNext = 1
	_, err = s.Send(context.Background(), out)
	if after, retry := channels.IsRetryable(err); !retry || after != 3*time.Second {
		t.Errorf("429: retryable=%v after=%v (%v)", retry, after, err)
	}
	if _, err := s.Send(context.Background(), channels.Outbound{ChannelID: 10, To: "1", Text: "x"}); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("unknown channel: %v", err)
	}
}
