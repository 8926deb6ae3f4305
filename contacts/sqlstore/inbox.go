package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/switchboard-oss/switchboard/contacts"
)

// The inbox walks conversations_status_idx (project_id, status,
// last_message_at) backwards and stops at the page size; per row it reads
// the contact by key, its first identity on the conversation's channel
// (identities_contact_idx) and the latest message (messages_conversation_idx).
var inboxSelect = `SELECT v.id, v.project_id, v.contact_id, v.channel, v.channel_id, v.status, v.assignee, v.started_at,
	v.ended_at, v.last_message_at, v.message_count, v.sentiment, v.sentiment_score, v.summary, '' AS bot_state,
	COALESCE(c.first_name, '') AS first_name, COALESCE(c.last_name, '') AS last_name, COALESCE(c.email, '') AS email,
	COALESCE(c.phone, '') AS phone, COALESCE(c.do_not_contact, FALSE) AS do_not_contact,
	COALESCE(i.handle, '') AS handle, COALESCE(i.external_id, '') AS identity_id,
	m.id AS m_id, m.direction AS m_direction, m.sender_kind AS m_sender_kind,
	SUBSTR(m.text, 1, ` + inboxPreviewSQL + `) AS m_text, m.status AS m_status, m.created_at AS m_created_at
	FROM conversations v
	LEFT JOIN contacts c ON c.id = v.contact_id
	LEFT JOIN identities i ON i.id = (SELECT MIN(i2.id) FROM identities i2 WHERE i2.contact_id = v.contact_id AND i2.channel = v.channel)
	LEFT JOIN messages m ON m.id = (SELECT MAX(m2.id) FROM messages m2 WHERE m2.conversation_id = v.id)`

// inboxPreviewSQL cuts message texts in the query, so a long message is not
// read whole for a one-line preview. One more than the preview shows tells
// the UI the text goes on.
var inboxPreviewSQL = strconv.Itoa(contacts.InboxPreviewLen + 1)

var inboxItemSQL = inboxSelect + ` WHERE v.project_id = ? AND v.id = ?`

type inboxRow struct {
	conversationRow
	FirstName    string         `db:"first_name"`
	LastName     string         `db:"last_name"`
	Email        string         `db:"email"`
	Phone        string         `db:"phone"`
	DoNotContact bool           `db:"do_not_contact"`
	Handle       string         `db:"handle"`
	IdentityID   string         `db:"identity_id"`
	MessageID    sql.NullInt64  `db:"m_id"`
	Direction    sql.NullString `db:"m_direction"`
	SenderKind   sql.NullString `db:"m_sender_kind"`
	Text         sql.NullString `db:"m_text"`
	Status       sql.NullString `db:"m_status"`
	CreatedAt    sql.NullInt64  `db:"m_created_at"`
}

func (r inboxRow) toItem() contacts.InboxItem {
	it := contacts.InboxItem{Conversation: r.toConversation(), DoNotContact: r.DoNotContact}
	it.BotState = nil
	if it.ContactID != 0 {
		named := contacts.Contact{FirstName: r.FirstName, LastName: r.LastName, Email: r.Email, Phone: r.Phone}
		id := contacts.Identity{Handle: r.Handle}
		// A WhatsApp id is the phone number; a widget visitor's or a
		// Messenger user's id means nothing to a person.
		if it.Channel == contacts.ChannelWhatsApp {
			id.ExternalID = r.IdentityID
		}
		named.Identities = []contacts.Identity{id}
		it.ContactName = named.Name()
	}
	if r.MessageID.Valid {
		it.LastMessage = &contacts.Message{ID: r.MessageID.Int64, ConversationID: it.ID, Direction: r.Direction.String,
			SenderKind: r.SenderKind.String, Text: r.Text.String, Channel: it.Channel, Status: r.Status.String,
			CreatedAt: fromMS(r.CreatedAt)}
	}
	return it
}

// OpenConversations lists a project's open conversations, latest activity first.
func (db *DB) OpenConversations(ctx context.Context, q contacts.InboxQuery) ([]contacts.InboxItem, error) {
	// A contact in its erasure grace period is hidden everywhere, so its
	// conversations leave the inbox too (a few ids: the check is cheap).
	query := inboxSelect + ` WHERE v.project_id = ? AND v.status = ?
		AND NOT EXISTS (SELECT 1 FROM contact_erasures h WHERE h.contact_id = v.contact_id)`
	args := []any{q.ProjectID, contacts.ConversationOpen}
	if q.Assignee != "" {
		query += ` AND v.assignee = ?`
		args = append(args, q.Assignee)
	}
	if q.After != nil {
		at := msNotNull(q.After.LastMessageAt)
		query += ` AND v.last_message_at <= ? AND (v.last_message_at < ? OR v.id < ?)`
		args = append(args, at, at, q.After.ID)
	}
	query += ` ORDER BY v.last_message_at DESC, v.id DESC LIMIT ?`
	args = append(args, q.Limit)
	var rows []inboxRow
	if err := db.r.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, err
	}
	out := make([]contacts.InboxItem, len(rows))
	for i, r := range rows {
		out[i] = r.toItem()
	}
	return out, nil
}

// CountOpenConversations counts a project's open conversations (of one
// assignee when given), leaving out those of contacts in their erasure
// grace period: they are counted on their own, through their few ids, and
// subtracted, as Stats does, so the count stays a range of an index.
func (db *DB) CountOpenConversations(ctx context.Context, projectID int64, assignee string) (int, error) {
	filter, args := "", []any{projectID, contacts.ConversationOpen}
	if assignee != "" {
		filter, args = ` AND assignee = ?`, append(args, assignee)
	}
	args = append(args, projectID, contacts.ConversationOpen)
	if assignee != "" {
		args = append(args, assignee)
	}
	query := `SELECT (SELECT COUNT(*) FROM conversations WHERE project_id = ? AND status = ?` + filter + `) -
		(SELECT COUNT(*) FROM contact_erasures h JOIN conversations v ON v.contact_id = h.contact_id
			WHERE h.project_id = ? AND v.status = ?` + strings.ReplaceAll(filter, "assignee", "v.assignee") + `)`
	var n int
	if err := db.r.GetContext(ctx, &n, db.q(query), args...); err != nil {
		return 0, fmt.Errorf("count open conversations: %w", err)
	}
	return n, nil
}

// InboxItem returns one conversation of the project as the inbox shows it.
func (db *DB) InboxItem(ctx context.Context, projectID, conversationID int64) (*contacts.InboxItem, error) {
	var r inboxRow
	if err := db.readGet(ctx, &r, inboxItemSQL, projectID, conversationID); err != nil {
		return nil, db.mapErr(err)
	}
	it := r.toItem()
	return &it, nil
}
