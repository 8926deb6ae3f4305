package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// words splits text into lower-case words of letters, digits and inner
// apostrophes, with accents folded so "Horário" and "horario" meet.
func words(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.Trim(b.String(), "'"))
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(fold(unicode.ToLower(r)))
		case r == '\'' || r == '’':
			b.WriteByte('\'')
		default:
			flush()
		}
	}
	flush()
	return out
}

// plain drops addresses and links from text: "ana@example.com" says
// nothing about what is asked, and its "com" reads as Portuguese.
func plain(text string) string {
	fs := strings.Fields(text)
	out := fs[:0]
	for _, f := range fs {
		if !strings.Contains(f, "@") && !strings.Contains(f, "://") && !domainRe.MatchString(f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

var domainRe = regexp.MustCompile(`(?i)^[\w-]+(\.[\w-]+)*\.[a-z]{2,}[/.,!?]*$`)

// terms are the words that carry meaning: no stopwords, no small talk,
// stemmed so "prices" finds "pricing".
func terms(text string) []string {
	var out []string
	for _, w := range words(plain(text)) {
		if i := strings.IndexByte(w, '\''); i > 0 && (i <= 2 || w[:i] == "qu") {
			w = w[i+1:] // French elision: l'adresse, qu'est; English it's, i'm
		}
		if w == "" || stopwords[w] || stopwords[strings.ReplaceAll(w, "'", "")] {
			continue
		}
		if s := stem(w); len(s) > 1 {
			out = append(out, s)
		}
	}
	return out
}

// stem strips the common inflections of the languages we meet (English
// most, Romance plurals, German -en). It only needs to be consistent, not
// linguistically right, since both sides of a match go through it.
func stem(w string) string {
	if strings.ContainsAny(w, "0123456789") {
		return w
	}
	for _, group := range suffixes {
		for _, s := range group {
			if strings.HasSuffix(w, s.suffix) && len(w)-len(s.suffix) >= s.keep &&
				(s.unless == "" || !strings.HasSuffix(w, s.unless)) {
				w = w[:len(w)-len(s.suffix)] + s.with
				break
			}
		}
	}
	return w
}

// suffix is one stemming rule: cut suffix (adding with) when keep bytes
// remain and the word does not end in unless (when set).
type suffix struct {
	suffix, with string
	keep         int
	unless       string
}

// suffixes apply in groups: plurals, then verb and adverb endings, then a
// final vowel; at most one rule of each group.
var suffixes = [][]suffix{
	{{"ies", "y", 3, ""}, {"es", "", 4, ""}, {"s", "", 3, "ss"}},
	{{"ing", "", 3, ""}, {"ed", "", 3, ""}, {"ly", "", 3, ""}, {"en", "", 4, ""}},
	{{"e", "", 3, ""}, {"y", "", 4, ""}, {"o", "", 4, ""}, {"a", "", 4, ""}},
}

// fold maps accented Latin letters to their base letter.
func fold(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	if s, ok := accents[r]; ok {
		return s
	}
	return string(r)
}

var accents = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'ö': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ç': "c", 'ñ': "n", 'ß': "ss", 'œ': "oe", 'æ': "ae", 'ÿ': "y",
}

// phrase reports whether text contains the words of p in a row, so "agent"
// does not match "agenda" and punctuation does not matter.
func phrase(padded, p string) bool {
	return strings.Contains(padded, " "+p+" ")
}

// padded is text's words joined by single spaces with a space either side,
// the form phrase searches.
func padded(text string) string {
	return " " + strings.Join(words(text), " ") + " "
}
