package messenger

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/meta/metatest"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestInbound(t *testing.T) {
	body, _ := os.ReadFile("testdata/page.json")
	ins, err := Inbound(body, 2, 5)
	if err != nil || len(ins) != 2 {
		t.Fatalf("page: %d %v", len(ins), err)
	}
	if ins[0].ExternalID != "6543210987654321" || ins[0].ChannelMessageID != "m_abc123" || ins[0].Channel != contacts.ChannelMessenger || ins[0].At.UnixMilli() != 1767000000100 {
		t.Errorf("message: %+v", ins[0])
	}
	if ins[1].Text != "Get Started" || ins[1].ChannelMessageID != "m_pb1" {
		t.Errorf("postback: %+v", ins[1])
	}
	body, _ = os.ReadFile("testdata/instagram.json")
	if ins, err := Inbound(body, 2, 5); err != nil || len(ins) != 1 || ins[0].Channel != contacts.ChannelInstagram {
		t.Errorf("instagram: %+v %v", ins, err)
	}
	for _, bad := range []string{`{"object": "page"`, `{"object": "user", "entry": []}`} {
		if _, err := Inbound([]byte(bad), 2, 5); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestSend(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	cfg, err := Kind{}.Normalize(json.RawMessage(`{"page_access_token": "EAAG-page-token-123", "app_secret": "app-secret", "verify_token": "verify-me", "graph_url": "` + graph.URL + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if red := string(Kind{}.Redact(cfg)); strings.Contains(red, "EAAG") || strings.Contains(red, "app-secret") {
		t.Errorf("redact: %s", red)
	}
	s := NewSender(func(context.Context, int64) (*contacts.ChannelConfig, error) {
		return &contacts.ChannelConfig{Config: cfg}, nil
	})
	id, err := s.Send(context.Background(), channels.Outbound{ChannelID: 5, To: "6543210987654321", Text: strings.Repeat("é", 2100)})
	if err != nil || id != "m_sent1" {
		t.Fatalf("send: %q %v", id, err)
	}
	p := graph.Posts()[0]
	msg := p.Body["message"].(map[string]any)["text"].(string)
	if p.Path != "/v21.0/me/messages" || p.Token != "Bearer EAAG-page-token-123" || p.Body["messaging_type"] != "RESPONSE" ||
		p.Body["recipient"].(map[string]any)["id"] != "6543210987654321" || len([]rune(msg)) != 2000 {
		t.Errorf("Send API got %+v", p)
	}
	graph.FailNext = 1
	_, err = s.Send(context.Background(), channels.Outbound{ChannelID: 5, To: "1", Text: "x"})
	if after, retry := channels.IsRetryable(err); !retry || after != 2*time.Second {
		t.Errorf("rate limited: %v %v %v", retry, after, err)
	}
	for _, bad := range []string{`{}`, `{"page_access_token": "EAAG-page-token-123", "app_secret": "x"}`} {
		if _, err := (Kind{}).Normalize(json.RawMessage(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
