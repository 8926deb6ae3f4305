package textscan

import (
	"regexp"
	"strings"
)

// declineRe matches a refusal to give something. Phrases are matched on
// folded text; "no problem" and "no worries" are agreements, not refusals.
var declineRe = regexp.MustCompile(`(?:^|[^a-z'])(?:` + strings.Join([]string{
	`no,? thanks?`, `no,? thank you`, `i'?d rather not`, `i would rather not`, `rather not (?:say|share|give)`,
	`i prefer not`, `prefer not to`, `i don'?t want to (?:share|give|say)`, `i do not want to (?:share|give|say)`,
	`not comfortable (?:sharing|giving)`, `none of your business`, `i won'?t (?:share|give)`, `no way`,
	`not (?:now|today)`, `skip(?: it| this| that)?$`, `pass$`,
	`prefiero no`, `no quiero`, `no,? gracias`, `mejor no`, `paso$`, `no te lo (?:doy|voy)`, `no lo (?:doy|voy a dar)`,
	`non,? merci`, `je prefere ne pas`, `je ne veux pas`, `je ne prefere pas`, `pas envie`, `sans facon`,
	`nein,? danke`, `lieber nicht`, `mochte ich nicht`, `will ich nicht`, `mochte ich lieber nicht`, `gebe ich nicht`, `kein interesse`,
	`nao quero`, `prefiro nao`, `nao,? obrigad[oa]`, `melhor nao`, `nao vou (?:passar|dar|informar)`,
}, "|") + `)`)

// bareNo is a message that is only a no in some language.
var bareNo = regexp.MustCompile(`^(?:no+|nope|nah|non|nein|nao|n)[.!]*$`)

// Declines reports whether the customer refuses to give something ("no
// thanks", "prefiero no", "nein danke", "non merci", "não quero").
func Declines(text string) bool {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	f := strings.TrimSpace(fold(text))
	if bareNo.MatchString(f) {
		return true
	}
	return declineRe.MatchString(f)
}
