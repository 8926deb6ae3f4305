package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// CreateNote adds a team note to a contact of the project.
func (db *DB) CreateNote(ctx context.Context, projectID int64, n *contacts.Note, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var ok int
		if err := tx.GetContext(ctx, &ok, db.q(`SELECT COUNT(*) FROM contacts WHERE project_id = ? AND id = ?`), projectID, n.ContactID); err != nil {
			return err
		}
		if ok == 0 {
			return contacts.ErrNotFound
		}
		author := sql.NullInt64{Int64: n.AuthorID, Valid: n.AuthorID != 0}
		if err := tx.GetContext(ctx, &n.ID, db.q(`INSERT INTO notes (project_id, contact_id, author_id, author, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), projectID, n.ContactID, author, n.Author, n.Body, msNotNull(n.CreatedAt)); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

type noteRow struct {
	ID        int64         `db:"id"`
	ContactID int64         `db:"contact_id"`
	AuthorID  sql.NullInt64 `db:"author_id"`
	Author    string        `db:"author"`
	Body      string        `db:"body"`
	CreatedAt int64         `db:"created_at"`
}

// ListNotes lists a contact's notes, newest first.
func (db *DB) ListNotes(ctx context.Context, projectID, contactID int64) ([]contacts.Note, error) {
	var rows []noteRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT id, contact_id, author_id, author, body, created_at
		FROM notes WHERE project_id = ? AND contact_id = ? ORDER BY created_at DESC, id DESC`), projectID, contactID); err != nil {
		return nil, err
	}
	out := make([]contacts.Note, len(rows))
	for i, r := range rows {
		out[i] = contacts.Note{ID: r.ID, ContactID: r.ContactID, AuthorID: r.AuthorID.Int64, Author: r.Author,
			Body: r.Body, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}
	}
	return out, nil
}
