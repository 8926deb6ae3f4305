package textscan

import (
	"regexp"
	"strings"
)

// Name is a person's name as the customer gave it.
type Name struct {
	First, Last string
	// Confidence is how plainly the text said it: "my name is" beats "I'm",
	// which beats a signature.
	Confidence float64
	// Start and End locate the name in the text.
	Start, End int
}

// introRe lists self-introductions. Strong ones ("my name is") take a
// name in any case; weak ones ("I'm", "soy", "ich bin", "je suis") need a
// capital or a known first name, because "I'm fine" and "soy de Madrid"
// are not names.
var introRes = []struct {
	re     *regexp.Regexp
	strong bool
}{
	{regexp.MustCompile(`(?i)\b(?:my\s+name\s+is|my\s+full\s+name\s+is|(?:^|my\s+)name['’]s|name\s*:|full\s+name\s*:|call\s+me|you\s+can\s+call\s+me)\s+`), true},
	{regexp.MustCompile(`(?i)\b(?:me\s+llamo|mi\s+nombre\s+es|mi\s+nombre\s+completo\s+es|nombre\s*:|puedes\s+llamarme|ll[aá]mame)\s+`), true},
	{regexp.MustCompile(`(?i)\b(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|mein\s+vollständiger\s+name\s+ist|name\s+ist)\s+`), true},
	{regexp.MustCompile(`(?i)(?:\bje\s+m['’]\s?appelle|\bmon\s+nom\s+est|\bmon\s+nom\s+c['’]est|\bmon\s+pr[ée]nom\s+(?:est|c['’]est)|\bnom\s*:|\bappelez-moi|\bappelle-moi)\s+`), true},
	{regexp.MustCompile(`(?i)\b(?:meu\s+nome\s+(?:é|e)|me\s+chamo|eu\s+me\s+chamo|chamo-me|nome\s*:|pode\s+me\s+chamar\s+de)\s+`), true},
	// Italian, the neighbour most often met in these markets.
	{regexp.MustCompile(`(?i)\b(?:mi\s+chiamo|il\s+mio\s+nome\s+(?:è|e))\s+`), true},
	{regexp.MustCompile(`(?i)(?:\bit['’]?s\s+me(?:\s+again)?,?|\bi['’]?m|\bi\s+am|\bthis\s+is|\bit['’]?s)\s+`), false},
	// "I'm his assistant, Megan": a role, then the name in apposition.
	{regexp.MustCompile(`(?i)\b(?:i['’]?m|i\s+am|this\s+is)\s+(?:his|her|their|the|your|a|an)\s+(?:[\p{L}\-]+\s+){0,2}?[\p{L}\-]+,\s+`), false},
	{regexp.MustCompile(`(?i)(?:\bsoy|\byo\s+soy|\bhabla|\baqu[ií]\s+(?:es\s+)?|\b(?:les|le|te|os)\s+(?:escribe|saluda|habla))\s+`), false},
	// Colloquial German puts an article before a first name: "ich bin die
	// Anna"; the capital and the stopwords still rule out "der Inhaber".
	{regexp.MustCompile(`(?i)(?:\bich\s+bin|\bhier\s+ist|\bhier\s+spricht)\s+(?:(?:die|der)\s+)?`), false},
	{regexp.MustCompile(`(?i)(?:\bje\s+suis|\bmoi\s+c['’]est|\bc['’]est|\bici)\s+`), false},
	{regexp.MustCompile(`(?i)(?:\beu\s+sou|\bsou|\baqui\s+(?:é|e|fala))\s+(?:(?:o|a)\s+)?`), false},
}

// askForRe is the name a caller leaves for a callback: "ask for Dave".
var askForRe = regexp.MustCompile(`(?i)\b(?:ask\s+for|pregunt(?:e|a|ad|en)\s+por|demandez|fragen\s+sie\s+nach|pergunt(?:e|a)\s+pel[oa])\s+`)

// hereRe is "Maria here" / "Maria aquí".
var hereRe = regexp.MustCompile(`(?:^|[,.!]\s*|\b(?:hi|hello|hey|hola|oi|ola|olá|hallo|bonjour|salut)[,!]?\s+)(\p{Lu}[\p{Ll}'’\-]+(?:\s+\p{Lu}[\p{Ll}'’\-]+)?)\s+(?:here|aqu[ií]|hier)\b`)

