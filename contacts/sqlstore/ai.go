package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// EnrichContact applies an enrichment in one transaction.
func (db *DB) EnrichContact(ctx context.Context, projectID, id int64, actor contacts.Actor, at time.Time, conv *contacts.ConversationInsights,
	apply func(c *contacts.Contact, owner func(field, value string) int64) *contacts.EnrichOutcome) (*contacts.Contact, *contacts.EnrichOutcome, error) {
	var (
		out     *contacts.Contact
		outcome *contacts.EnrichOutcome
	)
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := db.getContact(ctx, tx, projectID, id, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		before := c.Clone()
		owner := func(field, value string) int64 {
			var other int64
			if err := tx.GetContext(ctx, &other, db.q(ownerOfSQL(field)), projectID, value); err != nil || other == c.ID {
				return 0
			}
			return other
		}
		outcome = apply(c, owner)
		out = c
		if !reflect.DeepEqual(before, c) {
			if err := db.saveContact(ctx, tx, c); err != nil {
				return err
			}
			if err := db.appendAudit(ctx, tx, contacts.NewAudit(projectID, actor, contacts.AuditContactEnrich, id, before, c, at)); err != nil {
				return err
			}
		}
		for _, cl := range outcome.Claims {
			if err := db.txExec(ctx, tx, `INSERT INTO duplicate_claims (project_id, contact_id, other_id, field, value, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, other_id, field) DO NOTHING`,
				projectID, c.ID, cl.OtherID, cl.Field, cl.Value, msNotNull(at)); err != nil {
				return err
			}
		}
		fresh := outcome.Suggestions[:0]
		for _, s := range outcome.Suggestions {
			ids, _ := json.Marshal(nonNil(s.MessageIDs))
			err := tx.GetContext(ctx, &s.ID, db.q(`INSERT INTO suggestions (project_id, contact_id, field, value, current,
				confidence, message_ids, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (contact_id, field, value) DO NOTHING RETURNING id`),
				projectID, c.ID, s.Field, s.Value, s.Current, s.Confidence, string(ids), contacts.SuggestionPending, msNotNull(at))
			if errors.Is(err, sql.ErrNoRows) {
				continue // suggested before: staff have seen it
			}
			if err != nil {
				return err
			}
			fresh = append(fresh, s)
		}
		outcome.Suggestions = fresh
		if conv != nil {
			_, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET summary = CASE WHEN ? = '' THEN summary ELSE ? END,
				sentiment = CASE WHEN ? = '' THEN sentiment ELSE ? END, sentiment_score = CASE WHEN ? = '' THEN sentiment_score ELSE ? END
				WHERE project_id = ? AND id = ? AND contact_id = ?`),
				conv.Summary, conv.Summary, conv.Sentiment, conv.Sentiment, conv.Sentiment, conv.SentimentScore, projectID, conv.ConversationID, c.ID)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, db.duplicate(ctx, out, err)
	}
	return out, outcome, nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

const suggestionColumns = `id, project_id, contact_id, field, value, current, confidence, message_ids, status, created_at, decided_at, decided_by`

type suggestionRow struct {
	ID         int64         `db:"id"`
	ProjectID  int64         `db:"project_id"`
	ContactID  int64         `db:"contact_id"`
	Field      string        `db:"field"`
	Value      string        `db:"value"`
	Current    string        `db:"current"`
	Confidence float64       `db:"confidence"`
	MessageIDs string        `db:"message_ids"`
	Status     string        `db:"status"`
	CreatedAt  int64         `db:"created_at"`
	DecidedAt  sql.NullInt64 `db:"decided_at"`
	DecidedBy  string        `db:"decided_by"`
}

func (r suggestionRow) toSuggestion() contacts.Suggestion {
	s := contacts.Suggestion{ID: r.ID, ProjectID: r.ProjectID, ContactID: r.ContactID, Field: r.Field, Value: r.Value,
		Current: r.Current, Confidence: r.Confidence, Status: r.Status, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		DecidedAt: fromMS(r.DecidedAt), DecidedBy: r.DecidedBy, MessageIDs: []int64{}}
	_ = json.Unmarshal([]byte(r.MessageIDs), &s.MessageIDs)
	return s
}

// ListSuggestions lists a contact's suggestions, newest first.
func (db *DB) ListSuggestions(ctx context.Context, projectID, contactID int64, status string) ([]contacts.Suggestion, error) {
	if err := db.contactExists(ctx, db.r, projectID, contactID); err != nil {
		return nil, err
	}
	var rows []suggestionRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+suggestionColumns+` FROM suggestions
		WHERE project_id = ? AND contact_id = ? AND (? = '' OR status = ?) ORDER BY id DESC`),
		projectID, contactID, status, status); err != nil {
		return nil, err
	}
	out := make([]contacts.Suggestion, len(rows))
	for i, r := range rows {
		out[i] = r.toSuggestion()
	}
	return out, nil
}

func (db *DB) contactExists(ctx context.Context, q sqlx.QueryerContext, projectID, id int64) error {
	var n int
	if err := sqlx.GetContext(ctx, q, &n, db.q(`SELECT COUNT(*) FROM contacts WHERE project_id = ? AND id = ?`), projectID, id); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("contact %d: %w", id, contacts.ErrNotFound)
	}
	return nil
}

// DecideSuggestion accepts or rejects a pending suggestion.
func (db *DB) DecideSuggestion(ctx context.Context, projectID, contactID, id int64, accept bool, actor contacts.Actor, at time.Time,
	apply func(*contacts.Contact, *contacts.Suggestion) error) (*contacts.Suggestion, *contacts.Contact, error) {
	var (
		sg  contacts.Suggestion
		out *contacts.Contact
	)
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var row suggestionRow
		err := tx.GetContext(ctx, &row, db.q(`SELECT `+suggestionColumns+` FROM suggestions WHERE project_id = ? AND contact_id = ? AND id = ?`),
			projectID, contactID, id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("suggestion %d: %w", id, contacts.ErrNotFound)
		}
		if err != nil {
			return err
		}
		sg = row.toSuggestion()
		if sg.Status != contacts.SuggestionPending {
			return fmt.Errorf("suggestion %d was %s already: %w", id, sg.Status, contacts.ErrConflict)
		}
		sg.Status, sg.DecidedAt, sg.DecidedBy = contacts.SuggestionRejected, at, actor.Name
		if accept {
			sg.Status = contacts.SuggestionAccepted
			c, err := db.getContact(ctx, tx, projectID, contactID, db.dialect.forUpdate())
			if err != nil {
				return err
			}
			before := c.Clone()
			if err := apply(c, &sg); err != nil {
				return err
			}
			out = c
			if err := db.saveContact(ctx, tx, c); err != nil {
				return err
			}
			if err := db.appendAudit(ctx, tx, contacts.NewAudit(projectID, actor, contacts.AuditSuggestionAccept, contactID, before, c, at)); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE suggestions SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?`),
			sg.Status, msNotNull(at), sg.DecidedBy, id)
		return err
	})
	if err != nil {
		return nil, nil, db.duplicate(ctx, out, err)
	}
	return &sg, out, nil
}

