package bot

import (
	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// turns builds a history whose roles alternate from the customer's first
// message: customer, bot, customer, ...
func turns(texts ...string) []ai.Turn {
	h := make([]ai.Turn, len(texts))
	for i, t := range texts {
		role := contacts.SenderContact
		if i%2 == 1 {
			role = contacts.SenderBot
		}
		h[i] = ai.Turn{ID: int64(i + 1), Role: role, Text: t}
	}
	return h
}

// settings is an enabled bot with the given email timing and fields.
func settings(email string, collect ...string) ai.BotSettings {
	return ai.BotSettings{Enabled: true, CollectEmail: email, Collect: collect}
}

// pending is a state waiting for field after asking it n times.
func pending(field string, n int) ai.BotState {
	return ai.BotState{Pending: field, Asked: map[string]int{field: n}}
}

const faqText = `Q: What are your opening hours?
A: We're open Monday to Friday, 9am to 6pm, and Saturday 10am to 2pm.

Q: Do you offer parking?
A: Yes, there is free parking behind the building.

Q: How much does a cleaning cost?
A: A standard cleaning costs 60 euros.

Q: How can I contact you by email?
A: Write to hello@acme-dental.example and we answer within a day.`
