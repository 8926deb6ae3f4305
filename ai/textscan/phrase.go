package textscan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type span struct {
	word       string // folded
	start, end int
}

// spans splits text into folded words with their byte offsets.
func spans(text string) []span {
	var out []span
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, newSpan(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newSpan(text, start, len(text)))
	}
	return out
}

// newSpan folds a word and drops a possessive "'s", so "Stripe's team"
// contains "Stripe".
func newSpan(text string, start, end int) span {
	w := fold(text[start:end])
	if t := strings.TrimSuffix(w, "'s"); t != "" {
		w = t
	}
	return span{strings.TrimRight(w, "'"), start, end}
}

// ContainsOwnPhrase reports whether phrase occurs in text as whole words,
// ignoring case and accents, at least once where the customer does not
// attribute it to someone else ("my colleague Pedro"). The guard uses it
// to check that a proposed name or company was really written.
func ContainsOwnPhrase(text, phrase string) bool {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	want := spans(phrase)
	if len(want) == 0 || !utf8.ValidString(phrase) {
		return false
	}
	have := spans(text)
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j].word != want[j].word {
				match = false
				break
			}
		}
		if match && !OthersAt(text, have[i].start, have[i+len(want)-1].end) {
			return true
		}
	}
	return false
}
