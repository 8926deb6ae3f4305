package textscan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// readName reads up to four name words from text[at:]. strong allows a
// lower-case name; otherwise the first word needs a capital, or to be a
// known first name.
func readName(text string, at int, strong bool, conf float64) (Name, bool) {
	type tok struct {
		s          string
		start, end int
	}
	var toks []tok
	i := at
	for len(toks) < 6 && i < len(text) {
		// Single spaces only: a comma or full stop ends the name.
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' && r != '.' {
				break
			}
			j += size
		}
		w := strings.TrimRight(text[i:j], ".'’-")
		if w == "" {
			break
		}
		toks = append(toks, tok{w, i, i + len(w)})
		if j > i+len(w) || j >= len(text) || text[j] != ' ' {
			break
		}
		i = j + 1
	}
	// A title ("Mr", "Frau") is skipped; alone before one word it marks a
	// surname.
	titled := false
	for len(toks) > 0 && titles[fold(toks[0].s)] {
		toks, titled = toks[1:], true
	}
	if len(toks) == 0 {
		return Name{}, false
	}
	first := toks[0].s
	if !nameWord(first) || nameStop[fold(first)] || businessWords[fold(first)] {
		return Name{}, false
	}
	lowerFirst := !startsUpper(first)
	if lowerFirst && !strong && !firstNames[strings.ToLower(first)] {
		return Name{}, false
	}
	if isAllUpper(first) && utf8.RuneCountInString(first) <= 2 {
		return Name{}, false
	}
	parts := []string{first}
	end := toks[0].end
	for k := 1; k < len(toks) && len(parts) < 4; k++ {
		w := toks[k].s
		f := fold(w)
		if nameParticles[f] && k+1 < len(toks) && startsUpper(toks[k+1].s) && nameWord(toks[k+1].s) && !nameStop[fold(toks[k+1].s)] && !businessWords[fold(toks[k+1].s)] {
			parts = append(parts, w)
			continue
		}
		// A surname in a lower-case message follows a lower-case first
		// name; elsewhere it needs its capital.
		if !nameWord(w) || nameStop[f] || titles[f] || businessWords[f] || (!startsUpper(w) && !(lowerFirst && strong)) {
			break
		}
		parts = append(parts, w)
		end = toks[k].end
	}
	// Drop a dangling particle.
	for len(parts) > 1 && nameParticles[fold(parts[len(parts)-1])] {
		parts = parts[:len(parts)-1]
	}
	n := Name{Confidence: conf, Start: toks[0].start, End: end}
	if titled && len(parts) == 1 {
		n.Last = tidyName(parts[0])
	} else {
		n.First = tidyName(parts[0])
		n.Last = tidyName(strings.Join(parts[1:], " "))
	}
	return n, true
}

// nameWord is a plausible name word: letters, inner hyphens and
// apostrophes, 2 to 30 runes, no possessive "'s".
func nameWord(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > 30 {
		return false
	}
	lw := strings.ToLower(w)
	if strings.HasSuffix(lw, "'s") || strings.HasSuffix(lw, "’s") {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func isAllUpper(w string) bool {
	return strings.ToUpper(w) == w
}

// tidyName title-cases words typed all in lower or upper case and keeps
// deliberate casing ("McDonald", "DeLuca", "de la Cruz") as typed.
func tidyName(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		if nameParticles[fold(w)] && i < len(ws)-1 {
			continue
		}
		if w == strings.ToLower(w) || w == strings.ToUpper(w) {
			ws[i] = TitleWord(w)
		}
	}
	return strings.Join(ws, " ")
}

// TitleWord capitalises each hyphen or apostrophe part: "jean-luc" ->
// "Jean-Luc", "o'neil" -> "O'Neil".
func TitleWord(w string) string {
	rs := []rune(strings.ToLower(w))
	up := true
	for i, r := range rs {
		if up {
			rs[i] = unicode.ToUpper(r)
		}
		up = r == '-' || r == '\'' || r == '’'
	}
	return string(rs)
}
