package textscan

import "testing"

func TestDeclines(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"no thanks", true},
		{"No thank you, just browsing", true},
		{"I'd rather not", true},
		{"I’d rather not say", true},
		{"prefiero no darlo", true},
		{"No, gracias", true},
		{"non merci", true},
		{"Nein danke", true},
		{"não quero", true},
		{"Prefiro não informar", true},
		{"no", true},
		{"Nope.", true},
		{"no problem!", false},
		{"no worries, here it is: ana@x.com", false},
		{"sure, ana@x.com", false},
		{"I don't know the price", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Declines(tt.text); got != tt.want {
			t.Errorf("Declines(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
