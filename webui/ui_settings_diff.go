package webui

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"
)

// diffRow is one value of an audit entry's before/after, flattened to a
// dotted key ("config.mode"), as text.
type diffRow struct {
	Key    string
	Before string
	After  string
	// Only one side has the value (a create or delete shows one side).
	Added, Removed bool
}

// Limits of the readable diff: nesting flattened this deep, values cut at
// this many characters (the log keeps them whole; the API shows them).
const (
	diffDepth    = 3
	diffValueMax = 300
)

// auditDiff makes an audit entry's before and after readable: the values
// that changed, key by key. When only one side exists (a create, a delete)
// all its values are listed. Values that are not JSON objects are one row.
func auditDiff(before, after json.RawMessage) []diffRow {
	b, bok := flatten(before)
	a, aok := flatten(after)
	if !bok && !aok {
		return nil
	}
	keys := make([]string, 0, len(b)+len(a))
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, dup := b[k]; !dup {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []diffRow
	for _, k := range keys {
		bv, inB := b[k]
		av, inA := a[k]
		if inB && inA && bv == av {
			continue
		}
		// A snapshot's unset fields say nothing about what happened.
		if (!inB && blank(av)) || (!inA && blank(bv)) {
			continue
		}
		out = append(out, diffRow{Key: k, Before: shortText(bv), After: shortText(av), Added: !inB, Removed: !inA})
	}
	return out
}

// flatten reads a JSON value into dotted keys; ok is false for an empty
// value. A non-object is the single key "value".
func flatten(raw json.RawMessage) (map[string]string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return map[string]string{"value": string(raw)}, true
	}
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		flattenInto(out, "", m, 1)
	} else {
		out["value"] = text(v)
	}
	return out, true
}

func flattenInto(out map[string]string, prefix string, m map[string]any, depth int) {
	for k, v := range m {
		key := prefix + k
		if sub, ok := v.(map[string]any); ok && depth < diffDepth && len(sub) > 0 {
			flattenInto(out, key+".", sub, depth+1)
			continue
		}
		out[key] = text(v)
	}
}

// text shows a JSON value as staff read it: strings bare, nothing as an
// empty string, the rest as compact JSON.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// blank reports a value that holds nothing: empty, an empty list or
// object, a zero time.
func blank(s string) bool {
	return s == "" || s == "[]" || s == "{}" || s == "0001-01-01T00:00:00Z"
}

func shortText(s string) string {
	if utf8.RuneCountInString(s) <= diffValueMax {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:diffValueMax])) + "…"
}
