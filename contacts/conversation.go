package contacts

import (
	"encoding/json"
	"time"
)

// Conversation statuses and assignees.
const (
	ConversationOpen   = "open"
	ConversationClosed = "closed"
	AssigneeBot        = "bot"
	AssigneeStaff      = "staff"
)

// Conversation is one thread with a contact on one channel. ContactID is
// zero once the contact was erased with its history kept.
type Conversation struct {
	ID            int64     `json:"id"`
	ProjectID     int64     `json:"project_id"`
	ContactID     int64     `json:"contact_id"`
	Channel       Channel   `json:"channel"`
	ChannelID     int64     `json:"channel_id"`
	Status        string    `json:"status"`
	Assignee      string    `json:"assignee"`
	StartedAt     time.Time `json:"started_at"`
	EndedAt       time.Time `json:"ended_at"`
	LastMessageAt time.Time `json:"last_message_at"`
	MessageCount  int       `json:"message_count"`
	Sentiment     string    `json:"sentiment"`
	// SentimentScore runs from -1 (negative) to 1, with Sentiment.
	SentimentScore float64 `json:"sentiment_score"`
	Summary        string  `json:"summary"`
	// BotState is the bot's collection state in this conversation (JSON
	// the ai package reads).
	BotState []byte `json:"-"`
}

// Message directions and sender kinds.
const (
	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"
	SenderContact     = "contact"
	SenderBot         = "bot"
	SenderStaff       = "staff"
)

// Message is one message of a conversation. ChannelMessageID is the
// channel's own id, unique per channel, which makes redelivery idempotent.
type Message struct {
	ID               int64           `json:"id"`
	ConversationID   int64           `json:"conversation_id"`
	Direction        string          `json:"direction"`
	SenderKind       string          `json:"sender_kind"`
	Text             string          `json:"text"`
	Attachments      json.RawMessage `json:"attachments"`
	Channel          Channel         `json:"channel"`
	ChannelMessageID string          `json:"channel_message_id"`
	Status           string          `json:"status"`
	CreatedAt        time.Time       `json:"created_at"`
	EditedAt         time.Time       `json:"edited_at"` // zero: never edited
}

// Note is a team note on a contact, separate from the free-text notes field.
type Note struct {
	ID        int64     `json:"id"`
	ContactID int64     `json:"contact_id"`
	AuthorID  int64     `json:"author_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// SavedFilter is a named contact-list query a user keeps.
type SavedFilter struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"` // the list's URL query string
	CreatedAt time.Time `json:"created_at"`
}
