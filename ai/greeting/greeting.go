// Package greeting is the plainest responder: it acknowledges the first
// message of each conversation, by name when the contact has one, and hands
// off when asked for a person. It stands in until the AI issue's responders.
package greeting

import (
	"context"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Responder greets once per conversation.
type Responder struct{}

var _ ai.Responder = Responder{}

var handoffPhrases = []string{"talk to a person", "talk to a human", "speak to a person", "speak to a human", "real person", "human agent", "agent please"}

// Respond greets on a conversation's first customer message and otherwise
// stays silent, except that a request for a person hands off.
func (Responder) Respond(_ context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
	if len(req.History) == 0 {
		return nil, nil
	}
	last := strings.ToLower(req.History[len(req.History)-1].Text)
	for _, p := range handoffPhrases {
		if strings.Contains(last, p) {
			return &ai.Reply{Text: "Of course, I'm passing you to a member of our team. They'll reply here.", Handoff: true}, nil
		}
	}
	customer := 0
	for _, t := range req.History {
		if t.Role == contacts.SenderContact {
			customer++
		}
	}
	if customer != 1 {
		return nil, nil
	}
	hello := "Hi!"
	if req.Contact != nil && req.Contact.FirstName != "" {
		hello = "Hi " + req.Contact.FirstName + "!"
	}
	return &ai.Reply{Text: hello + " Thanks for your message. We'll get back to you here shortly."}, nil
}
