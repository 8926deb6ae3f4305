package contacts

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Limits on profile values; generous for people, tight enough that one
// request cannot bloat a row.
const (
	maxNameLen     = 200
	maxEmailLen    = 254
	maxTextLen     = 20000
	maxShortLen    = 200
	maxTagLen      = 64
	maxTags        = 100
	maxMemories    = 200
	maxMemoryLen   = 500
	maxCustomKeys  = 100
	maxCustomValue = 2000
)

var customKeyRe = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)

// NormalizeEmail validates and lower-cases an email address. It accepts only
// a plain address (no display name) with a dotted domain.
func NormalizeEmail(raw string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" {
		return "", nil
	}
	if len(s) > maxEmailLen {
		return "", Invalid("email", "is too long")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", Invalid("email", "is not a valid email address")
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", Invalid("email", "is not a valid email address")
	}
	return s, nil
}

// NormalizePhone parses raw in region (ISO 3166 alpha-2, used when the
// number has no leading +) and returns it in E.164.
func NormalizePhone(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	if len(s) > 40 {
		return "", Invalid("phone", "is too long")
	}
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", Invalid("phone", "is not a valid phone number")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// cleanText trims s, rejects control characters other than newlines and tabs,
// and enforces max runes.
func cleanText(field, s string, max int, multiline bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", Invalid(field, "is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > max {
		return "", Invalid(field, "is too long")
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return "", Invalid(field, "contains control characters")
		}
	}
	if !multiline {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s, nil
}

// NormalizeTag trims and lower-cases a tag.
func NormalizeTag(raw string) (string, error) {
	t, err := cleanText("tags", strings.ToLower(raw), maxTagLen, false)
	if err != nil {
		return "", err
	}
	if t == "" || strings.Contains(t, ",") {
		return "", Invalid("tags", "tags must be non-empty and contain no commas")
	}
	return t, nil
}

// NormalizeTags normalises and de-duplicates tags, keeping their order.
func NormalizeTags(raw []string) ([]string, error) {
	out := make([]string, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for _, r := range raw {
		t, err := NormalizeTag(r)
		if err != nil {
			return nil, err
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, Invalid("tags", "too many tags")
	}
	return out, nil
}

// normalizeMemories trims, drops empties and de-duplicates case-insensitively.
func normalizeMemories(raw []string) ([]string, error) {
	out := make([]string, 0, len(raw))
	seen := map[string]bool{}
	for _, r := range raw {
		m, err := cleanText("memories", r, maxMemoryLen, false)
		if err != nil {
			return nil, err
		}
		k := strings.ToLower(m)
		if m == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, m)
	}
	if len(out) > maxMemories {
		return nil, Invalid("memories", "too many memories")
	}
	return out, nil
}

// NormalizeCountry is a country as contacts store it, for filters that
// must compare with the stored value.
func NormalizeCountry(raw string) (string, error) { return normalizeCountry(raw) }

// normalizeCountry upper-cases two-letter codes and leaves names as typed.
func normalizeCountry(raw string) (string, error) {
	s, err := cleanText("country", raw, 100, false)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(s) == 2 {
		s = strings.ToUpper(s)
	}
	return s, nil
}

func validCustomKey(k string) bool { return customKeyRe.MatchString(k) }

// EmailKey folds an address to the inbox it reaches: lower case, without a
// +tag, and for Gmail without dots. Two contacts with the same key are likely
// the same person (a duplicate suggestion, never an automatic merge).
func EmailKey(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 1 {
		return strings.ToLower(email)
	}
	local, domain := strings.ToLower(email[:at]), strings.ToLower(email[at+1:])
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}
