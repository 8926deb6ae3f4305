package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const insertAuditSQL = `INSERT INTO audit_log (project_id, actor_kind, actor_id, actor_name, action,
	contact_id, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

// appendAudit writes an audit row inside the caller's transaction, so the
// record and the change commit together.
func (db *DB) appendAudit(ctx context.Context, tx *sqlx.Tx, e contacts.AuditEntry) error {
	_, err := tx.ExecContext(ctx, db.q(insertAuditSQL), e.ProjectID, e.ActorKind, e.ActorID, e.ActorName,
		e.Action, e.ContactID, nullStr(string(e.Before)), nullStr(string(e.After)), msNotNull(e.At))
	return err
}

type auditRow struct {
	ID        int64          `db:"id"`
	ProjectID int64          `db:"project_id"`
	ActorKind string         `db:"actor_kind"`
	ActorID   int64          `db:"actor_id"`
	ActorName string         `db:"actor_name"`
	Action    string         `db:"action"`
	ContactID int64          `db:"contact_id"`
	Before    sql.NullString `db:"before"`
	After     sql.NullString `db:"after"`
	At        int64          `db:"at"`
}

// ListAudit lists entries newest first. Every filter is an AND on the
// project's entries walked down the (project_id, id) index, or the
// (project_id, contact_id, id) one for a contact.
func (db *DB) ListAudit(ctx context.Context, q contacts.AuditQuery) ([]contacts.AuditEntry, error) {
	query := `SELECT id, project_id, actor_kind, actor_id, actor_name, action, contact_id, before, after, at
		FROM audit_log WHERE project_id = ?`
	args := []any{q.ProjectID}
	add := func(cond string, vals ...any) {
		query += ` AND ` + cond
		args = append(args, vals...)
	}
	if q.ContactID != 0 {
		add(`contact_id = ?`, q.ContactID)
	}
	actions := q.Actions
	if q.Action != "" {
		actions = append(actions[:len(actions):len(actions)], q.Action)
	}
	if len(actions) > 0 {
		vals := make([]any, len(actions))
		for i, a := range actions {
			vals[i] = a
		}
		add(`action IN (?`+strings.Repeat(", ?", len(actions)-1)+`)`, vals...)
	}
	if q.ActorKind != "" {
		add(`actor_kind = ?`, q.ActorKind)
	}
	if q.ActorID != 0 {
		add(`actor_id = ?`, q.ActorID)
	}
	if q.ActorName != "" {
		add(`actor_name = ?`, q.ActorName)
	}
	if !q.From.IsZero() {
		add(`at >= ?`, msNotNull(q.From))
	}
	if !q.To.IsZero() {
		add(`at < ?`, msNotNull(q.To))
	}
	if q.BeforeID > 0 {
		add(`id < ?`, q.BeforeID)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, q.Limit)
	var rows []auditRow
	if err := db.r.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, err
	}
	out := make([]contacts.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = contacts.AuditEntry{ID: r.ID, ProjectID: r.ProjectID, ActorKind: r.ActorKind, ActorID: r.ActorID,
			ActorName: r.ActorName, Action: r.Action, ContactID: r.ContactID, At: fromMS(sql.NullInt64{Int64: r.At, Valid: true})}
		if r.Before.Valid {
			out[i].Before = []byte(r.Before.String)
		}
		if r.After.Valid {
			out[i].After = []byte(r.After.String)
		}
	}
	return out, nil
}

// AppendAudit appends one entry on its own (a retention run, a login, a
// settings change).
func (db *DB) AppendAudit(ctx context.Context, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error { return db.appendAudit(ctx, tx, audit) })
}
