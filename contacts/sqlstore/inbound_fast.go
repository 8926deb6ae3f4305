package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// errStaleRead aborts a fast-path write whose reads another write overtook;
// the message is then stored by the full path.
var errStaleRead = errors.New("inbound fast path: read overtaken")

// recordKnownFast stores the usual message (a known sender, an open
// conversation, nothing learned but activity) with its reads done before the
// write: from the sender cache when the sender wrote recently, else on the
// reader pool, in parallel with other requests, so SQLite's single writer
// only runs the writes. Each write is guarded by what the reads saw (the
// contact's version, the conversation's state); if anything moved in
// between, or the message is not the usual kind, ok is false and nothing was
// written.
func (db *DB) recordKnownFast(ctx context.Context, in contacts.Inbound, idle time.Duration, apply contacts.InboundApply) (res *contacts.InboundResult, ok bool, err error) {
	if in.Edit {
		return nil, false, nil
	}
	key := keyOf(in)
	known := db.senders.get(key)
	if known == nil {
		if known, err = db.readKnownSender(ctx, in); known == nil || err != nil {
			return nil, false, err
		}
	}
	c, conv := known.contact.Clone(), known.conv
	if in.VerifiedExternalID != "" && c.ExternalID != in.VerifiedExternalID {
		return nil, false, nil // the full path links or detaches the identity
	}
	if in.At.Sub(conv.LastMessageAt) > idle {
		db.senders.drop(key)
		return nil, false, nil // the full path closes the idle conversation and opens one
	}

	before := c.Clone()
	res = &contacts.InboundResult{}
	owner := func(field, value string) int64 {
		var id int64
		if err := db.readGet(ctx, &id, ownerOfSQL(field), in.ProjectID, value); err != nil || id == c.ID {
			return 0
		}
		return id
	}
	apply(c, res, false, owner)
	if len(res.Claims) > 0 || !onlyActivityChanged(before, c) {
		db.senders.drop(key)
		return nil, false, nil
	}

	err = db.inBatch(ctx, func(tx *sqlx.Tx) error {
		var dup int64
		if err := db.txGet(ctx, tx, &dup, storedMessageIDSQL,
			in.ProjectID, string(in.Channel), in.ChannelMessageID); !errors.Is(err, sql.ErrNoRows) {
			if err == nil {
				err = errStaleRead
			}
			return err
		}
		if err := db.guardedExec(ctx, tx, activityUpdate(before, c, " AND version = ?", before.Version)); err != nil {
			return err
		}
		lastAt := conv.LastMessageAt
		if lastAt.Before(in.At) {
			lastAt = in.At
		}
		if err := db.guardedExec(ctx, tx, guarded{`UPDATE conversations SET message_count = message_count + 1, last_message_at = ?
			WHERE id = ? AND contact_id = ? AND status = ? AND message_count = ? AND assignee = ?`,
			[]any{msNotNull(lastAt), conv.ID, c.ID, contacts.ConversationOpen, conv.MessageCount, conv.Assignee}}); err != nil {
			return err
		}
		m, err := db.insertInboundMessage(ctx, tx, in, conv.ID)
		if err != nil {
			return err
		}
		c.Version++
		conv.LastMessageAt = lastAt
		conv.MessageCount++
		res.Contact, res.Conversation, res.Message = c, &conv, m
		return db.enqueueInbound(ctx, tx, in, res)
	})
	if err != nil {
		db.senders.drop(key)
		if errors.Is(err, errStaleRead) {
			return nil, false, nil
		}
		return nil, false, err
	}
	db.senders.put(key, &knownSender{contact: c.Clone(), conv: conv})
	return res, true, nil
}

// readKnownSender reads a sender's contact and open conversation on the
// reader pool; nil when the sender is new, has no open conversation, or the
// message was stored before (the full path answers those).
func (db *DB) readKnownSender(ctx context.Context, in contacts.Inbound) (*knownSender, error) {
	var seen int64
	if err := db.readGet(ctx, &seen, storedMessageIDSQL,
		in.ProjectID, string(in.Channel), in.ChannelMessageID); !errors.Is(err, sql.ErrNoRows) {
		return nil, err // a redelivery (or a failed read) takes the full path
	}
	var contactID int64
	err := db.readGet(ctx, &contactID, senderIdentitySQL,
		in.ProjectID, string(in.Channel), in.ExternalID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := db.getContact(ctx, db.r, in.ProjectID, contactID, "")
	if errors.Is(err, contacts.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var row conversationRow
	err = db.readGet(ctx, &row, openConversationSQL, contactID, string(in.Channel), in.ChannelID, contacts.ConversationOpen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &knownSender{contact: c, conv: row.toConversation()}, nil
}

// guarded is an UPDATE whose WHERE holds what a read saw.
type guarded struct {
	query string
	args  []any
}

// guardedExec runs g and reports errStaleRead when it matched no row.
func (db *DB) guardedExec(ctx context.Context, tx *sqlx.Tx, g guarded) error {
	st, err := db.prep(ctx, tx, g.query)
	if err != nil {
		return err
	}
	r, err := st.ExecContext(ctx, g.args...)
	if err != nil {
		return err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return errStaleRead
	}
	return nil
}

// readGet runs a single-row query on the reader pool.
func (db *DB) readGet(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}
