package textscan

import (
	"slices"
	"testing"
)

func TestEmails(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "my email is John.Smith@Gmail.com thanks", []string{"john.smith@gmail.com"}},
		{"trailing dot", "write to ana@acme.es.", []string{"ana@acme.es"}},
		{"two in order, deduped", "a@x.io or B@x.io, again a@X.io", []string{"a@x.io", "b@x.io"}},
		{"spelled", "john at gmail dot com", []string{"john@gmail.com"}},
		{"bracketed", "john [at] gmail [dot] com", []string{"john@gmail.com"}},
		{"parens", "john(at)gmail(dot)com", []string{"john@gmail.com"}},
		{"spaced symbol", "john @ gmail . com", []string{"john@gmail.com"}},
		{"word at, real dot", "john at gmail.com", []string{"john@gmail.com"}},
		{"spelled dots in local", "contact me at john dot smith at gmail dot com", []string{"john.smith@gmail.com"}},
		{"symbol beats word", "reach me at jo.smith@acme.co.uk", []string{"jo.smith@acme.co.uk"}},
		{"spanish", "mi correo es juan arroba hotmail punto com", []string{"juan@hotmail.com"}},
		{"french", "jean arobase orange point fr", []string{"jean@orange.fr"}},
		{"cue makes company domain ok", "my email is maria at acme.es", []string{"maria@acme.es"}},
		{"sentence end", "I'll be at home. Com", nil},
		{"meet at noon", "meet at noon", nil},
		{"look at site", "look at example.com", nil},
		{"bought at", "I bought it at amazon.com last week", nil},
		{"staying at", "we're staying at booking.com hotels", nil},
		{"no tld", "mail me at bob@localhost", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Emails(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Emails(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
