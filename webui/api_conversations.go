package webui

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// conversationView is one thread with a contact on one channel. contact_id
// is null once the contact was erased with its history kept.
type conversationView struct {
	ID            int64            `json:"id"`
	ContactID     *int64           `json:"contact_id"`
	Channel       contacts.Channel `json:"channel"`
	Status        string           `json:"status"`
	Assignee      string           `json:"assignee"`
	StartedAt     *time.Time       `json:"started_at"`
	EndedAt       *time.Time       `json:"ended_at"`
	LastMessageAt *time.Time       `json:"last_message_at"`
	MessageCount  int              `json:"message_count"`
	Sentiment     string           `json:"sentiment"`
	// SentimentScore runs from -1 to 1.
	SentimentScore float64 `json:"sentiment_score"`
	Summary        string  `json:"summary"`
}

func conversationJSON(cv contacts.Conversation) conversationView {
	v := conversationView{ID: cv.ID, Channel: cv.Channel, Status: cv.Status, Assignee: cv.Assignee,
		StartedAt: timeJSON(cv.StartedAt), EndedAt: timeJSON(cv.EndedAt), LastMessageAt: timeJSON(cv.LastMessageAt),
		MessageCount: cv.MessageCount, Sentiment: cv.Sentiment, SentimentScore: cv.SentimentScore, Summary: cv.Summary}
	if cv.ContactID != 0 {
		id := cv.ContactID
		v.ContactID = &id
	}
	return v
}

// messageView is one message of a conversation.
type messageView struct {
	ID               int64            `json:"id"`
	ConversationID   int64            `json:"conversation_id"`
	Direction        string           `json:"direction"`
	SenderKind       string           `json:"sender_kind"`
	Text             string           `json:"text"`
	Attachments      json.RawMessage  `json:"attachments"`
	Channel          contacts.Channel `json:"channel"`
	ChannelMessageID string           `json:"channel_message_id"`
	Status           string           `json:"status"`
	CreatedAt        *time.Time       `json:"created_at"`
	EditedAt         *time.Time       `json:"edited_at"`
}

var noAttachments = json.RawMessage("[]")

func messagesJSON(ms []contacts.Message) []messageView {
	out := make([]messageView, len(ms))
	for i, m := range ms {
		att := m.Attachments
		if len(att) == 0 || !json.Valid(att) {
			att = noAttachments
		}
		out[i] = messageView{ID: m.ID, ConversationID: m.ConversationID, Direction: m.Direction, SenderKind: m.SenderKind,
			Text: m.Text, Attachments: att, Channel: m.Channel, ChannelMessageID: m.ChannelMessageID, Status: m.Status,
			CreatedAt: timeJSON(m.CreatedAt), EditedAt: timeJSON(m.EditedAt)}
	}
	return out
}

func (s *Server) listConversations(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	convs, err := s.svc.ListConversations(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	out := make([]conversationView, len(convs))
	for i, cv := range convs {
		out[i] = conversationJSON(cv)
	}
	return c.JSON(fiber.Map{"conversations": out})
}

// listMessages pages through a conversation: after is the last message id
// the client has, limit the page size.
func (s *Server) listMessages(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v := &contacts.ValidationError{}
	var after int64
	if raw := c.Query("after"); raw != "" {
		if after, err = strconv.ParseInt(raw, 10, 64); err != nil || after < 0 {
			v.Add("after", "must be a message id (a non-negative integer)")
		}
	}
	limit := queryInt(c, "limit", 100, 1, 1000, v)
	if err := v.Err(); err != nil {
		return err
	}
	msgs, err := s.svc.ListMessages(c.UserContext(), who(c).ProjectID, id, after, limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"messages": messagesJSON(msgs)})
}
