package guard

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// email accepts an address the customer wrote as theirs, compared after
// normalisation so "john at gmail dot com" backs john@gmail.com.
func (t *transcript) email(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	e, err := contacts.NormalizeEmail(v.Value)
	if err != nil || e == "" {
		return nil
	}
	found, ok := t.ownEmails[e]
	if !ok {
		return nil
	}
	return t.value(v, e, found)
}

// phone accepts a number the customer wrote as theirs, in E.164.
func (t *transcript) phone(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	p, err := contacts.NormalizePhone(v.Value, t.region)
	if err != nil || p == "" {
		return nil
	}
	found, ok := t.ownPhones[p]
	if !ok {
		return nil
	}
	return t.value(v, p, found)
}

var urlish = regexp.MustCompile(`(?i)(?:https?:|www\.|\.[a-z]{2,4}/|://)`)

// name accepts a clean name that the customer wrote, not of someone else,
// outside any injection attempt.
func (t *transcript) name(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	n := trimmed(v.Value)
	if !cleanName(n) {
		return nil
	}
	if k := strings.ToLower(n); t.staffNames[k] && !t.introduced[k] {
		return nil
	}
	found := t.occurrences(n)
	if len(found) == 0 {
		return nil
	}
	return t.value(v, n, found)
}

// cleanName is letters, spaces, hyphens, apostrophes and dots, at a sane
// length: no digits, no @, no links.
func cleanName(n string) bool {
	if n == "" || utf8.RuneCountInString(n) > maxNameLen || urlish.MatchString(n) {
		return false
	}
	letters := 0
	for _, r := range n {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.':
		default:
			return false
		}
	}
	return letters > 0
}

// company accepts a company the customer named in a clean message.
func (t *transcript) company(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	c := trimmed(v.Value)
	if c == "" || utf8.RuneCountInString(c) > maxCompanyLen || strings.ContainsRune(c, '@') || hasControl(c) {
		return nil
	}
	found := t.occurrences(c)
	if len(found) == 0 {
		return nil
	}
	return t.value(v, c, found)
}

var regions = phonenumbers.GetSupportedRegions()

// country accepts an ISO 3166-1 alpha-2 code, upper-cased.
func (t *transcript) country(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	c := strings.ToUpper(strings.TrimSpace(v.Value))
	if len(c) != 2 || !regions[c] {
		return nil
	}
	return &ai.Value{Value: c, Confidence: clamp(v.Confidence), MessageIDs: t.customerOnly(v.MessageIDs)}
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}
