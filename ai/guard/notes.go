package guard

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// memories trims, drops empties, instructions and contact details that are
// not the customer's, de-duplicates case-insensitively and caps count and
// length.
func (t *transcript) memories(in []ai.Value) []ai.Value {
	var out []ai.Value
	seen := map[string]bool{}
	for _, m := range in {
		s := truncate(trimmed(m.Value), maxMemoryLen)
		k := strings.ToLower(s)
		if s == "" || seen[k] || hasControl(s) || textscan.Injection(s) || !t.ownDetails(s) {
			continue
		}
		seen[k] = true
		out = append(out, ai.Value{Value: s, Confidence: clamp(m.Confidence), MessageIDs: t.customerOnly(m.MessageIDs)})
		if len(out) == maxMemories {
			break
		}
	}
	return out
}

// ownDetails reports whether every email and phone number in s is one the
// customer gave as theirs, so a note cannot smuggle in what the fields may
// not hold.
func (t *transcript) ownDetails(s string) bool {
	for _, e := range textscan.Emails(s) {
		if _, ok := t.ownEmails[e]; !ok {
			return false
		}
	}
	for _, p := range textscan.Phones(s, t.region) {
		if _, ok := t.ownPhones[p]; !ok {
			return false
		}
	}
	return true
}

// summary caps a summary's length and drops one that carries contact
// details the fields would not accept.
func (t *transcript) summary(v *ai.Value) *ai.Value {
	if v == nil {
		return nil
	}
	s := truncate(strings.TrimSpace(v.Value), maxSummaryLen)
	if s == "" || !t.ownDetails(s) {
		return nil
	}
	return &ai.Value{Value: s, Confidence: clamp(v.Confidence), MessageIDs: t.customerOnly(v.MessageIDs)}
}

var labels = []string{"negative", "neutral", "positive"}

func (t *transcript) sentiment(s *ai.Sentiment) *ai.Sentiment {
	if s == nil {
		return nil
	}
	l := strings.ToLower(strings.TrimSpace(s.Label))
	if !slices.Contains(labels, l) {
		return nil
	}
	score := s.Score
	switch {
	case math.IsNaN(score):
		score = 0
	case score < -1:
		score = -1
	case score > 1:
		score = 1
	}
	return &ai.Sentiment{Label: l, Score: score, MessageIDs: t.customerOnly(s.MessageIDs)}
}

// intents keeps known intents once each.
func (t *transcript) intents(in []ai.Value) []ai.Value {
	var out []ai.Value
	seen := map[string]bool{}
	for _, v := range in {
		name := strings.ToLower(strings.TrimSpace(v.Value))
		if !slices.Contains(ai.Intents, name) || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, ai.Value{Value: name, Confidence: clamp(v.Confidence), MessageIDs: t.customerOnly(v.MessageIDs)})
	}
	return out
}

// truncate cuts s to max runes, at a word boundary when one is near.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}
