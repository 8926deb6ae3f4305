package heuristic

import (
	"regexp"
	"strings"
)

// askRes recognise a bot or staff question for a field, in the five
// languages. The question nearest the end of the turn wins: "Thanks Jake!
// What's your email?" asks for the email.
var askRes = map[string]*regexp.Regexp{
	"email": regexp.MustCompile(`(?i)e-?mail|correo|courriel|\bmail\b|adresse e-mail|endereço de e-mail`),
	"name":  regexp.MustCompile(`(?i)your name|who am i (?:speaking|talking) (?:to|with)|c[oó]mo te llamas|c[oó]mo se llama|tu nombre|su nombre|wie hei(?:ß|ss)en sie|wie hei(?:ß|ss)t du|ihr name|dein name|votre nom|ton nom|vous appelez|t'appelles|seu nome|teu nome|como (?:você )?se chama|como te chamas|qual (?:é )?o (?:seu )?nome`),
	"phone": regexp.MustCompile(`(?i)phone|number|mobile|cell|whatsapp|tel[eé]fono|n[uú]mero|m[oó]vil|celular|telefonnummer|handynummer|nummer|t[ée]l[ée]phone|num[ée]ro|portable|telefone|telem[oó]vel`),
}

// askedFor returns the field a turn asks for, or "".
func askedFor(text string) string {
	if !strings.Contains(text, "?") {
		return ""
	}
	best, at := "", -1
	for field, re := range askRes {
		locs := re.FindAllStringIndex(text, -1)
		if len(locs) == 0 {
			continue
		}
		if last := locs[len(locs)-1][0]; last > at {
			best, at = field, last
		}
	}
	return best
}
