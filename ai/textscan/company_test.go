package textscan

import "testing"

func TestCompany(t *testing.T) {
	tests := []struct {
		text, want string
		ok         bool
	}{
		{"I work at Acme Corp, we need 10 seats", "Acme Corp", true},
		{"i work for Globex.", "Globex", true},
		{"I work at a bakery", "", false},
		{"I work at the University of Porto", "University of Porto", true},
		{"I'm the CTO at Initech", "Initech", true},
		{"Hi, this is Dave from Northwind Traders", "Northwind Traders", true},
		{"trabajo en Mercadona", "Mercadona", true},
		{"trabajo en una tienda", "", false},
		{"trabajo en Madrid", "", false},
		{"Ich arbeite bei Siemens AG in München", "Siemens AG", true},
		{"je travaille chez Renault depuis 5 ans", "Renault", true},
		{"trabalho na Natura", "Natura", true},
		{"We are Johnson & Johnson", "Johnson & Johnson", true},
		{"I'm from Spain", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Company(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Company(%q) = %q %v, want %q %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCountry(t *testing.T) {
	tests := []struct{ text, want string }{
		{"I'm from Spain", "ES"},
		{"ich komme aus Österreich", "AT"},
		{"sou do Brasil", "BR"},
		{"je viens de France", "FR"},
		{"I live in the United Kingdom", "GB"},
		{"I'm from work", ""},
	}
	for _, tt := range tests {
		if got, _ := Country(tt.text); got != tt.want {
			t.Errorf("Country(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if got := PhoneRegion("+34612345678"); got != "ES" {
		t.Errorf("PhoneRegion = %q", got)
	}
}
