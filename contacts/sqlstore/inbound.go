package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// The lookups of the inbound path, shared by its full and fast forms.
const (
	storedMessageIDSQL  = `SELECT id FROM messages WHERE project_id = ? AND channel = ? AND channel_message_id = ?`
	senderIdentitySQL   = `SELECT contact_id FROM identities WHERE project_id = ? AND channel = ? AND external_id = ?`
	openConversationSQL = `SELECT ` + conversationColumns + ` FROM conversations WHERE contact_id = ? AND channel = ?
		AND COALESCE(channel_id, 0) = ? AND status = ? ORDER BY id DESC LIMIT 1`
)

// ownerOfSQL finds the contact that already holds a value (an email, a phone).
func ownerOfSQL(field string) string {
	return `SELECT id FROM contacts WHERE project_id = ? AND ` + field + ` = ?`
}

// channelActor is who the audit log names for contacts a channel creates.
var channelActor = contacts.ChannelActor

// RecordInbound stores an inbound message in one transaction. Two first
// messages from one new sender racing on PostgreSQL both try to create the
// identity; the loser's unique violation retries, and the retry finds the
// winner's contact (or, for the same message, its stored copy).
func (db *DB) RecordInbound(ctx context.Context, in contacts.Inbound, idle time.Duration, apply contacts.InboundApply) (*contacts.InboundResult, error) {
	if db.batch != nil {
		if res, ok, err := db.recordKnownFast(ctx, in, idle, apply); ok || err != nil {
			return res, err
		}
		// The full path may change what the sender cache holds (a new
		// conversation, a profile change); the next message reads afresh.
		defer db.senders.drop(keyOf(in))
	}
	for attempt := 0; ; attempt++ {
		res, err := db.recordInbound(ctx, in, idle, apply)
		_, clash := db.dialect.uniqueViolation(err)
		// A contact found by the sender's identity can be merged away
		// (by staff, or by a verified link) before this transaction locks
		// it: the retry finds the identity on the merged contact.
		gone := !in.Edit && errors.Is(err, contacts.ErrNotFound)
		if (clash || gone) && attempt < 5 {
			continue
		}
		return res, err
	}
}

