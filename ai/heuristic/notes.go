package heuristic

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
	"github.com/switchboard-oss/switchboard/contacts"
)

const maxMemories = 10

// memories collects durable facts, once each.
func memories(turns []turn) []ai.Value {
	var out []ai.Value
	seen := map[string]int{}
	for _, t := range turns {
		if t.injection {
			continue
		}
		for _, f := range textscan.Facts(t.Text) {
			k := strings.ToLower(f)
			if i, ok := seen[k]; ok {
				out[i].MessageIDs = append(out[i].MessageIDs, t.ID)
				continue
			}
			if len(out) == maxMemories {
				continue
			}
			seen[k] = len(out)
			out = append(out, ai.Value{Value: f, Confidence: 0.6, MessageIDs: []int64{t.ID}})
		}
	}
	return out
}

// sentiment scores all customer messages together and cites those that
// carried feeling.
func sentiment(turns []turn) *ai.Sentiment {
	if len(turns) == 0 {
		return nil
	}
	texts := make([]string, len(turns))
	var ids []int64
	for i, t := range turns {
		texts[i] = t.Text
		if _, s := textscan.Sentiment([]string{t.Text}); s != 0 {
			ids = append(ids, t.ID)
		}
	}
	label, score := textscan.Sentiment(texts)
	return &ai.Sentiment{Label: label, Score: score, MessageIDs: ids}
}

// intents are more certain the more messages voice them.
func intents(turns []turn) []ai.Value {
	byName := map[string][]int64{}
	for _, t := range turns {
		if t.injection {
			continue
		}
		for _, in := range textscan.Intents(t.Text) {
			byName[in] = append(byName[in], t.ID)
		}
	}
	var out []ai.Value
	for _, name := range ai.Intents {
		ids := byName[name]
		if len(ids) == 0 {
			continue
		}
		out = append(out, ai.Value{Value: name, Confidence: min(0.9, 0.5+0.1*float64(len(ids))), MessageIDs: ids})
	}
	return out
}

// summary is the learned context in one sentence: who the customer is and
// what they want, from what was found.
func summary(x *ai.Extraction) *ai.Value {
	var who []string
	if x.FirstName != nil {
		n := x.FirstName.Value
		if x.LastName != nil {
			n += " " + x.LastName.Value
		}
		who = append(who, n)
	}
	if x.Company != nil {
		who = append(who, "works at "+x.Company.Value)
	}
	if x.Country != nil {
		who = append(who, "based in "+x.Country.Value)
	}
	var parts []string
	if len(who) > 0 {
		parts = append(parts, strings.Join(who, ", "))
	}
	if len(x.Intents) > 0 {
		parts = append(parts, "interested in "+intentList(x.Intents))
	}
	for _, m := range x.Memories {
		parts = append(parts, lowerFirst(m.Value))
		if len(parts) >= 4 {
			break
		}
	}
	if len(parts) == 0 {
		return nil
	}
	s := strings.Join(parts, "; ")
	r, size := utf8.DecodeRuneInString(s)
	return &ai.Value{Value: string(unicode.ToUpper(r)) + s[size:] + ".", Confidence: 0.5}
}

// lowerFirst lower-cases a note's first letter to sit inside a sentence.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

// conversationSummary is deterministic: counts, intents, what was
// collected and the mood.
func conversationSummary(history []ai.Turn, turns []turn, x *ai.Extraction) *ai.Value {
	var staff, bot int
	for _, t := range history {
		switch t.Role {
		case contacts.SenderStaff:
			staff++
		case contacts.SenderBot:
			bot++
		}
	}
	s := fmt.Sprintf("%d messages (%d from the customer, %d from the bot, %d from staff).", len(history), len(turns), bot, staff)
	if len(x.Intents) > 0 {
		s += " Intents: " + intentList(x.Intents) + "."
	}
	var got []string
	for _, f := range []struct {
		name string
		v    *ai.Value
	}{{"name", x.FirstName}, {"email", x.Email}, {"phone", x.Phone}, {"company", x.Company}} {
		if f.v != nil {
			got = append(got, f.name)
		}
	}
	if len(got) > 0 {
		s += " Collected: " + strings.Join(got, ", ") + "."
	} else {
		s += " Nothing collected."
	}
	if x.Sentiment != nil {
		s += " Sentiment: " + x.Sentiment.Label + "."
	}
	for _, t := range turns {
		if t.injection {
			s += " The customer tried to instruct the assistant; ignored."
			break
		}
	}
	return &ai.Value{Value: s, Confidence: 1}
}

func intentList(vs []ai.Value) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Value
	}
	return strings.Join(names, ", ")
}
