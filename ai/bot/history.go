package bot

import (
	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// fromCustomer reports whether a turn is the customer's. The gateway uses
// contacts.SenderContact; ai.Turn's comment says "customer", so both count.
func fromCustomer(t ai.Turn) bool {
	return t.Role == contacts.SenderContact || t.Role == "customer"
}

// customerTexts returns the customer's messages, oldest first.
func customerTexts(history []ai.Turn) []string {
	var out []string
	for _, t := range history {
		if fromCustomer(t) {
			out = append(out, t.Text)
		}
	}
	return out
}

// lastCustomer returns the customer's latest message and how many the
// customer has sent in the history; ok is false when the history does not
// end with the customer, as then there is nothing to answer.
func lastCustomer(history []ai.Turn) (text string, count int, ok bool) {
	if len(history) == 0 || !fromCustomer(history[len(history)-1]) {
		return "", 0, false
	}
	for _, t := range history {
		if fromCustomer(t) {
			count++
		}
	}
	return history[len(history)-1].Text, count, true
}
