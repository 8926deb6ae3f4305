package heuristic

import (
	"regexp"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// candidate is one value the customer gave as theirs.
type candidate struct {
	value string
	id    int64
	// bare: the message was the value alone, answering a question for it.
	bare bool
	// retired: the customer said not to use it ("the old one was ...",
	// "..., not x@y.com").
	retired bool
}

// retiredRe, on the text just before a value, marks it as one the
// customer no longer uses.
var retiredRe = regexp.MustCompile(`(?i)(?:\b(?:old|older|previous|former|no longer use|used to be|antiguo|anterior|viejo|ya no uso|alte|alten|alter|fr[üu]here|ancien|ancienne|antigo|antiga|velho|velha)\b[^.,;!?\n]{0,20}|\b(?:not|instead of|rather than|en vez de|en lugar de|no al?|statt|anstatt|nicht|au lieu de|pas|em vez de|n[ãa]o)\s*:?\s*)$`)

// pick chooses among a field's candidates: the most recent one the customer
// did not retire, so corrections ("oops, it's ...", "actually use my work
// email") win. Confidence drops when the customer gave several.
func pick(cs []candidate) *ai.Value {
	var chosen *candidate
	distinct := map[string]bool{}
	for i := range cs {
		distinct[cs[i].value] = true
		if !cs[i].retired {
			chosen = &cs[i]
		}
	}
	if chosen == nil {
		return nil
	}
	conf := 0.9
	if chosen.bare {
		conf = 0.95
	}
	if len(distinct) > 1 {
		conf -= 0.15
	}
	var ids []int64
	for _, c := range cs {
		if c.value == chosen.value && !containsID(ids, c.id) {
			ids = append(ids, c.id)
		}
	}
	return &ai.Value{Value: chosen.value, Confidence: conf, MessageIDs: ids}
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func pickEmail(turns []turn) *ai.Value {
	return pickMention(turns, "email", textscan.EmailMentions)
}

func pickPhone(turns []turn, region string) *ai.Value {
	return pickMention(turns, "phone", func(text string) []textscan.Mention { return textscan.PhoneMentions(text, region) })
}

// pickMention chooses the customer's own email or phone among the values
// found in their messages: never one from an injection attempt, one they
// gave as someone else's, or one the business offered them.
func pickMention(turns []turn, field string, mentions func(string) []textscan.Mention) *ai.Value {
	var cs []candidate
	for _, t := range turns {
		if t.injection {
			continue
		}
		ms := mentions(t.Text)
		for _, m := range ms {
			if m.Others || t.offered[m.Value] {
				continue
			}
			cs = append(cs, candidate{
				value:   m.Value,
				id:      t.ID,
				bare:    t.asked == field && len(ms) == 1 && alone(t.Text, m),
				retired: retiredRe.MatchString(t.Text[max(0, m.Start-40):m.Start]),
			})
		}
	}
	return pick(cs)
}

// alone reports whether the message is the value and little else ("sure,
// x@y.com").
func alone(text string, m textscan.Mention) bool {
	rest := strings.TrimSpace(text[:m.Start]) + " " + strings.TrimSpace(text[m.End:])
	return len(strings.Fields(rest)) <= 3
}

// pickName takes the plainest introduction (ties go to the later one, a
// correction), or a bare answer to "what's your name?". Names that staff
// or the bot used to introduce themselves are not the customer's: "cheers
// Priya" thanks the agent.
func pickName(turns []turn, others []string) (first, last *ai.Value) {
	staff := map[string]bool{}
	for _, o := range others {
		if n, ok := textscan.SelfName(o); ok && n.First != "" {
			staff[strings.ToLower(n.First)] = true
		}
	}
	var best textscan.Name
	var bestID int64
	for _, t := range turns {
		if t.injection {
			continue
		}
		n, ok := textscan.SelfName(t.Text)
		if t.asked == "name" {
			if b, bok := textscan.BareName(t.Text); bok && (!ok || b.Confidence > n.Confidence) {
				n, ok = b, true
			}
		}
		if !ok || staff[strings.ToLower(n.First)] && n.Confidence < 0.9 {
			continue
		}
		if n.Confidence >= best.Confidence {
			best, bestID = n, t.ID
		}
	}
	if best.Confidence == 0 {
		return nil, nil
	}
	if best.First != "" {
		first = &ai.Value{Value: best.First, Confidence: best.Confidence, MessageIDs: []int64{bestID}}
	}
	if best.Last != "" {
		last = &ai.Value{Value: best.Last, Confidence: best.Confidence - 0.05, MessageIDs: []int64{bestID}}
	}
	return first, last
}

// pickCompany takes the last employer named.
func pickCompany(turns []turn) *ai.Value {
	var v *ai.Value
	for _, t := range turns {
		if t.injection {
			continue
		}
		if c, ok := textscan.Company(t.Text); ok {
			v = &ai.Value{Value: c, Confidence: 0.7, MessageIDs: []int64{t.ID}}
		}
	}
	return v
}

// pickCountry trusts the phone's country code first: it is what the
// customer dialled from, not what they happened to mention.
func pickCountry(turns []turn, phone *ai.Value) *ai.Value {
	if phone != nil {
		if r := textscan.PhoneRegion(phone.Value); r != "" {
			return &ai.Value{Value: r, Confidence: 0.6, MessageIDs: phone.MessageIDs}
		}
	}
	var v *ai.Value
	for _, t := range turns {
		if t.injection {
			continue
		}
		if c, ok := textscan.Country(t.Text); ok {
			v = &ai.Value{Value: c, Confidence: 0.7, MessageIDs: []int64{t.ID}}
		}
	}
	return v
}
