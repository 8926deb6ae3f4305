package textscan

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// companyRes introduce an employer. The company itself must be written as
// a name (a capital, a digit or an inner capital: "Acme", "3M", "iFood"),
// so "I work at a bakery" and "trabajo en una tienda" give nothing.
var companyRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(?:i\s+work\s+(?:at|for|with|in)|i['’]?m\s+working\s+(?:at|for)|i\s+am\s+working\s+(?:at|for)|i\s+run|i\s+own|my\s+company\s+is|my\s+company['’]s\s+name\s+is|our\s+company\s+is|the\s+company\s+is\s+called|my\s+company\s+is\s+called|we\s+are|we['’]re|company\s*:|employer\s*:|i['’]?m\s+(?:calling|writing|reaching\s+out)\s+from|on\s+behalf\s+of|i['’]?m\s+with|i\s+am\s+with)\s+`),
	regexp.MustCompile(`(?i)\b(?:i['’]?m|i\s+am)\s+(?:the|a|an)\s+(?:[\p{L}\-]+\s+){0,3}?(?:at|of|for)\s+`),
	regexp.MustCompile(`(?i)\b(?:trabajo\s+(?:en|para|con)|mi\s+empresa\s+(?:es|se\s+llama)|nuestra\s+empresa\s+(?:es|se\s+llama)|la\s+empresa\s+(?:es|se\s+llama)|empresa\s*:|somos|te\s+escribo\s+de(?:sde)?|les\s+escribo\s+de(?:sde)?|escribo\s+de\s+parte\s+de)\s+`),
	regexp.MustCompile(`(?i)\b(?:ich\s+arbeite\s+(?:bei|für|fuer)|meine\s+firma\s+(?:ist|heißt|heisst)|unsere\s+firma\s+(?:ist|heißt|heisst)|firma\s*:|wir\s+sind|ich\s+bin\s+(?:bei|von))\s+`),
	regexp.MustCompile(`(?i)\b(?:je\s+travaille\s+(?:chez|pour|à|a)|mon\s+entreprise\s+(?:est|s['’]appelle)|notre\s+entreprise\s+(?:est|s['’]appelle)|notre\s+société\s+(?:est|s['’]appelle)|société\s*:|entreprise\s*:|nous\s+sommes)\s+`),
	regexp.MustCompile(`(?i)\b(?:trabalho\s+(?:na|no|em|para|pra|com)|minha\s+empresa\s+(?:é|e|se\s+chama)|nossa\s+empresa\s+(?:é|e|se\s+chama)|empresa\s*:|somos\s+(?:a|o|da|do))\s+`),
}

// fromRe reads "Tom from Acme" / "Juan de Acme" right after a name. After
// a comma ("Valentina, de Rosario") it is where they are from, so no comma.
var fromRe = regexp.MustCompile(`^\s+(?:from|at|with|here\s+from|de|da|do|von|chez)\s+`)

// legalFormRe is a name ending in a legal form, a company wherever it
// appears: "Zimmermann Bau GmbH", "Acme Ltd".
var legalFormRe = regexp.MustCompile(`(?:^|[\s,(])((?:\p{Lu}[\p{L}&'\-]*\s+){1,4}(?:GmbH|AG|KG|Ltd\.?|Limited|LLC|Inc\.?|Corp\.?|S\.A\.?|SA|S\.L\.?|SL|SAS|SARL|Ltda\.?|BV|PLC|plc|e\.K\.|UG|S\.p\.A\.?|Srl|SRL|LDA|Lda\.?))(?:$|[\s,.;:!?)])`)

// companyAbbrevs end in a dot that does not end the name.
var companyAbbrevs = setOf("dr", "st", "inc", "ltd", "co", "corp", "mr", "mrs", "bros", "sr", "sra", "cia", "s.a", "s.l", "e.v")

// companyArticles are skipped before the company name.
var companyArticles = setOf("the", "a", "an", "el", "la", "los", "las", "un", "una", "die", "der", "das", "den", "dem", "le", "l'", "une", "o", "os", "as", "um", "uma")

// companyJoiners may sit inside a company name ("Bank of America", "Banco
// do Brasil", "Johnson & Johnson").
var companyJoiners = setOf("of", "de", "del", "do", "da", "dos", "das", "and", "&", "y", "e", "und", "et", "the", "la", "für", "fur", "for")

// Company finds an employer the customer names ("I work at Acme", "trabajo
// en Mercadona", "ich arbeite bei Siemens", "je travaille chez Renault",
// "trabalho na Natura"). Places are not companies.
func Company(text string) (string, bool) {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	for _, re := range companyRes {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			if c, ok := readCompany(text[loc[1]:]); ok {
				return c, true
			}
		}
	}
	if m := legalFormRe.FindStringSubmatch(text); m != nil {
		if c, ok := readCompany(m[1]); ok && strings.HasSuffix(strings.TrimRight(m[1], "."), strings.TrimRight(c, ".")) {
			return c, true
		}
	}
	if n, ok := SelfName(text); ok {
		if loc := fromRe.FindStringIndex(text[n.End:]); loc != nil {
			if c, ok := readCompany(text[n.End+loc[1]:]); ok {
				return c, true
			}
		}
	}
	return "", false
}

