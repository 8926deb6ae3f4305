package bot

import "strings"

// isQuestion reports whether the customer asks something: a question mark,
// or an opening word that starts a question in one of our languages (after
// any greeting).
func isQuestion(text string) bool {
	if strings.ContainsAny(text, "?¿") {
		return true
	}
	ws := words(text)
	for len(ws) > 0 && fillers[ws[0]] {
		ws = ws[1:] // "Hi, what ..." asks as much as "What ..."
	}
	p := " " + strings.Join(ws, " ") + " "
	for _, q := range questionOpeners {
		if strings.HasPrefix(p, " "+q+" ") {
			return true
		}
	}
	for _, q := range questionPhrases {
		if phrase(p, q) {
			return true
		}
	}
	return false
}

var questionOpeners = []string{
	// en
	"what", "what's", "whats", "how", "when", "where", "why", "who", "which", "can", "could", "do", "does", "did",
	"is", "are", "will", "would", "should", "may", "have", "has", "any",
	// es
	"que", "como", "cuando", "donde", "por que", "cual", "cuanto", "cuanta", "cuantos", "puedo", "puede", "pueden",
	"hay", "tienen", "tiene", "hacen",
	// pt
	"o que", "quando", "onde", "qual", "quanto", "quanta", "posso", "pode", "podem", "voces", "tem", "existe",
	// de
	"was", "wie", "wann", "wo", "warum", "welche", "welcher", "welches", "kann", "konnen", "gibt", "habt", "haben sie", "ist", "sind",
	// fr
	"quoi", "comment", "quand", "ou", "pourquoi", "quel", "quelle", "quels", "quelles", "est ce", "pouvez", "puis", "avez",
}

var questionPhrases = []string{
	"tell me", "i want to know", "i'd like to know", "i would like to know", "i wonder", "wondering",
	"quiero saber", "me gustaria saber", "quero saber", "gostaria de saber", "ich mochte wissen", "je voudrais savoir",
}
