// Package ai holds the contracts of Switchboard's AI: the Extractor that
// enriches profiles from conversations and the Responder that answers
// customers, with implementations in subpackages (heuristic: no network, the
// embedded default; openai: any OpenAI-compatible server). It knows
// contacts' types and nothing of channels or storage.
package ai

import (
	"context"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Turn is one message of a conversation as the AI sees it.
type Turn struct {
	ID   int64  // the stored message's id; extracted values cite it
	Role string // contacts.SenderContact (the customer), SenderBot or SenderStaff
	Text string
	At   time.Time
}

// ReplyRequest is what a responder answers: the contact as known now, the
// conversation so far (oldest first, ending with the customer's message),
// the project's bot settings and the conversation's collection state.
type ReplyRequest struct {
	ProjectID    int64
	Contact      *contacts.Contact
	Conversation *contacts.Conversation
	History      []Turn
	Bot          BotSettings
	State        BotState
	// PreviousSummary is the summary of the contact's previous conversation.
	PreviousSummary string
	// Plan is the flow's decision for this turn, which the reply must carry out.
	Plan Plan
}

// Reply is a responder's answer.
type Reply struct {
	Text string
	// Handoff asks for a human: the conversation is assigned to staff and
	// the bot stays silent until staff hand it back.
	Handoff bool
	// Collected are values the customer gave when asked (field -> value,
	// e.g. "email"), validated; the gateway stores them with provenance
	// channel.
	Collected map[string]string
	// State is the conversation's collection state after this reply; nil
	// leaves it as it was.
	State *BotState
}

// Responder answers a customer's message. It returns nil for "stay silent".
// Errors are retried by the gateway's job queue (which falls back to the
// heuristic responder rather than go silent).
type Responder interface {
	Respond(ctx context.Context, req ReplyRequest) (*Reply, error)
}

// Plan is what the conversation flow decided for this turn, before any
// words are chosen: whether to hand off, which field to ask for, what to
// confirm back. It is deterministic (ai/bot decides it), so a model only
// phrases it and cannot be talked out of it.
type Plan struct {
	// Handoff: the customer asked for a person (or is very upset); say a
	// person will reply, and stop.
	Handoff bool
	// Ask is the field to ask for in this reply: email, name or phone.
	Ask string
	// AskAgain: the customer's answer to the last question was not valid
	// (Invalid names the field); say so and ask once more.
	AskAgain bool
	Invalid  string
	// Confirmed are values the customer just gave (field -> value), to be
	// confirmed back.
	Confirmed map[string]string
	// Declined is a field the customer just refused to give: acknowledge
	// kindly and do not ask again.
	Declined string
}
