package textscan

import (
	"slices"
	"testing"
)

func TestIntents(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"How much does the premium plan cost?", []string{"pricing"}},
		{"Can I get a demo next week?", []string{"demo"}},
		{"The app is not working, I can't log in", []string{"support"}},
		{"This is unacceptable, I want a refund", []string{"complaint"}},
		{"I'd like to buy two licenses", []string{"purchase"}},
		{"¿Cuánto cuesta? Quiero comprar", []string{"pricing", "purchase"}},
		{"Was kostet das?", []string{"pricing"}},
		{"ça ne marche pas", []string{"support"}},
		{"quanto custa a assinatura?", []string{"pricing"}},
		{"hello there", nil},
	}
	for _, tt := range tests {
		if got := Intents(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Intents(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestOptsOut(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"STOP", true},
		{"please unsubscribe me", true},
		{"Don't contact me again", true},
		{"quiero darme de baja", true},
		{"Bitte abmelden", true},
		{"ne me contactez plus", true},
		{"não me contatem mais", true},
		{"the bus didn't stop at my street", false},
		{"I can't stop smiling", false},
	}
	for _, tt := range tests {
		if got := OptsOut(tt.text); got != tt.want {
			t.Errorf("OptsOut(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
