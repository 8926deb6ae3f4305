package openai

import (
	"strings"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// turnOverhead is the estimated cost of a message's framing (its id and
// role in JSON, or the chat template's role markers).
const turnOverhead = 8

// estimateTokens guesses a text's tokens as bytes/4 rounded up: no
// tokenizer of every model we may talk to is at hand, and the budget only
// has to keep prompts in the right range.
func estimateTokens(s string) int {
	return (len(s) + 3) / 4
}

// newestWithin returns the newest turns whose estimated tokens fit budget,
// oldest first. The newest turn is always kept, cut to the budget if it
// alone is too long, since it is the one being answered or enriched.
func newestWithin(history []ai.Turn, budget int) []ai.Turn {
	if len(history) == 0 {
		return nil
	}
	used, start := 0, len(history)
	for i := len(history) - 1; i >= 0; i-- {
		cost := estimateTokens(history[i].Text) + turnOverhead
		if used+cost > budget && i < len(history)-1 {
			break
		}
		used += cost
		start = i
	}
	out := append([]ai.Turn(nil), history[start:]...)
	if len(out) == 1 && used > budget {
		out[0].Text = cutBytes(out[0].Text, max(0, budget-turnOverhead)*4)
	}
	return out
}

// cutBytes shortens s to at most n bytes without splitting a rune.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Speaker roles as prompts name them. The stored sender kind of a
// customer is contacts.SenderContact; "customer" is accepted as well since
// the ai contract calls it that.
const (
	speakerCustomer = "customer"
	speakerBot      = "bot"
	speakerStaff    = "staff"
)

func speaker(role string) string {
	switch strings.ToLower(strings.TrimSpace(role)) {
	case contacts.SenderContact, speakerCustomer:
		return speakerCustomer
	case contacts.SenderBot:
		return speakerBot
	case contacts.SenderStaff:
		return speakerStaff
	}
	return ""
}

func hasCustomerTurn(history []ai.Turn) bool {
	for _, t := range history {
		if speaker(t.Role) == speakerCustomer {
			return true
		}
	}
	return false
}
