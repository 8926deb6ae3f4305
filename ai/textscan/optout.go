package textscan

import (
	"regexp"
	"strings"
)

// optOutRe matches a request to stop being contacted. A bare "stop" counts
// only as the whole message, as SMS carriers read it.
var optOutRe = regexp.MustCompile(`(?:^(?:stop|stopp|parar|pare|arret|arrete|alto|baja|unsubscribe|abmelden)[.!]*$)|(?:` + strings.Join([]string{
	`unsubscribe`, `opt[ -]?out`, `remove me from`, `take me off`, `stop (?:messaging|texting|contacting|sending|writing)`,
	`do not (?:contact|message|text|email) me`, `don'?t (?:contact|message|text|email) me`,
	`darme de baja`, `dadme de baja`, `dame de baja`, `no me (?:contacten|contactes|escriban|escribas|llamen|manden)`, `dejen de (?:escribir|enviar|llamar)`,
	`abmelden`, `austragen`, `nicht mehr (?:kontaktieren|schreiben|anrufen)`, `keine (?:nachrichten|werbung) mehr`,
	`desabonner`, `desinscrire`, `ne me (?:contactez|contacte|ecrivez|appelez) plus`, `arretez de m'(?:ecrire|envoyer|appeler)`,
	`descadastrar`, `cancelar (?:a )?inscricao`, `nao me (?:contatem|contate|mandem|liguem)`, `parem de (?:mandar|enviar|ligar)`,
}, "|") + `)`)

// OptsOut reports whether the customer asks not to be contacted again.
func OptsOut(text string) bool {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	return optOutRe.MatchString(strings.TrimSpace(fold(text)))
}
