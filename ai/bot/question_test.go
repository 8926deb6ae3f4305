package bot

import "testing"

func TestIsQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"what time do you open": true, "Do you have parking": true, "¿tienen estacionamiento?": true,
		"Wie viel kostet das": true, "comment ça marche": true, "quanto custa": true, "tell me about prices": true,
		"hi, where are you located": true, "ok": false,
		"thanks": false, "my tooth hurts": false, "ana@example.com": false, "": false,
	} {
		if got := isQuestion(text); got != want {
			t.Errorf("isQuestion(%q) = %v", text, got)
		}
	}
}
