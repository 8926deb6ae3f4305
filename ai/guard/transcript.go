package guard

import (
	"slices"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
	"github.com/switchboard-oss/switchboard/contacts"
)

// transcript is what the guard knows of the conversation: the customer's
// messages, which of them are injection attempts, and the values each one
// gives as the customer's own.
type transcript struct {
	region   string
	customer map[int64]bool
	// clean are the customer's messages that do not try to instruct the
	// system; values must come from these.
	clean []ai.Turn
	// ownEmails and ownPhones map each value the customer gave as theirs
	// to the messages it occurs in.
	ownEmails map[string][]int64
	ownPhones map[string][]int64
	// staffNames are names bot or staff turns introduced as their own
	// ("Hi, I'm Priya from support"); introduced are the customer's own
	// introductions. A customer thanking Priya does not make Priya theirs.
	staffNames, introduced map[string]bool
}

func newTranscript(history []ai.Turn, region string) *transcript {
	t := &transcript{region: region, customer: map[int64]bool{}, ownEmails: map[string][]int64{}, ownPhones: map[string][]int64{},
		staffNames: map[string]bool{}, introduced: map[string]bool{}}
	// What the business gave as its own contact details is not the
	// customer's when the customer repeats it.
	offered := map[string]bool{}
	for _, turn := range history {
		if turn.Role != contacts.SenderContact {
			for _, v := range textscan.OfferedEmails(turn.Text) {
				offered[v] = true
			}
			for _, v := range textscan.OfferedPhones(turn.Text, region) {
				offered[v] = true
			}
			if n, ok := textscan.SelfName(turn.Text); ok {
				t.staffNames[strings.ToLower(n.First)] = true
			}
			continue
		}
		t.customer[turn.ID] = true
		if textscan.Injection(turn.Text) {
			continue
		}
		t.clean = append(t.clean, turn)
		if n, ok := textscan.SelfName(turn.Text); ok {
			t.introduced[strings.ToLower(n.First)] = true
			t.introduced[strings.ToLower(n.Last)] = true
		}
		for _, m := range textscan.EmailMentions(turn.Text) {
			if !m.Others && !offered[m.Value] {
				t.ownEmails[m.Value] = appendID(t.ownEmails[m.Value], turn.ID)
			}
		}
		for _, m := range textscan.PhoneMentions(turn.Text, region) {
			if !m.Others && !offered[m.Value] {
				t.ownPhones[m.Value] = appendID(t.ownPhones[m.Value], turn.ID)
			}
		}
	}
	return t
}

func appendID(ids []int64, id int64) []int64 {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// ids keeps the model's message ids that are customer turns; when none
// survive, it cites found, the messages the guard saw the value in.
func (t *transcript) ids(model []int64, found []int64) []int64 {
	var out []int64
	for _, id := range model {
		if t.customer[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 && len(found) > 0 {
		out = append([]int64(nil), found...)
	}
	return out
}

// value copies v with the given text, a clamped confidence and checked ids.
func (t *transcript) value(v *ai.Value, text string, found []int64) *ai.Value {
	return &ai.Value{Value: text, Confidence: clamp(v.Confidence), MessageIDs: t.ids(v.MessageIDs, found)}
}

// occurrences returns the clean customer messages where phrase occurs as
// whole words (case and accents aside) and is not said of someone else.
func (t *transcript) occurrences(phrase string) []int64 {
	var ids []int64
	for _, turn := range t.clean {
		if textscan.ContainsOwnPhrase(turn.Text, phrase) {
			ids = append(ids, turn.ID)
		}
	}
	return ids
}

// customerOnly keeps the ids of customer turns.
func (t *transcript) customerOnly(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if t.customer[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func trimmed(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
