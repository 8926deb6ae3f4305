package bot

import "github.com/switchboard-oss/switchboard/ai"

// language guesses which of our template languages the customer writes in.
// The latest message that says enough decides: "ana@example.com" or "Ana"
// carry no language, and one word ("hola") is not enough to switch away
// from the conversation's language. Failing that, all the customer's
// messages together decide; English when nothing does.
func language(history []ai.Turn) string {
	total := map[string]int{}
	for i := len(history) - 1; i >= 0; i-- {
		if !fromCustomer(history[i]) {
			continue
		}
		hits := languageHits(history[i].Text)
		if l, n := leader(hits); n >= 2 {
			return l
		}
		for l, n := range hits {
			total[l] += n
		}
	}
	if l, n := leader(total); n > 0 {
		return l
	}
	return "en"
}

// languageHits counts each language's common words in text.
func languageHits(text string) map[string]int {
	hits := map[string]int{}
	for _, w := range words(plain(text)) {
		for l, m := range markers {
			if m[w] {
				hits[l]++
			}
		}
	}
	return hits
}

// leader is the language with strictly the most hits; a tie has none.
func leader(hits map[string]int) (string, int) {
	best, top, tie := "", 0, false
	for _, l := range languages {
		switch n := hits[l]; {
		case n > top:
			best, top, tie = l, n, false
		case n == top && n > 0:
			tie = true
		}
	}
	if tie {
		return "", 0
	}
	return best, top
}

var languages = []string{"en", "es", "pt", "de", "fr"}

// markers are frequent words of one language that the others rarely use.
var markers = map[string]map[string]bool{
	"en": set(`the is are you your what how please thanks thank hello hi hey my i and can with have want need to it this that would`),
	"es": set(`el los las que por para gracias hola quiero tienen cuanto cuando donde usted mi con una estoy buenas necesito puedo hay tengo muy pero`),
	"pt": set(`voce voces obrigado obrigada ola oi tem quero preciso nao meu minha uma esta sim bom queria gostaria tudo muito`),
	"de": set(`der die das ist ich und nicht danke hallo bitte wie haben sie mein mit ein eine gibt kann wir ihr gerne moglich`),
	"fr": set(`le les est je vous merci bonjour pour avec une des et pas mon ma quel comment suis avez c'est j'ai voudrais`),
}
