// Package ai holds the contracts of Switchboard's AI: the Responder that
// answers customers and (with the AI issue) the Extractor that enriches
// profiles, with implementations in subpackages. It knows contacts' types and
// nothing of channels or storage.
package ai

import (
	"context"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Turn is one message of a conversation as a responder sees it.
type Turn struct {
	Role string // customer, bot or staff (contacts.Sender* values)
	Text string
	At   time.Time
}

// ReplyRequest is what a responder answers: the contact as known now and
// the conversation so far, oldest first, ending with the customer's message.
type ReplyRequest struct {
	Contact      *contacts.Contact
	Conversation *contacts.Conversation
	History      []Turn
}

// Reply is a responder's answer.
type Reply struct {
	Text string
	// Handoff asks for a human: the conversation is assigned to staff and
	// the bot stays silent until staff hand it back.
	Handoff bool
}

// Responder answers a customer's message. It returns nil for "stay silent".
// Errors are retried by the gateway's job queue.
type Responder interface {
	Respond(ctx context.Context, req ReplyRequest) (*Reply, error)
}
