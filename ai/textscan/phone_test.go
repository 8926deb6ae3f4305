package textscan

import (
	"slices"
	"testing"
)

func TestPhones(t *testing.T) {
	tests := []struct {
		name, text, region string
		want               []string
	}{
		{"us local", "call me at (212) 555-0143", "US", []string{"+12125550143"}},
		{"us dashes", "my cell 415-555-2671 thanks", "US", []string{"+14155552671"}},
		{"international", "+44 20 7946 0958", "US", []string{"+442079460958"}},
		{"double zero", "00 49 30 1234567", "ES", []string{"+49301234567"}},
		{"spain local", "mi móvil es 612 34 56 78", "ES", []string{"+34612345678"}},
		{"brazil local", "(11) 98765-4321", "BR", []string{"+5511987654321"}},
		{"france local", "06 12 34 56 78", "FR", []string{"+33612345678"}},
		{"germany local", "030 12345678", "DE", []string{"+493012345678"}},
		{"uk mobile", "07911 123456", "GB", []string{"+447911123456"}},
		{"two numbers, deduped", "612345678 or +34 612 345 678, or 699 111 222", "ES", []string{"+34612345678", "+34699111222"}},
		{"date", "born 12/05/1985", "US", nil},
		{"iso date", "on 2024-05-12", "DE", nil},
		{"price", "it costs $1,299.00 or 4155552671 USD", "US", nil},
		{"euro price", "son 1.299.000 €", "ES", nil},
		{"order", "order #4155552671", "US", nil},
		{"order number", "order number 4155552671", "US", nil},
		{"order then phone", "order 123, my phone is 415 555 2671", "US", []string{"+14155552671"}},
		{"zip", "zip 94105", "US", nil},
		{"ip", "server 192.168.100.200", "US", nil},
		{"glued to letters", "ref AB4155552671", "US", nil},
		{"no region, national", "415 555 2671", "", nil},
		{"empty", "", "US", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Phones(tt.text, tt.region); !slices.Equal(got, tt.want) {
				t.Errorf("Phones(%q, %q) = %v, want %v", tt.text, tt.region, got, tt.want)
			}
		})
	}
}
