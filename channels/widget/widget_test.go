package widget

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels/widget/geoiptest"
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
	in, err := m.Inbound(&Config{}, 7, contacts.ChannelWidget, "US", at)
	if err != nil || in.ExternalID != "v_1234567890" || in.Text != "Hello" || in.Hints.FirstName != "Ana Maria" || in.ChannelMessageID != "v_1234567890:c-00000001" {
		t.Fatalf("inbound: %+v %v", in, err)
	}
	for _, bad := range []Message{{VisitorID: "short", Text: "x"}, {VisitorID: "v_1234567890"}, {VisitorID: "v_1234567890", Text: "x", Email: "nope"}, {VisitorID: "v_1234567890", Text: "x", Phone: "12"}} {
		if _, err := bad.Inbound(&Config{}, 7, contacts.ChannelWidget, "US", at); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// The pre-chat fields are refused, not dropped, when the API would refuse
// them, under the widget's field names.
func TestMessageProfileValidation(t *testing.T) {
	at := time.Now()
	long := strings.Repeat("a", 300)
	for name, tc := range map[string]struct {
		m     Message
		field string
	}{
		"long name":          {Message{Name: long}, "name"},
		"long last name":     {Message{Name: "Ana " + long}, "name"},
		"control in name":    {Message{Name: "Ana"}, "name"},
		"bad email":          {Message{Email: "ana@"}, "email"},
		"long email":         {Message{Email: long + "@example.com"}, "email"},
		"bad phone":          {Message{Phone: "12"}, "phone"},
		"long identifier":    {Message{Identifier: long, IdentifierHash: "00"}, "identifier"},
		"spaced identifier":  {Message{Identifier: " user-1", IdentifierHash: "00"}, "identifier"},
		"control identifier": {Message{Identifier: "user\n1", IdentifierHash: "00"}, "identifier"},
	} {
		tc.m.VisitorID, tc.m.Text = "v_1234567890", "hi"
		_, err := tc.m.Inbound(&Config{IdentitySecret: "s3cret-s3cret-s3cret"}, 7, contacts.ChannelWidget, "US", at)
		var ve *contacts.ValidationError
		if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
			t.Errorf("%s: want a validation error on %s, got %v", name, tc.field, err)
		}
	}
	m := Message{VisitorID: "v_1234567890", Text: "hi", Name: "  Ana   Silva ", Email: "Ana@Example.com", Phone: "+1 415 555 2671"}
	in, err := m.Inbound(&Config{}, 7, contacts.ChannelWidget, "US", at)
	if err != nil || in.Hints.FirstName != "Ana" || in.Hints.LastName != "Silva" || in.Hints.Email != "ana@example.com" || in.Hints.Phone != "+14155552671" {
		t.Errorf("cleaned hints: %+v %v", in.Hints, err)
	}
}

func TestIdentity(t *testing.T) {
	const secret = "a-long-identity-secret"
	// The value Python's hmac and openssl dgst -hmac give, as the README
	// tells sites to compute it.
	good := SignIdentifier(secret, "user-42")
	if good != "9b8213d089897aba9f8e4fc9dc33b9f245da49faf4105b8e61afd5c68b09e4f3" {
		t.Fatalf("hash: %s", good)
	}
	withSecret, noSecret := &Config{IdentitySecret: secret}, &Config{}
	at := time.Now()
	msg := func(id, hash string) Message {
		return Message{VisitorID: "v_1234567890", Text: "hi", Identifier: id, IdentifierHash: hash}
	}
	m := msg("user-42", good)
	in, err := m.Inbound(withSecret, 7, contacts.ChannelWidget, "US", at)
	if err != nil || in.VerifiedExternalID != "user-42" {
		t.Fatalf("valid: %+v %v", in, err)
	}
	m = msg("user-42", strings.ToUpper(good))
	if in, err := m.Inbound(withSecret, 7, contacts.ChannelWidget, "US", at); err != nil || in.VerifiedExternalID != "user-42" {
		t.Errorf("upper-case hex: %v", err)
	}
	m = msg("", "")
	if in, err := m.Inbound(withSecret, 7, contacts.ChannelWidget, "US", at); err != nil || in.VerifiedExternalID != "" {
		t.Errorf("anonymous visitor: %+v %v", in, err)
	}
	for name, tc := range map[string]struct {
		cfg      *Config
		id, hash string
	}{
		"wrong hash":        {withSecret, "user-42", SignIdentifier(secret, "user-43")},
		"other secret":      {withSecret, "user-42", SignIdentifier("another-long-secret", "user-42")},
		"not hex":           {withSecret, "user-42", "zz" + good[2:]},
		"truncated":         {withSecret, "user-42", good[:62]},
		"hash alone":        {withSecret, "", good},
		"identifier alone":  {withSecret, "user-42", ""},
		"no secret":         {noSecret, "user-42", good},
		"no secret, alone":  {noSecret, "user-42", ""},
		"no secret, hashed": {noSecret, "", good},
	} {
		m := msg(tc.id, tc.hash)
		if _, err := m.Inbound(tc.cfg, 7, contacts.ChannelWidget, "US", at); !errors.Is(err, ErrIdentity) {
			t.Errorf("%s: want ErrIdentity, got %v", name, err)
		}
	}
}

func TestIdentitySecretConfig(t *testing.T) {
	out, err := Kind{}.Normalize(json.RawMessage(`{"identity_secret": "0123456789abcdef"}`))
	if err != nil || !strings.Contains(string(out), `"identity_secret":"0123456789abcdef"`) {
		t.Fatalf("normalize: %s %v", out, err)
	}
	red := string(Kind{}.Redact(out))
	if strings.Contains(red, "0123456789abcdef") || !strings.Contains(red, `"identity_secret_set":true`) {
		t.Errorf("redacted: %s", red)
	}
	if red := string(Kind{}.Redact(json.RawMessage(`{"collect":["email"]}`))); !strings.Contains(red, `"identity_secret_set":false`) || !strings.Contains(red, `"collect":["email"]`) {
		t.Errorf("redacted without a secret: %s", red)
	}
	for _, bad := range []string{`{"identity_secret": "short"}`, `{"identity_secret": "has spaces in it, sixteen+"}`, `{"identity_secret": "` + strings.Repeat("x", 257) + `"}`} {
		var ve *contacts.ValidationError
		if _, err := (Kind{}).Normalize(json.RawMessage(bad)); !errors.As(err, &ve) || ve.Fields["config.identity_secret"] == "" {
			t.Errorf("%.40s: want a validation error on config.identity_secret, got %v", bad, err)
		}
	}
}

func TestGeoIPConfig(t *testing.T) {
	db := geoiptest.Write(t, geoiptest.Place{Network: "203.0.113.0/24", Country: "PT"})
	if _, err := (Kind{}).Normalize(json.RawMessage(`{"geoip_db": "` + db + `"}`)); err != nil {
		t.Fatalf("a real database: %v", err)
	}
	dir := t.TempDir()
	notMMDB := filepath.Join(dir, "city.mmdb")
	if err := os.WriteFile(notMMDB, []byte("this is not a MaxMind database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"missing": filepath.Join(dir, "nope.mmdb"), "not mmdb": notMMDB, "directory": dir} {
		var ve *contacts.ValidationError
		raw, _ := json.Marshal(map[string]string{"geoip_db": path})
		if _, err := (Kind{}).Normalize(raw); !errors.As(err, &ve) || ve.Fields["config.geoip_db"] == "" {
			t.Errorf("%s: want a validation error on config.geoip_db, got %v", name, err)
		}
	}
}
