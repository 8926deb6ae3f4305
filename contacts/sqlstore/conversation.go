package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const conversationColumns = `id, project_id, contact_id, channel, channel_id, status, assignee, started_at, ended_at,
	last_message_at, message_count, sentiment, sentiment_score, summary, bot_state`

type conversationRow struct {
	ID             int64         `db:"id"`
	ProjectID      int64         `db:"project_id"`
	ContactID      sql.NullInt64 `db:"contact_id"`
	Channel        string        `db:"channel"`
	ChannelID      sql.NullInt64 `db:"channel_id"`
	Status         string        `db:"status"`
	Assignee       string        `db:"assignee"`
	StartedAt      int64         `db:"started_at"`
	EndedAt        sql.NullInt64 `db:"ended_at"`
	LastMessageAt  int64         `db:"last_message_at"`
	MessageCount   int           `db:"message_count"`
	Sentiment      string        `db:"sentiment"`
	SentimentScore float64       `db:"sentiment_score"`
	Summary        string        `db:"summary"`
	BotState       string        `db:"bot_state"`
}

func (r conversationRow) toConversation() contacts.Conversation {
	return contacts.Conversation{ID: r.ID, ProjectID: r.ProjectID, ContactID: r.ContactID.Int64,
		Channel: contacts.Channel(r.Channel), ChannelID: r.ChannelID.Int64, Status: r.Status, Assignee: r.Assignee,
		StartedAt: fromMS(sql.NullInt64{Int64: r.StartedAt, Valid: true}), EndedAt: fromMS(r.EndedAt),
		LastMessageAt: fromMS(sql.NullInt64{Int64: r.LastMessageAt, Valid: true}),
		MessageCount:  r.MessageCount, Sentiment: r.Sentiment, SentimentScore: r.SentimentScore, Summary: r.Summary,
		BotState: []byte(r.BotState)}
}

// CreateConversation opens a conversation for a contact of its project.
func (db *DB) CreateConversation(ctx context.Context, c *contacts.Conversation) error {
	if c.Status == "" {
		c.Status = contacts.ConversationOpen
	}
	if c.Assignee == "" {
		c.Assignee = contacts.AssigneeBot
	}
	if c.LastMessageAt.IsZero() {
		c.LastMessageAt = c.StartedAt
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM contacts WHERE project_id = ? AND id = ?`), c.ProjectID, c.ContactID); err != nil {
			return err
		}
		if n == 0 {
			return contacts.ErrNotFound
		}
		if err := tx.GetContext(ctx, &c.ID, db.q(`INSERT INTO conversations (project_id, contact_id, channel, status,
			assignee, started_at, ended_at, last_message_at, message_count, sentiment, summary)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), c.ProjectID, c.ContactID, string(c.Channel), c.Status,
			c.Assignee, msNotNull(c.StartedAt), ms(c.EndedAt), msNotNull(c.LastMessageAt), c.MessageCount, c.Sentiment, c.Summary); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE contacts SET conversation_count = conversation_count + 1, version = version + 1 WHERE id = ?`), c.ContactID)
		return err
	})
}

// AddMessage appends a message to a conversation of the project and keeps
// the conversation's counters current. A repeated (channel, channel message
// id) is ErrConflict.
func (db *DB) AddMessage(ctx context.Context, projectID int64, m *contacts.Message) error {
	if len(m.Attachments) == 0 {
		m.Attachments = []byte("[]")
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var conv conversationRow
		if err := tx.GetContext(ctx, &conv, db.q(`SELECT `+conversationColumns+` FROM conversations WHERE project_id = ? AND id = ?`), projectID, m.ConversationID); err != nil {
			return db.mapErr(err)
		}
		if m.Channel == "" {
			m.Channel = contacts.Channel(conv.Channel)
		}
		if err := tx.GetContext(ctx, &m.ID, db.q(`INSERT INTO messages (project_id, conversation_id, direction, sender_kind,
			text, attachments, channel, channel_message_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			projectID, m.ConversationID, m.Direction, m.SenderKind, m.Text, string(m.Attachments), string(m.Channel),
			nullStr(m.ChannelMessageID), m.Status, msNotNull(m.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET message_count = message_count + 1, last_message_at = ? WHERE id = ?`),
			msNotNull(m.CreatedAt), m.ConversationID); err != nil {
			return err
		}
		col := "last_inbound_at"
		if m.Direction == contacts.DirectionOutbound {
			col = "last_outbound_at"
		}
		_, err := tx.ExecContext(ctx, db.q(`UPDATE contacts SET `+col+` = ?, version = version + 1 WHERE id = ?`), msNotNull(m.CreatedAt), conv.ContactID)
		return err
	})
	if _, dup := db.dialect.uniqueViolation(err); dup {
		return contacts.ErrConflict
	}
	return err
}

// GetConversation loads a conversation of the project.
func (db *DB) GetConversation(ctx context.Context, projectID, id int64) (*contacts.Conversation, error) {
	var r conversationRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT `+conversationColumns+` FROM conversations WHERE project_id = ? AND id = ?`), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	c := r.toConversation()
	return &c, nil
}

// ListConversations lists a contact's conversations, newest first.
func (db *DB) ListConversations(ctx context.Context, projectID, contactID int64) ([]contacts.Conversation, error) {
	var rows []conversationRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+conversationColumns+` FROM conversations
		WHERE project_id = ? AND contact_id = ? ORDER BY started_at DESC, id DESC`), projectID, contactID); err != nil {
		return nil, err
	}
	out := make([]contacts.Conversation, len(rows))
	for i, r := range rows {
		out[i] = r.toConversation()
	}
	return out, nil
}

