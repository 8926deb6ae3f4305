package csvimport

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Fields are the contact fields a column can fill, named as in the contact
// JSON. name is split into first and last name; tags holds tags separated
// by commas (or semicolons, or Google's " ::: "); memories one per line, as
// the export writes them. A column can also fill
// custom.<key>, a custom attribute.
var Fields = []string{
	"first_name", "last_name", "name", "email", "phone", "company", "external_id", "channel",
	"tags", "notes", "context", "memories", "country", "region", "city", "do_not_contact",
	"telegram_id", "instagram_id", "facebook_id", "whatsapp_id",
}

// CustomPrefix starts a field naming a custom attribute: custom.<key>.
const CustomPrefix = "custom."

// How a column came to its field.
const (
	HowAuto     = "auto"     // recognised from the header
	HowExplicit = "explicit" // named in the mapping given
	HowCustom   = "custom"   // unrecognised, kept as a custom attribute
	HowIgnored  = "ignored"  // not imported
	HowReadOnly = "read_only"
)

// Column is one column of the file and what it fills.
type Column struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  string `json:"field,omitempty"` // empty when the column is not imported
	How    string `json:"how"`
	// Rank orders the columns filling one field: a row takes the first
	// non-empty one by rank, then by position.
	Rank int `json:"-"`
}

// MappingError names a problem with a mapping given for a column.
type MappingError struct {
	Column string
	Msg    string
}

func (e *MappingError) Error() string { return fmt.Sprintf("mapping of %q: %s", e.Column, e.Msg) }

// Ignore as a mapping's field leaves the column out.
const Ignore = "ignore"

// IsField reports whether f is a field a column may fill.
func IsField(f string) bool {
	if k, ok := strings.CutPrefix(f, CustomPrefix); ok {
		return ValidCustomKey(k)
	}
	for _, x := range Fields {
		if x == f {
			return true
		}
	}
	return false
}

// Map decides what each header column fills. explicit maps header names
// (matched exactly, else ignoring case and spacing) to fields, "ignore" or
// "" leaving a column out; a field named there is filled only by the
// columns named for it. Other columns are recognised by their header; with
// custom, unrecognised ones become custom attributes keyed by their header.
// It returns every problem with explicit at once.
func Map(header []string, explicit map[string]string, custom bool) ([]Column, []*MappingError) {
	cols := make([]Column, len(header))
	for i, h := range header {
		cols[i] = Column{Index: i, Header: h, How: HowIgnored}
	}
	var errs []*MappingError
	named := map[string]bool{}
	keys := make([]string, 0, len(explicit))
	for k := range explicit {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		field := strings.TrimSpace(explicit[name])
		i := findColumn(header, name)
		if i < 0 {
			errs = append(errs, &MappingError{name, "no such column in the file's header"})
			continue
		}
		switch {
		case field == "" || strings.EqualFold(field, Ignore) || field == "-":
			cols[i].How = HowExplicit
		case IsField(field):
			cols[i].Field, cols[i].How = field, HowExplicit
			named[field] = true
		default:
			errs = append(errs, &MappingError{name, fmt.Sprintf("unknown field %q: use one of %s, custom.<key> or ignore",
				field, strings.Join(Fields, ", "))})
		}
	}
	usedKeys := map[string]bool{}
	for _, c := range cols {
		if k, ok := strings.CutPrefix(c.Field, CustomPrefix); ok {
			usedKeys[k] = true
		}
	}
	for i := range cols {
		c := &cols[i]
		if c.How == HowExplicit {
			continue
		}
		field, rank, ok := recognise(c.Header)
		switch {
		case ok && field == "":
			c.How = HowReadOnly
		case ok && !named[field]:
			c.Field, c.How, c.Rank = field, HowAuto, rank
		case ok:
			// The field was mapped explicitly to another column.
		case custom && strings.TrimSpace(c.Header) != "":
			key := customKey(c.Header, i)
			for n := 2; usedKeys[key]; n++ {
				key = customKey(c.Header, i) + "_" + strconv.Itoa(n)
			}
			usedKeys[key] = true
			c.Field, c.How = CustomPrefix+key, HowCustom
		}
	}
	return cols, errs
}

// findColumn finds a header by exact name, else by its normal form.
func findColumn(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	n := normalize(name)
	for i, h := range header {
		if normalize(h) == n {
			return i
		}
	}
	return -1
}

// recognise maps a header to its field; ok with an empty field means a
// read-only column of Switchboard's export (ids, timestamps, derived
// values), which is never imported.
func recognise(header string) (field string, rank int, ok bool) {
	h := strings.TrimSpace(header)
	if k, ok := cutPrefixFold(h, CustomPrefix); ok && k != "" {
		if !ValidCustomKey(k) {
			k = customKey(k, 0)
		}
		return CustomPrefix + k, 0, true
	}
	n := normalize(h)
	if a, ok := aliases[n]; ok {
		return a.field, a.rank, true
	}
	if readOnly[n] {
		return "", 0, true
	}
	return "", 0, false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// normalize lower-cases a header and turns every run of other characters
// than letters and digits into one space: "E-mail 1 - Value" is "e mail 1
// value", "first_name" is "first name".
func normalize(h string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// customKey makes a custom attribute key (letters, digits, '_', '.', '-',
// at most 64) from a header.
func customKey(header string, index int) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(strings.TrimSpace(header)) {
		ok := r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-')
		if !ok {
			under = true
			continue
		}
		if under && b.Len() > 0 {
			b.WriteByte('_')
		}
		under = false
		b.WriteRune(r)
	}
	k := b.String()
	if len(k) > 58 {
		k = k[:58]
	}
	if k == "" {
		k = "column_" + strconv.Itoa(index+1)
	}
	return k
}

// ValidCustomKey reports whether k may key a custom attribute: 1-64
// letters, digits, '_', '.' or '-' (the contact engine's rule).
func ValidCustomKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
