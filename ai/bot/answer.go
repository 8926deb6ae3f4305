package bot

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// answerKind is how a customer's message relates to the question the bot
// asked.
type answerKind int

const (
	unrelated answerKind = iota // about something else: answer that, keep waiting
	gave                        // a valid value
	refused                     // "no thanks"
	invalid                     // an attempt at the value that is not valid
)

// reader reads one customer message against what the conversation knows.
// The scans are costly (the injection check most) and most messages need
// none of them, so each runs on first use and is kept.
type reader struct {
	text   string
	region string
	ours   map[string]bool // addresses in the project's knowledge: the business's, not the customer's

	scanned        bool
	all, theirs    []string // addresses found, and those not the business's
	phonesFound    []string
	phonesScanned  bool
	hostileChecked bool
	isHostile      bool
}

// answer reads the message as the answer to a question about field.
func (r *reader) answer(field string) (answerKind, string) {
	if r.hostile() {
		return unrelated, ""
	}
	switch field {
	case "email":
		if e := r.emails(); len(e) > 0 {
			return gave, e[0]
		}
		if textscan.Declines(r.text) {
			return refused, ""
		}
		// A valid address that is the business's own is a mention, not a
		// failed attempt.
		if len(r.all) == 0 && emailAttempt.MatchString(r.text) && !isQuestion(r.text) {
			return invalid, ""
		}
	case "name":
		if n := nameAnswer(r.text); n != "" {
			return gave, n
		}
		if textscan.Declines(r.text) {
			return refused, ""
		}
		if len(strings.Fields(r.text)) <= 3 && strings.ContainsFunc(r.text, unicode.IsDigit) &&
			len(r.emails()) == 0 && len(r.phones()) == 0 {
			return invalid, ""
		}
	case "phone":
		if p := r.phones(); len(p) > 0 {
			return gave, p[0]
		}
		if textscan.Declines(r.text) {
			return refused, ""
		}
		if phoneAttempt.MatchString(r.text) && len(r.emails()) == 0 && !isQuestion(r.text) {
			return invalid, ""
		}
	}
	return unrelated, ""
}

// volunteered returns a value for field the customer offered unasked. It is
// stricter than an answer: one unambiguous value, and for name and phone a
// clear statement ("my name is", "my number is"), since a stray number or
// capitalised word is not an offer.
func (r *reader) volunteered(field string) string {
	v := ""
	switch field {
	case "email":
		if e := r.emails(); len(e) == 1 {
			v = e[0]
		}
	case "name":
		v = statedName(r.text)
	case "phone":
		if !phoneCue.MatchString(r.text) {
			break
		}
		if p := r.phones(); len(p) == 1 {
			v = p[0]
		}
	}
	if v == "" || r.hostile() {
		return ""
	}
	return v
}

// emails are the valid addresses in the message that are not the
// business's own (a customer quoting support@acme.com is not giving theirs).
func (r *reader) emails() []string {
	if !r.scanned {
		r.scanned = true
		r.all = textscan.Emails(r.text)
		for _, e := range r.all {
			if !r.ours[e] {
				r.theirs = append(r.theirs, e)
			}
		}
	}
	return r.theirs
}

func (r *reader) phones() []string {
	if !r.phonesScanned {
		r.phonesScanned = true
		r.phonesFound = textscan.Phones(r.text, r.region)
	}
	return r.phonesFound
}

func (r *reader) hostile() bool {
	if !r.hostileChecked {
		r.hostileChecked = true
		r.isHostile = hostile(r.text)
	}
	return r.isHostile
}

var (
	// emailAttempt: something shaped like an address that did not parse:
	// "john@gmail", "john.gmail.com", "john at gmail".
	emailAttempt = regexp.MustCompile(`(?i)\S@|@\S|\b[\w.+-]+\.(com|net|org|edu|gov|io|co|de|fr|es|pt|br|mx|ar|uk|it|nl)\b|` +
		`\b(gmail|googlemail|hotmail|outlook|yahoo|icloud|proton(mail)?|aol|gmx|yandex)\b|\b(at|arroba|arobase)\b.*\b(dot|punto|ponto|punkt|point)\b`)
	// phoneAttempt: enough digits to be meant as a number.
	phoneAttempt = regexp.MustCompile(`(?:\d[\s().\-/]*){6,}`)
	// phoneCue: the customer says the number is theirs to call.
	phoneCue = regexp.MustCompile(`(?i)(phone|number|mobile|cell|call me|text me|whats ?app|tel[eé]fono|telefone|celular|m[oó]vil|n[uú]mero|nummer|handy|t[eé]l[eé]phone|portable)`)
)
