package textscan

import (
	"slices"
	"testing"
)

func TestFacts(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"I prefer morning appointments, if possible", []string{"Prefers morning appointments"}},
		{"I have two kids and a dog", []string{"Has two kids and a dog"}},
		{"I have a question about billing", nil},
		{"I'm interested in the premium plan.", []string{"Interested in the premium plan"}},
		{"I'm allergic to penicillin", []string{"Allergic to penicillin"}},
		{"I'm vegan", []string{"Vegan"}},
		{"prefiero que me llamen por la tarde", []string{"Prefiere que me llamen por la tarde"}},
		{"tengo dos perros", []string{"Tiene dos perros"}},
		{"tengo una pregunta", nil},
		{"Ich habe zwei Kinder", []string{"Hat zwei Kinder"}},
		{"je préfère le mardi", []string{"Préfère le mardi"}},
		{"tenho interesse no plano anual", []string{"Interessado em plano anual"}},
		{"hello", nil},
	}
	for _, tt := range tests {
		if got := Facts(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Facts(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