type messageRow struct {
	ID               int64          `db:"id"`
	ConversationID   int64          `db:"conversation_id"`
	Direction        string         `db:"direction"`
	SenderKind       string         `db:"sender_kind"`
	Text             string         `db:"text"`
	Attachments      string         `db:"attachments"`
	Channel          string         `db:"channel"`
	ChannelMessageID sql.NullString `db:"channel_message_id"`
	Status           string         `db:"status"`
	CreatedAt        int64          `db:"created_at"`
	EditedAt         sql.NullInt64  `db:"edited_at"`
}

// ListMessages lists messages in order after afterID.
func (db *DB) ListMessages(ctx context.Context, projectID, conversationID, afterID int64, limit int) ([]contacts.Message, error) {
	var rows []messageRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT id, conversation_id, direction, sender_kind, text,
		attachments, channel, channel_message_id, status, created_at, edited_at FROM messages
		WHERE project_id = ? AND conversation_id = ? AND id > ? ORDER BY id LIMIT ?`), projectID, conversationID, afterID, limit); err != nil {
		return nil, err
	}
	out := make([]contacts.Message, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// MessageConversations maps message ids to their conversations of the
// contact.
func (db *DB) MessageConversations(ctx context.Context, projectID, contactID int64, messageIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	args := []any{projectID, contactID}
	for _, id := range messageIDs {
		args = append(args, id)
	}
	var rows []struct {
		ID             int64 `db:"id"`
		ConversationID int64 `db:"conversation_id"`
	}
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT m.id, m.conversation_id FROM messages m
		JOIN conversations v ON v.id = m.conversation_id
		WHERE m.project_id = ? AND v.contact_id = ? AND m.id IN (?`+strings.Repeat(", ?", len(messageIDs)-1)+`)`), args...); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.ConversationID
	}
	return out, nil
}

func (r messageRow) toMessage() contacts.Message {
	return contacts.Message{ID: r.ID, ConversationID: r.ConversationID, Direction: r.Direction,
		SenderKind: r.SenderKind, Text: r.Text, Attachments: []byte(r.Attachments), Channel: contacts.Channel(r.Channel),
		ChannelMessageID: r.ChannelMessageID.String, Status: r.Status, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		EditedAt: fromMS(r.EditedAt)}
}

// MessageByChannelID finds a message by its channel id.
func (db *DB) MessageByChannelID(ctx context.Context, projectID int64, channel contacts.Channel, channelMessageID string) (*contacts.Message, error) {
	var r messageRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT id, conversation_id, direction, sender_kind, text, attachments, channel,
		channel_message_id, status, created_at, edited_at FROM messages WHERE project_id = ? AND channel = ? AND channel_message_id = ?`),
		projectID, string(channel), channelMessageID); err != nil {
		return nil, db.mapErr(err)
	}
	m := r.toMessage()
	return &m, nil
}

// SetConversationAssignee hands a conversation to the bot or to staff.
func (db *DB) SetConversationAssignee(ctx context.Context, projectID, id int64, assignee string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET assignee = ? WHERE project_id = ? AND id = ?`), assignee, projectID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return contacts.ErrNotFound
		}
		return nil
	})
}

// CloseConversation closes an open conversation at the given time, audited
// in the same transaction (the webhook fan-out reads the audit log). The
// store is not told who closed it, so the entry names the system.
func (db *DB) CloseConversation(ctx context.Context, projectID, id int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var contactID sql.NullInt64
		err := tx.GetContext(ctx, &contactID, db.q(`UPDATE conversations SET status = ?, ended_at = ? WHERE project_id = ? AND id = ? AND status = ?
			RETURNING contact_id`), contacts.ConversationClosed, msNotNull(at), projectID, id, contacts.ConversationOpen)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := db.GetConversation(ctx, projectID, id); err != nil {
				return err
			}
			return fmt.Errorf("conversation %d is already closed: %w", id, contacts.ErrConflict)
		}
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, contacts.NewAudit(projectID, contacts.SystemActor, contacts.AuditConversationClose,
			contactID.Int64, nil, map[string]int64{"conversation_id": id}, at))
	})
}

// MessagesOfIdentity lists, in order, the messages after afterID of every
// conversation on a channel of the contact holding an identity: what a
// widget visitor sees.
func (db *DB) MessagesOfIdentity(ctx context.Context, projectID int64, channel contacts.Channel, externalID string, afterID int64, limit int) ([]contacts.Message, error) {
	var rows []messageRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT m.id, m.conversation_id, m.direction, m.sender_kind, m.text,
		m.attachments, m.channel, m.channel_message_id, m.status, m.created_at, m.edited_at FROM identities i
		JOIN conversations v ON v.contact_id = i.contact_id AND v.channel = i.channel
		JOIN messages m ON m.conversation_id = v.id
		WHERE i.project_id = ? AND i.channel = ? AND i.external_id = ? AND m.id > ? ORDER BY m.id LIMIT ?`),
		projectID, string(channel), externalID, afterID, limit); err != nil {
		return nil, err
	}
	out := make([]contacts.Message, len(rows))
	for i, r := range rows {
		out[i] = r.toMessage()
	}
	return out, nil
}

// ContactByIdentity finds the contact holding an identity.
func (db *DB) ContactByIdentity(ctx context.Context, projectID int64, channel contacts.Channel, externalID string) (int64, error) {
	var id int64
	err := db.r.GetContext(ctx, &id, db.q(`SELECT contact_id FROM identities WHERE project_id = ? AND channel = ? AND external_id = ?`),
		projectID, string(channel), externalID)
	return id, db.mapErr(err)
}
