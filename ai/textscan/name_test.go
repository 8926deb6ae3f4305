package textscan

import "testing"

func TestSelfName(t *testing.T) {
	tests := []struct {
		text        string
		first, last string
		ok          bool
	}{
		{"Hi, my name is Maria Lopez and I need help", "Maria", "Lopez", true},
		{"hi my name is maria lopez", "Maria", "Lopez", true},
		{"I'm Sarah, I wanted to ask about prices", "Sarah", "", true},
		{"I’m Tom O'Neil from Acme", "Tom", "O'Neil", true},
		{"im maria", "Maria", "", true},
		{"I'm fine, thanks", "", "", false},
		{"I'm looking for a dentist", "", "", false},
		{"I'm Interested In Your Product", "", "", false},
		{"I'm Brazilian", "", "", false},
		{"This is Dave from Northwind", "Dave", "", true},
		{"me llamo Juan Pérez García", "Juan", "Pérez García", true},
		{"Hola, soy Lucía", "Lucía", "", true},
		{"soy de Madrid", "", "", false},
		{"soy cliente desde 2019", "", "", false},
		{"Ich heiße Jürgen Schmidt", "Jürgen", "Schmidt", true},
		{"Mein Name ist Anna-Lena Vogel", "Anna-Lena", "Vogel", true},
		{"ich bin Kunde bei Ihnen", "", "", false},
		{"Ich bin Frau Müller", "", "Müller", true},
		{"Je m'appelle Pierre Dubois", "Pierre", "Dubois", true},
		{"je suis intéressé par l'offre", "", "", false},
		{"Bonjour, je suis Camille", "Camille", "", true},
		{"Meu nome é João da Silva", "João", "da Silva", true},
		{"me chamo ana", "Ana", "", true},
		{"Oi, sou a Fernanda", "Fernanda", "", true},
		{"sou de São Paulo", "", "", false},
		{"Maria here, quick question", "Maria", "", true},
		{"Can you send the quote?\n\nBest regards,\nPeter Jansen", "Peter", "Jansen", true},
		{"call me tomorrow", "", "", false},
		{"It's 5pm here", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		n, ok := SelfName(tt.text)
		if ok != tt.ok || n.First != tt.first || n.Last != tt.last {
			t.Errorf("SelfName(%q) = %q %q %v, want %q %q %v", tt.text, n.First, n.Last, ok, tt.first, tt.last, tt.ok)
		}
	}
}

func TestBareName(t *testing.T) {
	tests := []struct {
		text        string
		first, last string
		ok          bool
	}{
		{"Maria", "Maria", "", true},
		{"maria lopez", "Maria", "Lopez", true},
		{"It's Tom.", "Tom", "", true},
		{"sure, Ana Costa", "Ana", "Costa", true},
		{"ok", "", "", false},
		{"no thanks", "", "", false},
		{"what for?", "", "", false},
		{"ana@x.com", "", "", false},
		{"I need help with my order", "", "", false},
	}
	for _, tt := range tests {
		n, ok := BareName(tt.text)
		if ok != tt.ok || n.First != tt.first || n.Last != tt.last {
			t.Errorf("BareName(%q) = %q %q %v, want %q %q %v", tt.text, n.First, n.Last, ok, tt.first, tt.last, tt.ok)
		}
	}
}
