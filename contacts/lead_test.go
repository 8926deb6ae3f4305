package contacts

import (
	"fmt"
	"testing"
	"time"
)

func TestDeriveLead(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d int) time.Time { return now.Add(-time.Duration(d) * 24 * time.Hour) }
	cases := []struct {
		name   string
		c      Contact
		status LeadStatus
		score  LeadScore
	}{
		{"brand new, no email", Contact{CreatedAt: ago(1)}, LeadNew, LeadWarm},
		{"new with one conversation", Contact{CreatedAt: ago(3), ConversationCount: 1, Email: "a@b.co"}, LeadNew, LeadWarm},
		{"two conversations, recent", Contact{CreatedAt: ago(3), ConversationCount: 2, Email: "a@b.co", LastSeenAt: ago(1), LastOutboundAt: ago(1)}, LeadActive, LeadHot},
		{"old, no email or phone", Contact{CreatedAt: ago(20)}, LeadFollowUp, LeadWarm},
		{"unanswered for 8 days", Contact{CreatedAt: ago(3), ConversationCount: 1, Email: "a@b.co", LastInboundAt: ago(8)}, LeadFollowUp, LeadWarm},
		{"answered", Contact{CreatedAt: ago(30), ConversationCount: 2, Email: "a@b.co", LastInboundAt: ago(8), LastOutboundAt: ago(8)}, LeadActive, LeadWarm},
		{"quiet for 2 months", Contact{CreatedAt: ago(60), ConversationCount: 2, Phone: "+1", LastSeenAt: ago(59)}, LeadFollowUp, LeadCold},
		{"no activity for a year", Contact{CreatedAt: ago(400), Email: "a@b.co"}, LeadArchived, LeadCold},
		{"opted out", Contact{CreatedAt: ago(1), DoNotContact: true}, LeadArchived, LeadCold},
	}
	for _, tc := range cases {
		st, sc, next := DeriveLead(&tc.c, now)
		if st != tc.status || sc != tc.score {
			t.Errorf("%s: got %s/%s, want %s/%s", tc.name, st, sc, tc.status, tc.score)
		}
		if !next.After(now) {
			t.Errorf("%s: refresh time %v not in the future", tc.name, next)
		}
	}
	// The refresh time is when the status really changes.
	c := Contact{CreatedAt: ago(3), ConversationCount: 1, Email: "a@b.co"}
	_, _, next := DeriveLead(&c, now)
	if want := c.CreatedAt.Add(7 * 24 * time.Hour); !next.Equal(want) {
		t.Errorf("next change of a new lead at %v, want %v", next, want)
	}
}

func TestNormalize(t *testing.T) {
	emails := map[string]string{" Ann@Example.COM ": "ann@example.com", "a.b+c@sub.example.co.uk": "a.b+c@sub.example.co.uk", "": ""}
	for in, want := range emails {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("email %q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"ann", "ann@", "@x.com", "ann@x", "Ann <a@x.com>", "a@@x.com", "a@x..com", "a b@x.com"} {
		if _, err := NormalizeEmail(bad); err == nil {
			t.Errorf("email %q accepted", bad)
		}
	}
	phones := []struct{ in, region, want string }{
		{"(415) 555-0123", "US", "+14155550123"},
		{"+44 20 7946 0958", "US", "+442079460958"},
		{"0044 20 7946 0958", "US", "+442079460958"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"+55 11 91234-5678", "US", "+5511912345678"},
	}
	for _, p := range phones {
		if got, err := NormalizePhone(p.in, p.region); err != nil || got != p.want {
			t.Errorf("phone %q/%s: %q %v", p.in, p.region, got, err)
		}
	}
	for _, bad := range []string{"12", "abc", "+999 123", "555-0123-555-0123-555-0123-555-0123-555-0123"} {
		if _, err := NormalizePhone(bad, "US"); err == nil {
			t.Errorf("phone %q accepted", bad)
		}
	}
	keys := map[string]string{"John.Smith+x@GoogleMail.com": "johnsmith@gmail.com", "a.b+c@example.com": "a.b@example.com"}
	for in, want := range keys {
		if got := EmailKey(in); got != want {
			t.Errorf("EmailKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplayName(t *testing.T) {
	cases := []struct {
		c    Contact
		want string
	}{
		{Contact{FirstName: "Ann", LastName: "Lee", Email: "a@b.co"}, "Ann Lee"},
		{Contact{Email: "a@b.co", Phone: "+1"}, "a@b.co"},
		{Contact{Phone: "+14155550123"}, "+14155550123"},
		{Contact{Identities: []Identity{{Channel: ChannelTelegram, ExternalID: "42", Handle: "@ann"}}}, "@ann"},
		{Contact{Identities: []Identity{{Channel: ChannelTelegram, ExternalID: "42"}}}, "42"},
	}
	for _, tc := range cases {
		if got := tc.c.Name(); got != tc.want {
			t.Errorf("Name() = %q, want %q", got, tc.want)
		}
	}
}

func TestPhoneVariants(t *testing.T) {
	cases := map[string][]string{
		"+5511912345678": {"+5511912345678", "+551112345678"},
		"+551187654321":  {"+551187654321", "+5511987654321"},
		"+551132345678":  {"+551132345678"}, // a landline has no ninth digit
		"+5491123456789": {"+5491123456789", "+541123456789"},
		"+541123456789":  {"+541123456789", "+5491123456789"},
		"+14155550123":   {"+14155550123"},
	}
	for in, want := range cases {
		if got := PhoneVariants(in); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("PhoneVariants(%s) = %v, want %v", in, got, want)
		}
	}
	if got := normalizeVerifiedPhone("+551187654321", "US"); got != "+551187654321" && got != "+5511987654321" {
		t.Errorf("normalizeVerifiedPhone: %q", got)
	}
}
