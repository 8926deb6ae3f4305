package contacts

import (
	"regexp"
	"sort"
	"strings"
)

// Redacted replaces identifying values in kept message history.
const Redacted = "[redacted]"

// Redactor returns a func that blanks the contact's identifying values out
// of a text: its email, its phone (as E.164, as bare digits and as the
// national number), its names of three letters or more, and its channel ids
// and handles. Matching ignores case.
func (c *Contact) Redactor() func(string) string {
	var vals []string
	add := func(v string) {
		if v = strings.TrimSpace(v); len([]rune(v)) >= 3 {
			vals = append(vals, v)
		}
	}
	add(c.Email)
	if c.Phone != "" {
		add(c.Phone)
		digits := strings.TrimPrefix(c.Phone, "+")
		add(digits)
		if len(digits) > 10 {
			add(digits[len(digits)-10:])
		}
	}
	add(c.FirstName)
	add(c.LastName)
	add(c.ExternalID)
	for _, id := range c.Identities {
		add(id.ExternalID)
		add(id.Handle)
	}
	if len(vals) == 0 {
		return func(s string) string { return s }
	}
	// Longest first, so an email is blanked whole before a name inside it.
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	quoted := make([]string, len(vals))
	for i, v := range vals {
		quoted[i] = regexp.QuoteMeta(v)
	}
	re := regexp.MustCompile(`(?i)` + strings.Join(quoted, "|"))
	return func(s string) string { return re.ReplaceAllString(s, Redacted) }
}
