package bot

import (
	"math"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// faq is a project's knowledge split into entries the bot may quote.
type faq struct {
	text    string
	entries []entry
	idf     map[string]float64
	unseen  float64 // the weight of a customer's term no entry has
	emails  map[string]bool
}

// entry is one answerable block: the text the bot sends and the terms it
// is about, those of its question counting double.
type entry struct {
	answer string
	terms  map[string]float64
}

// minCoverage is how much of what the customer asked (by term weight) an
// entry must cover before the bot quotes it; below it the bot says it does
// not know rather than answer something else.
const minCoverage = 0.5

// lastFAQ keeps the latest parsed knowledge: a project's knowledge changes
// rarely and is up to 100,000 characters, so parsing it per message would
// dominate a reply's cost.
var lastFAQ atomic.Pointer[faq]

// knowledge returns text parsed, reusing the last parse when unchanged.
func knowledge(text string) *faq {
	if f := lastFAQ.Load(); f != nil && f.text == text {
		return f
	}
	f := parseFAQ(text)
	lastFAQ.Store(f)
	return f
}

var (
	questionMark = regexp.MustCompile(`(?i)^\s*(q|question|pregunta|pergunta|frage)\s*[:.)]\s*`)
	answerMark   = regexp.MustCompile(`(?i)^\s*(a|answer|r|respuesta|resposta|réponse|reponse|antwort)\s*[:.)]\s*`)
	blankLine    = regexp.MustCompile(`\n\s*\n`)
)

// parseFAQ reads "Q: ... A: ..." pairs when the text has them, otherwise
// blocks separated by blank lines whose first line may be a question or a
// heading.
func parseFAQ(text string) *faq {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	f := &faq{text: text, emails: map[string]bool{}}
	for _, e := range textscan.Emails(text) {
		f.emails[e] = true
	}
	if hasLine(text, questionMark) && hasLine(text, answerMark) {
		f.entries = pairs(text)
	} else {
		f.entries = blocks(text)
	}
	df := map[string]int{}
	for _, e := range f.entries {
		for t := range e.terms {
			df[t]++
		}
	}
	n := float64(len(f.entries))
	f.idf = make(map[string]float64, len(df))
	for t, d := range df {
		f.idf[t] = math.Log(1 + n/float64(d))
	}
	// A term no entry has may be filler ("next Tuesday") or the heart of
	// the question ("pizza"); it weighs a little less than the rarest term.
	f.unseen = 0.6 * math.Log(1+n)
	return f
}

func hasLine(text string, re *regexp.Regexp) bool {
	for _, l := range strings.Split(text, "\n") {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// pairs reads Q:/A: pairs; a question may span lines until its answer, an
// answer until the next question. Text before the first question is kept
// as blocks.
func pairs(text string) []entry {
	var out []entry
	var q, a []string
	inAnswer, seenQ := false, false
	var preamble []string
	emit := func() {
		if len(a) > 0 {
			out = append(out, newEntry(strings.Join(q, " "), strings.TrimSpace(strings.Join(a, "\n"))))
		}
		q, a, inAnswer = nil, nil, false
	}
	for _, l := range strings.Split(text, "\n") {
		switch {
		case questionMark.MatchString(l):
			emit()
			seenQ = true
			q = append(q, questionMark.ReplaceAllString(l, ""))
		case !seenQ:
			preamble = append(preamble, l)
		case answerMark.MatchString(l) && !inAnswer:
			inAnswer = true
			a = append(a, answerMark.ReplaceAllString(l, ""))
		case inAnswer:
			a = append(a, l)
		default:
			q = append(q, l)
		}
	}
	emit()
	return append(blocks(strings.Join(preamble, "\n")), out...)
}

// blocks reads blank-line separated blocks. A first line that is a question
// or a "#" heading titles the block and the rest is the answer; a "Hours:"
// style first line titles it too but stays in the answer, where it reads
// naturally.
func blocks(text string) []entry {
	var out []entry
	for _, b := range blankLine.Split(text, -1) {
		var lines []string
		for _, l := range strings.Split(b, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		head, rest := lines[0], strings.Join(lines[1:], "\n")
		switch {
		case len(lines) > 1 && (strings.HasSuffix(head, "?") || strings.HasPrefix(head, "#")):
			out = append(out, newEntry(strings.TrimLeft(head, "# "), rest))
		case len(lines) > 1 && strings.HasSuffix(head, ":"):
			out = append(out, newEntry(head, strings.Join(lines, "\n")))
		default:
			out = append(out, newEntry("", strings.Join(lines, "\n")))
		}
	}
	return out
}

func newEntry(question, answer string) entry {
	e := entry{answer: answer, terms: map[string]float64{}}
	for _, t := range terms(answer) {
		e.terms[t] = 1
	}
	for _, t := range terms(question) {
		e.terms[t] = 2
	}
	return e
}

// match returns the answer of the entry that best covers the message's
// terms, when it covers enough of them.
func (f *faq) match(message string) (string, bool) {
	if f == nil || len(f.entries) == 0 {
		return "", false
	}
	q := map[string]bool{}
	total := 0.0
	for _, t := range terms(message) {
		if !q[t] {
			q[t] = true
			total += f.weight(t)
		}
	}
	if total == 0 {
		return "", false
	}
	best, bestScore := -1, 0.0
	for i, e := range f.entries {
		covered, titled := 0.0, 0.0
		for t := range q {
			if w, ok := e.terms[t]; ok {
				covered += f.weight(t)
				if w > 1 {
					titled += f.weight(t)
				}
			}
		}
		if covered/total < minCoverage {
			continue
		}
		// Coverage decides; a match in the entry's question breaks ties.
		if score := covered/total + 0.1*titled/total; score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 || f.entries[best].answer == "" {
		return "", false
	}
	return f.entries[best].answer, true
}

func (f *faq) weight(t string) float64 {
	if w, ok := f.idf[t]; ok {
		return w
	}
	return f.unseen
}
