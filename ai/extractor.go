package ai

import (
	"context"
	"errors"

	"github.com/switchboard-oss/switchboard/contacts"
)

// ExtractRequest is one enrichment run: the conversation's recent messages
// (oldest first, within the extractor's token budget) and the profile as it
// stands. Final marks the run at the conversation's close, which also
// summarises the conversation.
type ExtractRequest struct {
	ProjectID int64
	Contact   *contacts.Contact
	History   []Turn
	Final     bool
}

// Value is one proposed value with how sure the extractor is and the ids of
// the messages it came from.
type Value struct {
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"`
	MessageIDs []int64 `json:"message_ids"`
}

// Sentiment of a conversation; Score runs from -1 (negative) to 1.
type Sentiment struct {
	Label      string  `json:"label"` // negative, neutral, positive
	Score      float64 `json:"score"`
	MessageIDs []int64 `json:"message_ids,omitempty"`
}

// Intents an extractor may report; they feed the lead score.
var Intents = []string{"pricing", "demo", "support", "complaint", "purchase"}

// Extraction is what an extractor proposes. Nil or empty means "nothing
// found". Nothing here is applied until it passed Guard and the contact
// engine's provenance rules.
type Extraction struct {
	FirstName *Value `json:"first_name,omitempty"`
	LastName  *Value `json:"last_name,omitempty"`
	Email     *Value `json:"email,omitempty"`
	Phone     *Value `json:"phone,omitempty"`
	Company   *Value `json:"company,omitempty"`
	Country   *Value `json:"country,omitempty"` // ISO 3166-1 alpha-2
	// Memories are short durable facts ("prefers morning appointments").
	Memories []Value `json:"memories,omitempty"`
	// Summary is the learned context: who this customer is.
	Summary   *Value     `json:"summary,omitempty"`
	Sentiment *Sentiment `json:"sentiment,omitempty"`
	// Intents carry the intent name in Value.
	Intents []Value `json:"intents,omitempty"`
	// ConversationSummary is set on a Final run.
	ConversationSummary *Value `json:"conversation_summary,omitempty"`
	// Usage is what the run cost, for accounting; zero for heuristics.
	Usage Usage `json:"-"`
}

// Usage counts a model's tokens.
type Usage struct {
	PromptTokens     int
	CompletionTokens int
}

// Extractor proposes profile values from a conversation. An error is
// retried by the job queue with backoff.
type Extractor interface {
	Extract(ctx context.Context, req ExtractRequest) (*Extraction, error)
}

// ErrUnavailable marks a model that will not answer for now for reasons
// retrying soon will not fix (a project's daily token budget is spent): the
// caller uses the heuristic instead of waiting.
var ErrUnavailable = errors.New("ai: model unavailable")