// BotSettings returns a project's stored bot settings.
func (db *DB) BotSettings(ctx context.Context, projectID int64) ([]byte, error) {
	var raw string
	err := db.r.GetContext(ctx, &raw, db.q(`SELECT settings FROM bot_settings WHERE project_id = ?`), projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, contacts.ErrNotFound
	}
	return []byte(raw), err
}

// SetBotSettings stores a project's bot settings.
func (db *DB) SetBotSettings(ctx context.Context, projectID int64, settings []byte, at time.Time) error {
	return db.queueUpdate(ctx, `INSERT INTO bot_settings (project_id, settings, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
		projectID, string(settings), msNotNull(at))
}

// SetBotState records a conversation's collection state.
func (db *DB) SetBotState(ctx context.Context, projectID, conversationID int64, state []byte) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET bot_state = ? WHERE project_id = ? AND id = ?`),
			string(state), projectID, conversationID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("conversation %d: %w", conversationID, contacts.ErrNotFound)
		}
		return nil
	})
}

// AddAIUsage counts one model request.
func (db *DB) AddAIUsage(ctx context.Context, projectID int64, day string, promptTokens, completionTokens int) error {
	return db.queueUpdate(ctx, `INSERT INTO ai_usage (project_id, day, prompt_tokens, completion_tokens, requests) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (project_id, day) DO UPDATE SET prompt_tokens = ai_usage.prompt_tokens + excluded.prompt_tokens,
		completion_tokens = ai_usage.completion_tokens + excluded.completion_tokens, requests = ai_usage.requests + 1`,
		projectID, day, promptTokens, completionTokens)
}

// AIUsage sums a project's usage since a day.
func (db *DB) AIUsage(ctx context.Context, projectID int64, since string) (contacts.AIUsage, error) {
	var u contacts.AIUsage
	err := db.r.GetContext(ctx, &u, db.q(`SELECT COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
		COALESCE(SUM(completion_tokens), 0) AS completion_tokens, COALESCE(SUM(requests), 0) AS requests
		FROM ai_usage WHERE project_id = ? AND day >= ?`), projectID, since)
	return u, err
}
