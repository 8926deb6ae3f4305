// Package bot is the conversation flow: Decide works out, without any
// model, what a reply must do (hand off, ask for a field, confirm or drop
// one), and Heuristic phrases that plan from fixed templates and the
// project's FAQ. Because the plan is decided here, a model responder only
// words it and cannot be talked into asking twice or confirming an address
// the customer never gave.
package bot

import (
	"slices"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
)

// Decide reads the customer's latest message (the last turn of
// req.History) against the conversation's state and returns the plan for
// this reply and the state after it. region (ISO 3166 alpha-2) reads phone
// numbers typed without a country code; the contact's country stands in
// when it is empty. Decide never modifies req.State.
func Decide(req ai.ReplyRequest, region string) (ai.Plan, ai.BotState) {
	st := cloneState(req.State)
	var plan ai.Plan
	text, count, ok := lastCustomer(req.History)
	if !ok {
		return plan, st
	}
	c := profile(req)
	if region == "" {
		region = c.country
	}
	r := &reader{text: text, region: region, ours: knowledge(req.Bot.Knowledge).emails}
	handoff := wantsPerson(text, req.Bot.HandoffKeywords) || upset(customerTexts(req.History))

	// quiet: this message closed a question without a value (declined, an
	// invalid answer, given up on); asking the next field now would nag.
	quiet := false
	if f := st.Pending; f != "" {
		switch kind, value := r.answer(f); kind {
		case gave:
			confirm(&plan, f, value)
			settle(&st)
		case refused:
			plan.Declined = f
			st.Declined[f] = true
			settle(&st)
			quiet = true
		case invalid:
			if st.Asked[f] < 2 && !handoff {
				plan.AskAgain, plan.Invalid = true, f
				st.Asked[f]++
			} else {
				settle(&st)
			}
			quiet = true
		default:
			// Something else: answer it and wait one more message for the
			// answer, then let the question go.
			if waited(st) {
				settle(&st)
				quiet = true
			} else {
				wait(&st)
			}
		}
	}
	for _, f := range fields {
		// A known email may be replaced by a new one the customer offers
		// (the contact engine weighs the two); name and phone are only
		// collected while missing.
		if plan.Confirmed[f] != "" || !collects(req.Bot, f) || (f != "email" && c.value(f) != "") {
			continue
		}
		if v := r.volunteered(f); v != "" && v != c.value(f) {
			confirm(&plan, f, v)
		}
	}
	if handoff {
		plan.Handoff = true
		settle(&st)
		return plan, st
	}
	if req.Bot.Enabled && st.Pending == "" && !quiet {
		if f := next(req.Bot, st, plan, c, count); f != "" {
			plan.Ask = f
			st.Asked[f]++
			st.Pending = f
		}
	}
	return plan, st
}

// fields are what the flow can collect, in the order it asks for them.
var fields = []string{"email", "name", "phone"}

// collects reports whether the settings collect field at all. An email
// volunteered with collection off is still a value the customer gave, so
// it is kept.
func collects(b ai.BotSettings, field string) bool {
	if field == "email" {
		return true
	}
	return slices.Contains(b.Collect, field)
}

// next is the field to ask for now, if any: the email first once it is due,
// then the other collected fields in the settings' order, each only while
// the contact lacks it and it was never asked or declined here.
func next(b ai.BotSettings, st ai.BotState, plan ai.Plan, c known, count int) string {
	open := func(f string) bool {
		return c.value(f) == "" && plan.Confirmed[f] == "" && !st.Declined[f] && st.Asked[f] == 0
	}
	if after, ask := b.EmailAfter(); ask && open("email") {
		if count >= max(after, 1) {
			return "email"
		}
		return "" // the others wait until the email is settled
	}
	for _, f := range b.Collect {
		if f != "email" && slices.Contains(fields, f) && open(f) {
			return f
		}
	}
	return ""
}

func confirm(plan *ai.Plan, field, value string) {
	if plan.Confirmed == nil {
		plan.Confirmed = map[string]string{}
	}
	plan.Confirmed[field] = value
}

// known is what the profile already holds, by field name.
type known struct{ email, name, phone, country string }

func profile(req ai.ReplyRequest) known {
	if req.Contact == nil {
		return known{}
	}
	k := known{email: req.Contact.Email, name: req.Contact.FirstName, phone: req.Contact.Phone}
	if len(req.Contact.Country) == 2 {
		k.country = strings.ToUpper(req.Contact.Country)
	}
	return k
}

func (k known) value(field string) string {
	switch field {
	case "email":
		return k.email
	case "name":
		return k.name
	case "phone":
		return k.phone
	}
	return ""
}