// readCompany reads up to five words of a company name from s.
func readCompany(s string) (string, bool) {
	ws := strings.Fields(s)
	if len(ws) > 8 {
		ws = ws[:8]
	}
	for len(ws) > 0 && companyArticles[strings.ToLower(ws[0])] {
		ws = ws[1:]
	}
	var parts []string
	for i, w := range ws {
		core := strings.TrimRight(w, ",.;:!?)\"'’")
		// A possessive ends the name: "Stripe's partnerships team".
		possessive := false
		for _, suf := range []string{"'s", "’s"} {
			if strings.HasSuffix(core, suf) {
				core, possessive = strings.TrimSuffix(core, suf), true
			}
		}
		// "Dr. Wolf", "St. James", "Acme Inc." keep their dots.
		abbrev := strings.HasSuffix(w, ".") && companyAbbrevs[strings.ToLower(core)]
		cut := possessive || core != w && !abbrev
		if core == "" {
			break
		}
		if abbrev {
			core += "."
		}
		switch {
		case companyWord(core):
		case i > 0 && companyJoiners[strings.ToLower(core)] && i+1 < len(ws) && companyWord(strings.TrimRight(ws[i+1], ",.;:!?)")) && !cut:
		default:
			cut = true
			core = ""
		}
		if core != "" {
			parts = append(parts, core)
		}
		if cut || len(parts) == 5 {
			break
		}
	}
	for len(parts) > 0 && companyJoiners[strings.ToLower(parts[len(parts)-1])] {
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return "", false
	}
	c := strings.Join(parts, " ")
	f := fold(c)
	if placeNames[f] || countryByName[f] != "" || nameStop[f] || utf8.RuneCountInString(c) > 80 || utf8.RuneCountInString(c) < 2 {
		return "", false
	}
	return c, true
}

// companyWord is written like a name: a capital first, a digit first, or
// an inner capital ("iFood", "eBay"); "&" and "." are allowed inside.
func companyWord(w string) bool {
	if w == "" || nameStop[fold(w)] && !startsUpper(w) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(w)
	ok := unicode.IsUpper(first) || unicode.IsDigit(first)
	for _, r := range w {
		if unicode.IsUpper(r) {
			ok = true
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("&.-'’+", r) {
			return false
		}
	}
	if !ok {
		return false
	}
	// Pronouns and sentence words capitalised at the start of a clause.
	switch fold(w) {
	case "i", "i'm", "we", "you", "it", "my", "our", "and", "but", "so", "please", "thanks", "can", "could", "would",
		"yo", "ich", "je", "eu", "nous", "wir", "nosotros", "somos", "gracias", "danke", "merci", "obrigado", "obrigada":
		return false
	}
	return true
}
