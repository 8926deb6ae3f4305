package bot

import (
	"strings"
	"unicode"

	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// tok is a word as typed, its folded lower-case key, and whether a
// sentence break (.,!?;:) follows it, which ends a name.
type tok struct {
	orig, key string
	brk       bool
}

// toks splits text into words of letters, apostrophes and hyphens, keeping
// other characters (digits, @) inside a word so "ana99" is not a name.
func toks(text string) []tok {
	var out []tok
	start := -1
	for i, r := range text + " " {
		word := !unicode.IsSpace(r) && !strings.ContainsRune(".,!?;:()\"“”¡¿", r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			orig := text[start:i]
			out = append(out, tok{orig: orig, key: strings.Join(words(orig), "-")})
			start = -1
		}
		if !word && !unicode.IsSpace(r) && len(out) > 0 && i < len(text) {
			out[len(out)-1].brk = true
		}
	}
	return out
}

// Introductions: what may precede a name in an answer to "what is your
// name?" (answerIntros) and what marks a name given unasked (statedIntros,
// which excludes "I'm ..." since "I'm Brazilian" is not a name).
var (
	statedIntros = [][]string{
		{"my", "name", "is"}, {"my", "name's"}, {"my", "names"}, {"the", "name", "is"},
		{"me", "llamo"}, {"mi", "nombre", "es"},
		{"meu", "nome", "e"}, {"me", "chamo"},
		{"ich", "heisse"}, {"mein", "name", "ist"},
		{"je", "m'appelle"}, {"mon", "nom", "est"}, {"je", "mappelle"},
	}
	answerIntros = append([][]string{
		{"i'm"}, {"im"}, {"i", "am"}, {"it's"}, {"its"}, {"it", "is"}, {"this", "is"}, {"name's"}, {"call", "me"},
		{"you", "can", "call", "me"}, {"soy"}, {"es"}, {"eu", "sou"}, {"sou"}, {"e"}, {"ich", "bin"}, {"hier", "ist"},
		{"je", "suis"}, {"c'est"}, {"moi", "c'est"}, {"name"}, {"nombre"}, {"nome"}, {"nom"},
	}, statedIntros...)
	// fillers may open an answer before the name: "Sure! It's Ana".
	fillers = set(`hi hello hey hiya sure ok okay yes yeah yep of course well oh sorry
		hola claro si vale oi ola sim bonjour salut oui bien sur d'accord hallo ja klar gerne`)
	// particles stay lower-case inside a name: Ana da Silva, Ludwig van Beethoven.
	particles = set(`da de do dos das del della di du des la le van von der den ter bin al`)
	// conjunctions end a name: "I'm Ana and I need help".
	conjunctions = set(`and but or y pero o e mas ou und aber oder et mais from de`)
)

// nameAnswer reads a reply to "may I have your name?": a bare name ("ana
// silva") or one after an introduction ("I'm Ana"), properly cased.
func nameAnswer(text string) string {
	ts := toks(text)
	i := 0
	for i < len(ts) && fillers[ts[i].key] {
		i++
	}
	if n := startsWith(ts[i:], answerIntros); n > 0 {
		return nameRun(ts[i+n:], false)
	}
	return nameRun(ts[i:], true)
}

// statedName finds "my name is Ana Silva" anywhere in a message.
func statedName(text string) string {
	ts := toks(text)
	for i := range ts {
		if n := startsWith(ts[i:], statedIntros); n > 0 {
			return nameRun(ts[i+n:], false)
		}
	}
	return ""
}

// startsWith returns the length of the longest intro ts starts with,
// without a sentence break inside it.
func startsWith(ts []tok, intros [][]string) int {
	best := 0
next:
	for _, in := range intros {
		if len(in) > len(ts) || len(in) <= best {
			continue
		}
		for j, w := range in {
			if ts[j].key != w || (ts[j].brk && j < len(in)-1) {
				continue next
			}
		}
		best = len(in)
	}
	return best
}

// nameRun takes the name at the start of ts: up to four name-like words,
// ending at a sentence break or a conjunction. whole demands that nothing
// else follows, for a bare answer where "fine thanks" must not be a name.
func nameRun(ts []tok, whole bool) string {
	var parts []string
	for i, t := range ts {
		if conjunctions[t.key] && len(parts) > 0 && !(particles[t.key] && i+1 < len(ts) && nameLike(ts[i+1])) {
			break
		}
		if initial(t) && len(parts) > 0 {
			break // "Ana S.": the initial is not worth keeping, the name is
		}
		if !nameLike(t) || (particles[t.key] && len(parts) == 0) {
			if whole || len(parts) == 0 {
				return ""
			}
			break
		}
		parts = append(parts, t.orig)
		if len(parts) > 4 {
			return ""
		}
		if t.brk {
			if whole && i < len(ts)-1 {
				return ""
			}
			break
		}
	}
	if len(parts) == 0 || particles[strings.ToLower(parts[len(parts)-1])] {
		return ""
	}
	for i, p := range parts {
		parts[i] = properCase(p, i == 0)
	}
	return strings.Join(parts, " ")
}

// nameLike: letters with inner hyphens or apostrophes, not a common word.
func nameLike(t tok) bool {
	if t.key == "" || len([]rune(t.orig)) < 2 || notNames[t.key] || (stopwords[t.key] && !particles[t.key]) {
		return false
	}
	for _, r := range t.orig {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

func initial(t tok) bool {
	rs := []rune(t.orig)
	return len(rs) == 1 && unicode.IsLetter(rs[0])
}

// notNames are words people answer with that are not names.
var notNames = set(`interested looking busy new customer client here back ready sorry fine good great bad
	anonymous none nobody nothing why what later nevermind private secret skip pass
	interesado interesada ocupado ocupada cliente nadie privado interessado interessada ocupada ninguem
	beschaftigt kunde niemand privat interesse occupe occupee personne prive`)

// properCase capitalises each part of a name the customer typed in one
// case ("ana silva", "ANA"), and leaves names already mixed-case
// ("McDonald") as typed.
func properCase(w string, first bool) string {
	lower := strings.ToLower(w)
	if !first && particles[lower] {
		return lower
	}
	if w != lower && w != strings.ToUpper(w) {
		return w
	}
	return textscan.TitleWord(lower)
}