func (db *DB) recordInbound(ctx context.Context, in contacts.Inbound, idle time.Duration, apply contacts.InboundApply) (*contacts.InboundResult, error) {
	res := &contacts.InboundResult{}
	err := db.inBatch(ctx, func(tx *sqlx.Tx) error {
		*res = contacts.InboundResult{} // a savepoint rolled back leaves nothing behind
		if done, err := db.findStoredInbound(ctx, tx, in, res); done || err != nil {
			if done && in.Edit && res.Message.Text != in.Text {
				return db.applyEdit(ctx, tx, in, res)
			}
			return err
		}
		if in.Edit {
			return fmt.Errorf("an edit of message %s, which was never stored: %w", in.ChannelMessageID, contacts.ErrNotFound)
		}
		c, err := db.resolveSender(ctx, tx, in)
		if err != nil {
			return err
		}
		res.NewContact = c.ID == 0
		var conv *contacts.Conversation
		var before *contacts.Contact
		if !res.NewContact {
			if conv, err = db.activeConversation(ctx, tx, c.ID, in, idle); err != nil {
				return err
			}
			before = c.Clone()
		}
		owner := func(field, value string) int64 {
			var id int64
			err := tx.GetContext(ctx, &id, db.q(ownerOfSQL(field)), in.ProjectID, value)
			if err != nil || id == c.ID {
				return 0
			}
			return id
		}
		apply(c, res, conv == nil, owner)
		if res.NewContact {
			if err := db.insertContact(ctx, tx, c, false); err != nil {
				return err
			}
			audit := contacts.NewAudit(in.ProjectID, channelActor, contacts.AuditContactCreate, c.ID, nil, c, in.At)
			if err := db.appendAudit(ctx, tx, audit); err != nil {
				return err
			}
		} else if onlyActivityChanged(before, c) {
			// The usual message from a known sender: no profile change, so
			// no rewrite of identities, tags and search text, and only the
			// columns that moved are set (each indexed column set costs an
			// index update).
			if err := db.updateActivity(ctx, tx, before, c); err != nil {
				return err
			}
		} else if err := db.saveContact(ctx, tx, c); err != nil {
			return err
		}
		for _, cl := range res.Claims {
			if err := db.txExec(ctx, tx, `INSERT INTO duplicate_claims (project_id, contact_id, other_id, field, value, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, other_id, field) DO NOTHING`,
				in.ProjectID, c.ID, cl.OtherID, cl.Field, cl.Value, msNotNull(in.At)); err != nil {
				return err
			}
		}
		if conv == nil {
			conv = &contacts.Conversation{ProjectID: in.ProjectID, ContactID: c.ID, Channel: in.Channel, ChannelID: in.ChannelID,
				Status: contacts.ConversationOpen, Assignee: contacts.AssigneeBot, StartedAt: in.At, LastMessageAt: in.At}
			if conv.ID, err = db.insertID(ctx, tx, `INSERT INTO conversations (project_id, contact_id, channel, channel_id, status,
				assignee, started_at, last_message_at, message_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`, conv.ProjectID, conv.ContactID,
				string(conv.Channel), sql.NullInt64{Int64: in.ChannelID, Valid: in.ChannelID != 0}, conv.Status, conv.Assignee,
				msNotNull(conv.StartedAt), msNotNull(conv.LastMessageAt)); err != nil {
				return err
			}
		}
		m, err := db.insertInboundMessage(ctx, tx, in, conv.ID)
		if err != nil {
			return err
		}
		if conv.LastMessageAt.Before(in.At) {
			conv.LastMessageAt = in.At
		}
		conv.MessageCount++
		if err := db.txExec(ctx, tx, `UPDATE conversations SET message_count = message_count + 1,
			last_message_at = ? WHERE id = ?`, msNotNull(conv.LastMessageAt), conv.ID); err != nil {
			return err
		}
		res.Contact, res.Conversation, res.Message = c, conv, m
		return db.enqueueInbound(ctx, tx, in, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// findStoredInbound fills res from the stored copy of a redelivered message.
func (db *DB) findStoredInbound(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound, res *contacts.InboundResult) (bool, error) {
	var row messageRow
	err := db.txGet(ctx, tx, &row, `SELECT id, conversation_id, direction, sender_kind, text, attachments, channel,
		channel_message_id, status, created_at, edited_at FROM messages WHERE project_id = ? AND channel = ? AND channel_message_id = ?`,
		in.ProjectID, string(in.Channel), in.ChannelMessageID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	res.Duplicate = true
	m := row.toMessage()
	res.Message = &m
	var conv conversationRow
	if err := tx.GetContext(ctx, &conv, db.q(`SELECT `+conversationColumns+` FROM conversations WHERE id = ?`), m.ConversationID); err != nil {
		return false, err
	}
	cv := conv.toConversation()
	res.Conversation = &cv
	if conv.ContactID.Valid {
		if res.Contact, err = db.getContact(ctx, tx, in.ProjectID, conv.ContactID.Int64, ""); err != nil {
			return false, err
		}
	}
	return true, nil
}

// resolveSender finds the contact behind the sender's identity, or behind a
// phone the channel verified (when that contact has no other identity on the
// channel and its phone is vouched for, see Contact.PhoneVouched), or
// returns a new unsaved contact.
func (db *DB) resolveSender(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound) (*contacts.Contact, error) {
	var id int64
	err := db.txGet(ctx, tx, &id, senderIdentitySQL,
		in.ProjectID, string(in.Channel), in.ExternalID)
	if err == nil && in.VerifiedExternalID != "" {
		if err = db.detachIfSomeoneElse(ctx, tx, in, id); err == nil {
			return db.getContact(ctx, tx, in.ProjectID, id, db.dialect.forUpdate())
		}
	}
	if errors.Is(err, sql.ErrNoRows) && in.VerifiedExternalID != "" {
		err = db.txGet(ctx, tx, &id, ownerOfSQL("external_id"), in.ProjectID, in.VerifiedExternalID)
	}
	if errors.Is(err, sql.ErrNoRows) && in.VerifiedPhone != "" {
		holder, err := db.phoneHolder(ctx, tx, in)
		if holder != nil || err != nil {
			return holder, err
		}
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &contacts.Contact{ProjectID: in.ProjectID, Channel: in.Channel, CreatedAt: in.At, UpdatedAt: in.At}, nil
	case err != nil:
		return nil, err
	}
	return db.getContact(ctx, tx, in.ProjectID, id, db.dialect.forUpdate())
}

// phoneHolder finds the contact a verified phone (in any of its national
// variants) links the sender to: one whose phone is vouched for and that has
// no identity of its own on the channel; nil when there is none. A typed
// number never counts, so its clash goes to staff as a claim instead.
func (db *DB) phoneHolder(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound) (*contacts.Contact, error) {
	variants := contacts.PhoneVariants(in.VerifiedPhone)
	args := []any{in.ProjectID}
	for _, v := range variants {
		args = append(args, v)
	}
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, db.q(`SELECT c.id FROM contacts c WHERE c.project_id = ? AND c.phone IN (?`+
		strings.Repeat(", ?", len(variants)-1)+`) AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id
		AND i.channel = ?) ORDER BY c.id`), append(args, string(in.Channel))...); err != nil {
		return nil, err
	}
	for _, id := range ids {
		c, err := db.getContact(ctx, tx, in.ProjectID, id, db.dialect.forUpdate())
		if err != nil || c.PhoneVouched() {
			return c, err
		}
	}
	return nil, nil
}

// detachIfSomeoneElse handles a site vouching that the sender's identity (a
// widget visitor) is now a user other than the one its contact was
// identified as: a shared browser where one user logged out and another
// logged in. The identity leaves that contact, so this person's messages
// never land in the other's history, and sql.ErrNoRows sends the caller on
// to the verified user's own contact (or a new one).
func (db *DB) detachIfSomeoneElse(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound, contactID int64) error {
	var current sql.NullString
	if err := db.txGet(ctx, tx, &current, `SELECT external_id FROM contacts WHERE id = ?`, contactID); err != nil {
		return err
	}
	if !current.Valid || current.String == "" || current.String == in.VerifiedExternalID {
		return nil
	}
	if err := db.txExec(ctx, tx, `DELETE FROM identities WHERE project_id = ? AND channel = ? AND external_id = ?`,
		in.ProjectID, string(in.Channel), in.ExternalID); err != nil {
		return err
	}
	// The version guards cached and concurrent writers of that contact.
	if err := db.txExec(ctx, tx, `UPDATE contacts SET version = version + 1 WHERE id = ?`, contactID); err != nil {
		return err
	}
	return sql.ErrNoRows
}

// activeConversation returns the contact's open conversation on the channel
// if its last message is within idle of this one; an open one gone idle is
// closed (ended at its last message) and nil returned.
func (db *DB) activeConversation(ctx context.Context, tx *sqlx.Tx, contactID int64, in contacts.Inbound, idle time.Duration) (*contacts.Conversation, error) {
	var row conversationRow
	err := db.txGet(ctx, tx, &row, openConversationSQL, contactID, string(in.Channel), in.ChannelID, contacts.ConversationOpen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	conv := row.toConversation()
	if in.At.Sub(conv.LastMessageAt) <= idle {
		return &conv, nil
	}
	_, err = tx.ExecContext(ctx, db.q(`UPDATE conversations SET status = ?, ended_at = ? WHERE id = ?`),
		contacts.ConversationClosed, row.LastMessageAt, conv.ID)
	return nil, err
}

// insertID runs an INSERT in tx and returns the new row's id.
func (db *DB) insertID(ctx context.Context, tx *sqlx.Tx, query string, args ...any) (int64, error) {
	if db.dialect.name() == "postgres" {
		query += " RETURNING id"
	}
	st, err := db.prep(ctx, tx, query)
	if err != nil {
		return 0, err
	}
	return db.execInsert(ctx, st, args)
}

// txGet and txExec run a statement prepared once per transaction.
func (db *DB) txGet(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	st, err := db.prep(ctx, tx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

func (db *DB) txExec(ctx context.Context, tx *sqlx.Tx, query string, args ...any) error {
	st, err := db.prep(ctx, tx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// onlyActivityChanged reports whether an inbound message changed nothing of
// the contact but its activity times, counters and derived lead fields.
func onlyActivityChanged(before, after *contacts.Contact) bool {
	a, b := *before, *after
	for _, c := range []*contacts.Contact{&a, &b} {
		c.LastSeenAt, c.LastInboundAt, c.UpdatedAt, c.ConversationCount = time.Time{}, time.Time{}, time.Time{}, 0
		c.LeadStatus, c.LeadScore, c.LeadRefreshAt = "", "", time.Time{}
	}
	return reflect.DeepEqual(a, b)
}

// AnonymousBefore lists visitors the anonymous purge may erase.
func (db *DB) AnonymousBefore(ctx context.Context, before time.Time, limit int) ([]contacts.AnonymousVisitor, error) {
	var rows []struct {
		ProjectID int64 `db:"project_id"`
		ID        int64 `db:"id"`
	}
	err := db.r.SelectContext(ctx, &rows, db.q(`SELECT c.project_id, c.id FROM contacts c
		WHERE c.channel IN (?, ?) AND c.first_name = '' AND c.last_name = '' AND c.email IS NULL AND c.phone IS NULL
		AND c.external_id IS NULL AND c.tags = '[]' AND c.notes = '' AND COALESCE(c.last_seen_at, c.created_at) < ?
		AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.contact_id = c.id) ORDER BY c.id LIMIT ?`),
		string(contacts.ChannelWidget), string(contacts.ChannelLivechat), before.UnixMilli(), limit)
	out := make([]contacts.AnonymousVisitor, len(rows))
	for i, r := range rows {
		out[i] = contacts.AnonymousVisitor{ProjectID: r.ProjectID, ContactID: r.ID}
	}
	return out, err
}

// applyEdit replaces a stored message's text with its edited version,
// keeping the first version.
func (db *DB) applyEdit(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound, res *contacts.InboundResult) error {
	if err := db.txExec(ctx, tx, `UPDATE messages SET original_text = COALESCE(original_text, text), text = ?, edited_at = ?
		WHERE id = ?`, in.Text, msNotNull(in.At), res.Message.ID); err != nil {
		return err
	}
	res.Message.Text, res.Duplicate, res.Edited = in.Text, false, true
	return nil
}

// updateActivity writes the activity columns that changed from before to c.
func (db *DB) updateActivity(ctx context.Context, tx *sqlx.Tx, before, c *contacts.Contact) error {
	u := activityUpdate(before, c, "")
	return db.txExec(ctx, tx, u.query, u.args...)
}

// activityUpdate builds the UPDATE of the activity columns that changed from
// before to c; where and whereArgs narrow it further.
func activityUpdate(before, c *contacts.Contact, where string, whereArgs ...any) guarded {
	set := "last_seen_at = ?, last_inbound_at = ?, updated_at = ?"
	args := []any{ms(c.LastSeenAt), ms(c.LastInboundAt), msNotNull(c.UpdatedAt)}
	if c.ConversationCount != before.ConversationCount {
		set += ", conversation_count = ?"
		args = append(args, c.ConversationCount)
	}
	if c.LeadStatus != before.LeadStatus || c.LeadScore != before.LeadScore || !c.LeadRefreshAt.Equal(before.LeadRefreshAt) {
		set += ", lead_status = ?, lead_score = ?, lead_refresh_at = ?"
		args = append(args, string(c.LeadStatus), string(c.LeadScore), msNotNull(c.LeadRefreshAt))
	}
	args = append(append(args, c.ID), whereArgs...)
	return guarded{`UPDATE contacts SET ` + set + `, version = version + 1 WHERE id = ?` + where, args}
}

// insertInboundMessage stores the message of in in the conversation.
func (db *DB) insertInboundMessage(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound, conversationID int64) (*contacts.Message, error) {
	m := &contacts.Message{ConversationID: conversationID, Direction: contacts.DirectionInbound, SenderKind: contacts.SenderContact,
		Text: in.Text, Attachments: in.Attachments, Channel: in.Channel, ChannelMessageID: in.ChannelMessageID,
		Status: "received", CreatedAt: in.At}
	if len(m.Attachments) == 0 {
		m.Attachments = []byte("[]")
	}
	var err error
	m.ID, err = db.insertID(ctx, tx, `INSERT INTO messages (project_id, conversation_id, direction, sender_kind, text,
		attachments, channel, channel_message_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ProjectID, m.ConversationID, m.Direction, m.SenderKind, m.Text, string(m.Attachments), string(m.Channel),
		m.ChannelMessageID, m.Status, msNotNull(m.CreatedAt))
	return m, err
}

// enqueueInbound queues the job that answers and learns from res.Message.
func (db *DB) enqueueInbound(ctx context.Context, tx *sqlx.Tx, in contacts.Inbound, res *contacts.InboundResult) error {
	payload, err := json.Marshal(contacts.InboundJob{MessageID: res.Message.ID, ConversationID: res.Conversation.ID,
		ContactID: res.Contact.ID, OptedOut: res.OptedOut, OptedIn: res.OptedIn})
	if err != nil {
		return err
	}
	return db.enqueue(ctx, tx, &contacts.QueuedJob{ProjectID: in.ProjectID, Kind: contacts.JobInboundMessage,
		Payload: payload, CreatedAt: in.At})
}
