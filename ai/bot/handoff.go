package bot

import (
	"strings"

	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// upsetScore is the sentiment at or below which the bot stops and fetches a
// person: insults and "worst service ever", not mild annoyance.
const upsetScore = -0.6

// wantsPerson reports whether the message asks for a human, by the built-in
// phrases or one of the project's keywords (a plain case-insensitive
// substring, as the settings promise).
func wantsPerson(text string, keywords []string) bool {
	lower := strings.ToLower(text)
	for _, k := range keywords {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(lower, k) {
			return true
		}
	}
	p := padded(text)
	for _, h := range humanPhrases {
		if phrase(p, h) {
			return true
		}
	}
	// "talk to a person", "can someone call me", "mit jemandem sprechen": a
	// verb of talking close to someone human, on either side.
	ws := words(text)
	for i, w := range ws {
		if !talkVerbs[w] {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4 && !topicWords[ws[j]]; j++ {
			if humans[ws[j]] {
				return true
			}
		}
		for j := i - 1; j >= 0 && j >= i-3 && backVerbs[w]; j-- {
			if humans[ws[j]] {
				return true
			}
		}
	}
	return false
}

// upset reports whether the customer's latest messages are strongly
// negative: the last one alone, or the last few together while the last is
// still negative (so "ok thanks" after a complaint does not hand off).
func upset(customer []string) bool {
	if len(customer) == 0 {
		return false
	}
	_, last := textscan.Sentiment(customer[len(customer)-1:])
	if last <= upsetScore {
		return true
	}
	if last >= 0 || len(customer) < 2 {
		return false
	}
	_, recent := textscan.Sentiment(customer[max(0, len(customer)-3):])
	return recent <= upsetScore
}

// humanPhrases hand off wherever they appear (accents folded, words only).
var humanPhrases = []string{
	"real person", "real human", "human being", "live agent", "live person", "live chat agent",
	"human agent", "human please", "agent please", "representative", "customer service agent",
	"not a bot", "not a robot", "no bot", "stop the bot",
	// es
	"persona real", "ser humano", "agente humano", "un humano", "un asesor", "representante", "atencion humana",
	// pt
	"pessoa real", "atendente", "atendimento humano", "um humano",
	// de
	"echte person", "echten menschen", "echter mensch", "einem menschen", "einer person", "einem mitarbeiter",
	"einer mitarbeiterin", "kundenberater", "mitarbeiter sprechen",
	// fr
	"vraie personne", "vrai humain", "un humain", "un conseiller", "une conseillere",
}

// talkVerbs and humans make "<talk> ... <human>" requests in any order of
// fillers ("can I speak with somebody please").
var talkVerbs = set(`talk speak chat connect transfer put get reach call
	hablar comunicarme contactar pasar pasas pasame pase falar conversar ligar sprechen reden verbinden parler discuter joindre passer`)

// backVerbs may follow the human: "can someone call me", German word order.
var backVerbs = set(`talk speak call chat sprechen reden verbinden`)

// topicWords end the search: "talk about your staff" is not a request.
var topicWords = set(`about regarding re sobre acerca uber von sur concernant`)

var humans = set(`person human someone somebody agent operator representative rep staff manager supervisor
	humano persona alguien agente operador asesor pessoa alguem atendente mensch menschen person mitarbeiter
	jemandem jemand berater personne humain quelqu'un agent conseiller operateur`)
