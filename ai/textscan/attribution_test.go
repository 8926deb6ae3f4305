package textscan

import "testing"

func TestEmailMentionsOthers(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]bool // value -> Others
	}{
		{"own", "my email is ana@x.com", map[string]bool{"ana@x.com": false}},
		{"bare", "ana@x.com", map[string]bool{"ana@x.com": false}},
		{"wife's", "my wife's email is eva@x.com", map[string]bool{"eva@x.com": true}},
		{"both, own first", "my email is ana@x.com and my wife's is eva@x.com", map[string]bool{"ana@x.com": false, "eva@x.com": true}},
		{"both, other first", "My wife's email is eva@x.com. Mine is ana@x.com", map[string]bool{"ana@x.com": false, "eva@x.com": true}},
		{"trailing", "eva@x.com is my boss's and ana@x.com is mine", map[string]bool{"ana@x.com": false, "eva@x.com": true}},
		{"parenthesis", "cc boss@x.com (my manager) please", map[string]bool{"boss@x.com": true}},
		{"reach boss", "you can also contact my boss at boss@x.com", map[string]bool{"boss@x.com": true}},
		{"her email", "she's interested too, her email is eva@x.com", map[string]bool{"eva@x.com": true}},
		{"boss then mine", "my boss asked me to write; my email is ana@x.com", map[string]bool{"ana@x.com": false}},
		{"es", "el correo de mi jefe es jefe@x.es y el mío es ana@x.es", map[string]bool{"jefe@x.es": true, "ana@x.es": false}},
		{"de", "Die E-Mail meiner Kollegin ist eva@x.de", map[string]bool{"eva@x.de": true}},
		{"fr", "l'adresse de ma femme est eva@x.fr", map[string]bool{"eva@x.fr": true}},
		{"pt", "o email dela é eva@x.com.br", map[string]bool{"eva@x.com.br": true}},
		{"addressee", "I've emailed support@shop.com twice, mine is ana@x.com", map[string]bool{"support@shop.com": true, "ana@x.com": false}},
		{"imperative is own", "please send the quote to ana@x.com", map[string]bool{"ana@x.com": false}},
		{"fr addressee", "J'ai déjà envoyé un mail à contact@shop.fr", map[string]bool{"contact@shop.fr": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]bool{}
			for _, m := range EmailMentions(tt.text) {
				got[m.Value] = m.Others
			}
			if len(got) != len(tt.want) {
				t.Fatalf("EmailMentions(%q) = %v, want %v", tt.text, got, tt.want)
			}
			for v, o := range tt.want {
				if g, ok := got[v]; !ok || g != o {
					t.Errorf("EmailMentions(%q)[%s] = %v, want %v", tt.text, v, g, o)
				}
			}
		})
	}
}

func TestPhoneMentionsOthers(t *testing.T) {
	ms := PhoneMentions("my husband's number is 612 345 678, mine is 699 111 222", "ES")
	if len(ms) != 2 || !ms[0].Others || ms[1].Others {
		t.Fatalf("PhoneMentions = %+v", ms)
	}
}
