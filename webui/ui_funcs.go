package webui

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// baseUIFuncs are the template functions every page may use.
func baseUIFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":    assetURL,
		"initials": initials,
		"datetime": func(t time.Time) string { return formatOr(t, "2006-01-02 15:04") },
		"date":     func(t time.Time) string { return formatOr(t, "2006-01-02") },
		"iso":      func(t time.Time) string { return formatOr(t, time.RFC3339) },
		"ago":      func(t time.Time) string { return ago(time.Now(), t) },
		"join":     strings.Join,
		"add":      func(a, b int) int { return a + b },
		"dict":     dict,
		"thousands": func(n any) string {
			return thousands(fmt.Sprint(n))
		},
	}
}

func formatOr(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout)
}

// initials are the avatar letters of a display name: the first letters of
// its first two words, or "?" for an empty name.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// ago says how long before now t was, coarsely ("5 min ago", "3 days ago").
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	default:
		return t.UTC().Format("2006-01-02")
	}
}

// dict builds a map from key/value pairs, for passing several values to a
// sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// thousands groups the digits of an integer: 48213 -> 48,213.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= 3 || strings.ContainsAny(s, ".e") {
		if neg {
			return "-" + s
		}
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
