package textscan

import (
	"regexp"
	"sort"
	"strings"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Building blocks of an address as people type it. Dots may be spelled out
// or bracketed, and spaced dots count only with a space before them: "gmail
// . com" is an address, while "home. Com" is the end of a sentence.
const (
	localLabel  = `[a-z0-9](?:[a-z0-9_%+\-]*[a-z0-9])?`
	domainLabel = `[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?`
	dotWord     = `(?:dot|punto|ponto|punkt|point)`
	dotSep      = `(?:\.|\s+\.\s*|\s*[\[\(\{<]\s*(?:` + dotWord + `|\.)\s*[\]\)\}>]\s*|\s+` + dotWord + `\s+)`
	atWord      = `(?:at|arroba|arobase)`
)

// symbolAtRe finds addresses whose @ is a symbol or a bracketed word: these
// are unambiguous, so they are taken first and masked out before the looser
// spelled-out form is tried (otherwise "reach me at jo.s@x.com" would read
// as me@jo.s).
var symbolAtRe = regexp.MustCompile(`(?i)(` + localLabel + `(?:` + dotSep + localLabel + `)*)` +
	`(?:\s*@\s*|\s*[\[\(\{<]\s*(?:` + atWord + `|@)\s*[\]\)\}>]\s*)` +
	`(` + domainLabel + `(?:` + dotSep + domainLabel + `)+)`)

// wordAtRe finds "john at gmail dot com". The at must be spaced as a word.
var wordAtRe = regexp.MustCompile(`(?i)(` + localLabel + `(?:` + dotSep + localLabel + `)*)` +
	`\s+` + atWord + `\s+` +
	`(` + domainLabel + `(?:` + dotSep + domainLabel + `)+)`)

var (
	dotSepRe   = regexp.MustCompile(`(?i)` + dotSep)
	spelledDot = regexp.MustCompile(`(?i)(?:\s|[\[\(\{<])` + dotWord + `(?:\s|[\]\)\}>])|[\[\(\{<]\s*\.\s*[\]\)\}>]`)
	emailCue   = regexp.MustCompile(`(?i)(e-?mail|mail|correo|courriel|endereço|adresse|address|direcci[oó]n|contact|write|escr|schreib|écri)`)
)

// Emails returns every address in text, normalised, in order of appearance,
// without duplicates. Obfuscated forms ("john at gmail dot com", "john
// [at] gmail [dot] com", "john @ gmail . com") are read too.
func Emails(text string) []string {
	return values(findEmails(text))
}

// EmailMentions returns every address in text with where it is and whether
// the customer said it belongs to someone else. Repeats are kept: the same
// address may be the customer's in one place and quoted in another.
func EmailMentions(text string) []Mention {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	ms := findEmails(text)
	markOthers(text, ms)
	return ms
}

func findEmails(text string) []Mention {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	var hits []Mention
	masked := []byte(text)
	for _, m := range symbolAtRe.FindAllStringSubmatchIndex(text, -1) {
		if a := assemble(text[m[2]:m[3]], text[m[4]:m[5]]); a != "" {
			hits = append(hits, Mention{Value: a, Start: m[0], End: m[1]})
		}
		for i := m[0]; i < m[1]; i++ {
			masked[i] = ' '
		}
	}
	rest := string(masked)
	// A rejected "me at john dot smith" must not swallow the real address
	// that starts inside it, so the scan resumes at the rejected domain.
	for pos := 0; pos < len(rest); {
		m := wordAtRe.FindStringSubmatchIndex(rest[pos:])
		if m == nil {
			break
		}
		for i := range m {
			m[i] += pos
		}
		local, domain := rest[m[2]:m[3]], rest[m[4]:m[5]]
		if plausibleWordAt(text, m[0], m[1], local, domain) {
			if a := assemble(local, domain); a != "" {
				hits = append(hits, Mention{Value: a, Start: m[0], End: m[1]})
				pos = m[1]
				continue
			}
		}
		pos = m[4]
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits
}

// assemble joins the parts with plain dots and validates the result.
func assemble(local, domain string) string {
	l := dotSepRe.ReplaceAllString(local, ".")
	d := dotSepRe.ReplaceAllString(domain, ".")
	tld := d[strings.LastIndexByte(d, '.')+1:]
	if len(tld) < 2 || !isLetters(tld) {
		return ""
	}
	a, err := contacts.NormalizeEmail(l + "@" + d)
	if err != nil {
		return ""
	}
	return a
}

// plausibleWordAt decides whether "x at y.z" is an address and not a
// sentence ("look at example.com", "I'll be at home"): the local part must
// not be an ordinary word, the TLD must be a real one, and something must
// say "address": a spelled dot, a mail provider, a username-like local
// part, an email cue nearby, or the message being nothing but the address.
func plausibleWordAt(text string, start, end int, local, domain string) bool {
	ll := strings.ToLower(local)
	if atStopwords[ll] || strings.HasSuffix(ll, "ing") {
		return false
	}
	d := strings.ToLower(dotSepRe.ReplaceAllString(domain, "."))
	if !knownTLD[d[strings.LastIndexByte(d, '.')+1:]] {
		return false
	}
	if spelledDot.MatchString(" "+domain+" ") || spelledDot.MatchString(" "+local+" ") {
		return true
	}
	if mailProviders[strings.SplitN(d, ".", 2)[0]] {
		return true
	}
	if strings.ContainsAny(local, "0123456789._-+") {
		return true
	}
	from := max(0, start-60)
	if emailCue.MatchString(text[from:start]) {
		return true
	}
	return strings.TrimSpace(text[:start]) == "" && strings.TrimSpace(strings.Trim(text[end:], ".!")) == ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
