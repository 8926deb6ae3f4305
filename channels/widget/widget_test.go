package widget

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestConfig(t *testing.T) {
	out, err := Kind{}.Normalize(json.RawMessage(`{"allowed_origins": ["HTTPS://Shop.Example.com/", "http://localhost:3000"], "collect": ["Email", "name"]}`))
	if err != nil || string(out) != `{"allowed_origins":["https://shop.example.com","http://localhost:3000"],"collect":["email","name"],"geoip_db":""}` {
		t.Fatalf("normalize: %s %v", out, err)
	}
	for _, bad := range []string{`{"allowed_origins": ["shop.example.com"]}`, `{"allowed_origins": ["ftp://x.com"]}`, `{"collect": ["ssn"]}`, `{"colour": "red"}`, `[]`} {
		var ve *contacts.ValidationError
		if _, err := (Kind{}).Normalize(json.RawMessage(bad)); !errors.As(err, &ve) {
			t.Errorf("%s: want a validation error, got %v", bad, err)
		}
	}
	cfg, _ := Parse(out)
	for origin, ok := range map[string]bool{"": true, "https://shop.example.com": true, "https://SHOP.example.com": true, "https://evil.example": false, "null": false} {
		if cfg.OriginAllowed(origin) != ok {
			t.Errorf("origin %q allowed=%v", origin, !ok)
		}
	}
}

func TestMessageInbound(t *testing.T) {
	at := time.Now()
	m := Message{VisitorID: "v_1234567890", Text: "  Hello  ", Name: "Ana Maria Silva", Email: "ana@example.com", ClientMessageID: "c-00000001"}
	in, err := m.Inbound(7, contacts.ChannelWidget, "US", at)
	if err != nil || in.ExternalID != "v_1234567890" || in.Text != "Hello" || in.Hints.FirstName != "Ana Maria" || in.ChannelMessageID != "v_1234567890:c-00000001" {
		t.Fatalf("inbound: %+v %v", in, err)
	}
	for _, bad := range []Message{{VisitorID: "short", Text: "x"}, {VisitorID: "v_1234567890"}, {VisitorID: "v_1234567890", Text: "x", Email: "nope"}, {VisitorID: "v_1234567890", Text: "x", Phone: "12"}} {
		if _, err := bad.Inbound(7, contacts.ChannelWidget, "US", at); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
