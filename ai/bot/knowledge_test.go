package bot

import "testing"

func TestKnowledgeMatch(t *testing.T) {
	blocks := `Opening hours:
Monday to Friday 9:00-18:00. Closed on public holidays.

# Parking
Free parking behind the building.

Do you take insurance?
We work with most major insurers; bring your card.

Precios: la limpieza cuesta 60 euros.

Öffnungszeiten am Wochenende: Samstag 10-14 Uhr.`
	cases := []struct {
		name, knowledge, message, want string
	}{
		{"qa pair", faqText, "when are you open?", "We're open Monday to Friday, 9am to 6pm, and Saturday 10am to 2pm."},
		{"qa pair, other words", faqText, "how much is the cleaning", "A standard cleaning costs 60 euros."},
		{"qa pair, stemmed", faqText, "can I park there?", "Yes, there is free parking behind the building."},
		{"qa pair, parking", faqText, "parking?", "Yes, there is free parking behind the building."},
		{"heading with colon keeps the heading", blocks, "what are your opening hours", "Opening hours:\nMonday to Friday 9:00-18:00. Closed on public holidays."},
		{"markdown heading", blocks, "Is there parking?", "Free parking behind the building."},
		{"question heading", blocks, "do you accept insurance", "We work with most major insurers; bring your card."},
		{"spanish", blocks, "¿Cuáles son los precios?", "Precios: la limpieza cuesta 60 euros."},
		{"german, accents folded", blocks, "Offnungszeiten Wochenende?", "Öffnungszeiten am Wochenende: Samstag 10-14 Uhr."},
		{"small talk matches nothing", blocks, "thanks, great!", ""},
		{"off topic matches nothing", blocks, "do you sell gift cards?", ""},
		{"no knowledge", "", "opening hours?", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseFAQ(tc.knowledge).match(tc.message)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("match(%q) = %q, %v; want %q", tc.message, got, ok, tc.want)
			}
		})
	}
}

func TestKnowledgeCache(t *testing.T) {
	a := knowledge(faqText)
	if b := knowledge(faqText); a != b {
		t.Error("same knowledge parsed twice")
	}
	if c := knowledge("other"); c == a || c.text != "other" {
		t.Error("changed knowledge not parsed")
	}
}
