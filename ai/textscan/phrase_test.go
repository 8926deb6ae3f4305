package textscan

import "testing"

func TestContainsOwnPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"Hi, I'm Lucía Fernández", "lucia fernandez", true},
		{"Hi, I'm Lucía", "Luc", false},
		{"my colleague Pedro told me about you", "Pedro", false},
		{"I'm Maria, my colleague Pedro told me about you", "Maria", true},
		{"we are Johnson & Johnson", "Johnson & Johnson", true},
		{"anything", "", false},
	}
	for _, tt := range tests {
		if got := ContainsOwnPhrase(tt.text, tt.phrase); got != tt.want {
			t.Errorf("ContainsOwnPhrase(%q, %q) = %v, want %v", tt.text, tt.phrase, got, tt.want)
		}
	}
}