// signOffRe is a sign-off on its own line, the name on the next:
// "Regards,\nMaria Lopez".
var signOffRe = regexp.MustCompile(`(?i)(?:^|\n|[.!]\s+)(?:best\s+regards|kind\s+regards|regards|best|cheers|thanks|thank\s+you|many\s+thanks|saludos|un\s+saludo|atentamente|gracias|muchas\s+gracias|abrazos|atenciosamente|att|abraços|abs|obrigad[oa]|grüße|gruß|viele\s+grüße|liebe\s+grüße|mfg|beste\s+grüße|danke|cordialement|bien\s+à\s+vous|merci|bises|amicalement)\s*[,!.]?\s*\n\s*`)

// SelfName finds the customer introducing themselves: the plainest
// introduction in the text (the first among equals), else "X here", a
// sign-off, a dashed signature or "ask for X".
func SelfName(text string) (Name, bool) {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	best := Name{}
	for _, in := range introRes {
		for _, loc := range in.re.FindAllStringIndex(text, -1) {
			conf := 0.9
			if !in.strong {
				conf = 0.75
			}
			if n, ok := readName(text, loc[1], in.strong, conf); ok && (best.Confidence == 0 || n.Start < best.Start && n.Confidence >= best.Confidence || n.Confidence > best.Confidence) {
				best = n
			}
		}
	}
	if best.Confidence > 0 {
		return best, true
	}
	if m := hereRe.FindStringSubmatchIndex(text); m != nil {
		if n, ok := readName(text, m[2], false, 0.7); ok {
			return n, true
		}
	}
	if locs := signOffRe.FindAllStringIndex(text, -1); len(locs) > 0 {
		at := locs[len(locs)-1][1]
		// Only a name alone on its line, so "Thanks\nI also wanted..." is
		// not read as "I".
		if n, ok := readName(text, at, false, 0.6); ok && lineEnds(text[n.End:]) {
			return n, true
		}
	}
	if m := dashSignRe.FindAllStringSubmatchIndex(text, -1); len(m) > 0 {
		at := m[len(m)-1][1]
		if n, ok := readName(text, at, false, 0.6); ok && (lineEnds(text[n.End:]) || strings.HasPrefix(text[n.End:], ",")) {
			return n, true
		}
	}
	for _, loc := range askForRe.FindAllStringIndex(text, -1) {
		if n, ok := readName(text, loc[1], false, 0.6); ok {
			return n, true
		}
	}
	return Name{}, false
}

// dashSignRe is a signature line opened by a dash: "- Greg Novak".
var dashSignRe = regexp.MustCompile(`(?:^|\n)\s*(?:-{1,2}|–|—)\s*`)

// lineEnds reports whether the rest of a line is empty.
func lineEnds(rest string) bool {
	line, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(strings.Trim(line, ".!,")) == ""
}

// BareName reads a message that is nothing but a name, the usual answer to
// "what's your name?": "Maria", "maria lopez", "It's Tom.", "Soy Ana".
func BareName(text string) (Name, bool) {
	t := strings.TrimSpace(text)
	if t == "" || len(t) > 80 || strings.ContainsAny(t, "@?0123456789") {
		return Name{}, false
	}
	if n, ok := SelfName(t); ok && strings.TrimSpace(strings.Trim(t[n.End:], ".!")) == "" {
		return n, true
	}
	start := 0
	for _, p := range []string{"sure,", "sure", "ok,", "yes,", "claro,", "claro", "si,", "sí,", "ja,", "oui,", "sim,", "of course,"} {
		if strings.HasPrefix(strings.ToLower(t), p+" ") {
			start = len(p) + 1
			break
		}
	}
	n, ok := readName(t, start, true, 0.85)
	if ok && strings.TrimSpace(strings.Trim(t[n.End:], ".! ")) == "" {
		return n, true
	}
	// "Marcus. Marcus Bell": every piece a name; the fullest one wins.
	pieces := strings.FieldsFunc(t[start:], func(r rune) bool { return r == '.' || r == ',' || r == '!' })
	if len(pieces) < 2 {
		return Name{}, false
	}
	var best Name
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		pn, ok := readName(p, 0, true, 0.8)
		if !ok || pn.End != len(p) {
			return Name{}, false
		}
		if len(p) > best.End-best.Start {
			best = pn
		}
	}
	// Offsets of a piece are not offsets in text; locate the winner.
	full := strings.TrimSpace(best.First + " " + best.Last)
	if i := strings.LastIndex(strings.ToLower(t), strings.ToLower(full)); i >= 0 {
		best.Start, best.End = i, i+len(full)
	}
	return best, true
}
