package textscan

import (
	"slices"
	"testing"
)

func TestOffered(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"You can also email us at help@shop.com.", []string{"help@shop.com"}},
		{"Is your email still jane@example.com?", nil},
		{"Thanks! I'll send it to your address, ana@x.com. Our team is at team@shop.com", []string{"team@shop.com"}},
		{"¿Tu correo es ana@x.es?", nil},
	}
	for _, tt := range tests {
		if got := OfferedEmails(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("OfferedEmails(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	if got := OfferedPhones("Call us at 503-555-0143", "US"); !slices.Equal(got, []string{"+15035550143"}) {
		t.Errorf("OfferedPhones = %v", got)
	}
}
