package whatsappcloud

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/meta/metatest"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestInbound(t *testing.T) {
	body, _ := os.ReadFile("testdata/text.json")
	ins, err := Inbound(body, 2, 6)
	if err != nil || len(ins) != 1 {
		t.Fatalf("text: %v %v", ins, err)
	}
	in := ins[0]
	if in.ExternalID != "5511912345678" || in.VerifiedPhone != "+5511912345678" || in.Hints.FirstName != "Bea" || in.Hints.LastName != "Lopes" ||
		in.Text != "Oi! Vocês entregam em Campinas?" || in.Channel != contacts.ChannelWhatsApp || in.At.Unix() != 1767000000 {
		t.Errorf("text: %+v", in)
	}
	body, _ = os.ReadFile("testdata/status.json")
	if ins, err := Inbound(body, 2, 6); err != nil || len(ins) != 0 {
		t.Errorf("status: %v %v", ins, err)
	}
	if rs, err := Receipts(body); err != nil || len(rs) != 1 || rs[0] != (Receipt{PeerID: "wamid.OUT1", Status: "delivered"}) {
		t.Errorf("receipts: %+v %v", rs, err)
	}
	body, _ = os.ReadFile("testdata/bsuid.json")
	ins, err = Inbound(body, 2, 6)
	if err != nil || len(ins) != 1 || ins[0].ExternalID != "BSUID.7c1e3a" || ins[0].VerifiedPhone != "" || ins[0].Text != "[image]" {
		t.Errorf("user id without a phone: %+v %v", ins, err)
	}
	if _, err := Inbound([]byte(`{"object": "page", "entry": []}`), 2, 6); err == nil {
		t.Error("wrong object accepted")
	}
}

func TestSend(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	cfg, err := Kind{}.Normalize(json.RawMessage(`{"access_token": "EAAG-system-token-1", "phone_number_id": "106540352242922", "app_secret": "app-secret", "verify_token": "verify-me", "graph_url": "` + graph.URL + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if red := string(Kind{}.Redact(cfg)); strings.Contains(red, "EAAG") || strings.Contains(red, "app-secret") {
		t.Errorf("redact: %s", red)
	}
	s := NewSender(func(context.Context, int64) (*contacts.ChannelConfig, error) {
		return &contacts.ChannelConfig{Config: cfg}, nil
	})
	id, err := s.Send(context.Background(), channels.Outbound{ChannelID: 6, To: "5511912345678", Text: "Olá Bea!"})
	if err != nil || id != "wamid.SENT1" {
		t.Fatalf("send: %q %v", id, err)
	}
	p := graph.Posts()[0]
	if p.Path != "/v21.0/106540352242922/messages" || p.Token != "Bearer EAAG-system-token-1" || p.Body["to"] != "5511912345678" ||
		p.Body["messaging_product"] != "whatsapp" || p.Body["text"].(map[string]any)["body"] != "Olá Bea!" {
		t.Errorf("Cloud API got %+v", p)
	}
	if _, err := (Kind{}).Normalize(json.RawMessage(`{"access_token": "EAAG-system-token-1", "phone_number_id": "+1 555", "app_secret": "app-secret", "verify_token": "verify-me"}`)); err == nil {
		t.Error("bad phone_number_id accepted")
	}
}
