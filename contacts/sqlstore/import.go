package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const importColumns = `i.id, i.project_id, i.file_name, i.path, i.owned, i.size, i.bytes_read, i.options, i.mapping,
	i.encoding, i.delimiter, i.rows_read, i.created, i.updated, i.unchanged, i.skipped_in_file, i.skipped_existing,
	i.failed, i.error_rows, i.cancel_requested, i.actor_kind, i.actor_id, i.actor_name, i.finished_at,
	j.status, j.error, j.created_at, j.updated_at`

const (
	insertImportSQL = `INSERT INTO imports (id, project_id, file_name, path, owned, size, options, mapping, encoding,
	delimiter, actor_kind, actor_id, actor_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	progressImportSQL = `UPDATE imports SET bytes_read = ?, rows_read = ?, created = ?, updated = ?, unchanged = ?,
	skipped_in_file = ?, skipped_existing = ?, failed = ?, error_rows = ? WHERE id = ?`

	progressJobSQL = `UPDATE jobs SET total = ?, done = ?, failed = ?, updated_at = ? WHERE id = ?`

	insertImportErrorSQL = `INSERT INTO import_errors (import_id, row_number, line_number, column_name, field, value, reason)
	VALUES (?, ?, ?, ?, ?, ?, ?)`
)

type importRow struct {
	ID              int64         `db:"id"`
	ProjectID       int64         `db:"project_id"`
	FileName        string        `db:"file_name"`
	Path            string        `db:"path"`
	Owned           bool          `db:"owned"`
	Size            int64         `db:"size"`
	BytesRead       int64         `db:"bytes_read"`
	Options         string        `db:"options"`
	Mapping         string        `db:"mapping"`
	Encoding        string        `db:"encoding"`
	Delimiter       string        `db:"delimiter"`
	Rows            int           `db:"rows_read"`
	Created         int           `db:"created"`
	Updated         int           `db:"updated"`
	Unchanged       int           `db:"unchanged"`
	SkippedInFile   int           `db:"skipped_in_file"`
	SkippedExisting int           `db:"skipped_existing"`
	Failed          int           `db:"failed"`
	ErrorRows       int           `db:"error_rows"`
	CancelRequested bool          `db:"cancel_requested"`
	ActorKind       string        `db:"actor_kind"`
	ActorID         int64         `db:"actor_id"`
	ActorName       string        `db:"actor_name"`
	FinishedAt      sql.NullInt64 `db:"finished_at"`
	Status          string        `db:"status"`
	Error           string        `db:"error"`
	CreatedAt       int64         `db:"created_at"`
	UpdatedAt       int64         `db:"updated_at"`
}

func (r *importRow) toImport() (*contacts.Import, error) {
	imp := &contacts.Import{ID: r.ID, ProjectID: r.ProjectID, FileName: r.FileName, Path: r.Path, Owned: r.Owned,
		Size: r.Size, BytesRead: r.BytesRead, Encoding: r.Encoding, Delimiter: r.Delimiter, Status: r.Status,
		Error: r.Error, ErrorRows: r.ErrorRows, CancelRequested: r.CancelRequested,
		Counts: contacts.ImportCounts{Rows: r.Rows, Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged,
			SkippedInFile: r.SkippedInFile, SkippedExisting: r.SkippedExisting, Failed: r.Failed},
		Actor:     contacts.Actor{Kind: r.ActorKind, ID: r.ActorID, Name: r.ActorName},
		CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}), UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true}),
		FinishedAt: fromMS(r.FinishedAt)}
	if r.Status == contacts.JobFailed && r.CancelRequested {
		imp.Status = contacts.ImportCancelled
	}
	if err := json.Unmarshal([]byte(r.Options), &imp.Options); err != nil {
		return nil, fmt.Errorf("decode import %d options: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Mapping), &imp.Columns); err != nil {
		return nil, fmt.Errorf("decode import %d mapping: %w", r.ID, err)
	}
	return imp, nil
}

// CreateImport records an import and its job in one transaction.
func (db *DB) CreateImport(ctx context.Context, imp *contacts.Import) error {
	opts, err := json.Marshal(imp.Options)
	if err != nil {
		return err
	}
	cols, err := json.Marshal(imp.Columns)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &imp.ID, db.q(`INSERT INTO jobs (project_id, kind, status, total, done, failed, error,
			created_at, updated_at) VALUES (?, ?, ?, 0, 0, 0, '', ?, ?) RETURNING id`), imp.ProjectID, contacts.JobKindImport,
			contacts.JobRunning, msNotNull(imp.CreatedAt), msNotNull(imp.UpdatedAt)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(insertImportSQL), imp.ID, imp.ProjectID, imp.FileName, imp.Path, imp.Owned,
			imp.Size, string(opts), string(cols), imp.Encoding, imp.Delimiter, imp.Actor.Kind, imp.Actor.ID, imp.Actor.Name)
		return err
	})
}

// GetImport loads an import with its job's status.
func (db *DB) GetImport(ctx context.Context, projectID, id int64) (*contacts.Import, error) {
	var r importRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT `+importColumns+` FROM imports i JOIN jobs j ON j.id = i.id
		WHERE i.project_id = ? AND i.id = ?`), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	return r.toImport()
}

// ListImports lists a project's latest imports.
func (db *DB) ListImports(ctx context.Context, projectID int64, limit int) ([]contacts.Import, error) {
	var rows []importRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+importColumns+` FROM imports i JOIN jobs j ON j.id = i.id
		WHERE i.project_id = ? ORDER BY i.id DESC LIMIT ?`), projectID, limit); err != nil {
		return nil, err
	}
	out := make([]contacts.Import, 0, len(rows))
	for i := range rows {
		imp, err := rows[i].toImport()
		if err != nil {
			return nil, err
		}
		out = append(out, *imp)
	}
	return out, nil
}

// saveImportProgress writes an import's counts and its job's progress in tx.
func (db *DB) saveImportProgress(ctx context.Context, tx *sqlx.Tx, imp *contacts.Import) error {
	c := imp.Counts
	if err := db.txExec(ctx, tx, progressImportSQL, imp.BytesRead, c.Rows, c.Created, c.Updated, c.Unchanged,
		c.SkippedInFile, c.SkippedExisting, c.Failed, imp.ErrorRows, imp.ID); err != nil {
		return fmt.Errorf("save import progress: %w", err)
	}
	if err := db.txExec(ctx, tx, progressJobSQL, c.Rows, c.Rows-c.Failed, c.Failed, msNotNull(imp.UpdatedAt), imp.ID); err != nil {
		return fmt.Errorf("save import job progress: %w", err)
	}
	return nil
}

func (db *DB) insertImportErrors(ctx context.Context, tx *sqlx.Tx, importID int64, errs []contacts.ImportRowError) error {
	if len(errs) == 0 {
		return nil
	}
	st, err := db.prep(ctx, tx, insertImportErrorSQL)
	if err != nil {
		return err
	}
	for _, e := range errs {
		if _, err := st.ExecContext(ctx, importID, e.Row, e.Line, textOnly(e.Column), e.Field, textOnly(e.Value), textOnly(e.Reason)); err != nil {
			return fmt.Errorf("record failed row %d: %w", e.Row, err)
		}
	}
	return nil
}

// textOnly keeps a report string storable in PostgreSQL, which refuses
// zero bytes in text (a UTF-16 file can carry U+0000).
func textOnly(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

// FinishImport records how an import ended, with its audit entry.
func (db *DB) FinishImport(ctx context.Context, imp *contacts.Import, audit contacts.AuditEntry) error {
	status := contacts.JobFailed
	if imp.Status == contacts.JobDone {
		status = contacts.JobDone
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := db.saveImportProgress(ctx, tx, imp); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE imports SET finished_at = ? WHERE id = ?`), msNotNull(imp.FinishedAt), imp.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?`),
			status, imp.Error, msNotNull(imp.UpdatedAt), imp.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// RestartImport sets a failed import running again.
func (db *DB) RestartImport(ctx context.Context, projectID, id int64, at time.Time, interrupted bool) error {
	also := contacts.JobFailed
	if interrupted {
		also = contacts.JobRunning
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE jobs SET status = ?, error = '', updated_at = ?
			WHERE id = ? AND project_id = ? AND kind = ? AND status IN (?, ?)`),
			contacts.JobRunning, msNotNull(at), id, projectID, contacts.JobKindImport, contacts.JobFailed, also)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.importConflict(ctx, tx, projectID, id, "is not failed, so it cannot be resumed")
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE imports SET cancel_requested = ?, finished_at = NULL WHERE id = ?`), false, id)
		return err
	})
}

// RequestImportCancel flags a running import to stop after its batch.
func (db *DB) RequestImportCancel(ctx context.Context, projectID, id int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE imports SET cancel_requested = ? WHERE project_id = ? AND id = ?
			AND id IN (SELECT id FROM jobs WHERE id = ? AND status = ?)`), true, projectID, id, id, contacts.JobRunning)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.importConflict(ctx, tx, projectID, id, "has finished")
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE jobs SET updated_at = ? WHERE id = ?`), msNotNull(at), id)
		return err
	})
}

// importConflict tells a missing import (ErrNotFound) from one in the
// wrong state (ErrConflict).
func (db *DB) importConflict(ctx context.Context, tx *sqlx.Tx, projectID, id int64, why string) error {
	var n int
	if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM imports WHERE project_id = ? AND id = ?`), projectID, id); err != nil {
		return err
	}
	if n == 0 {
		return contacts.ErrNotFound
	}
	return fmt.Errorf("import %d %s: %w", id, why, contacts.ErrConflict)
}

// ImportErrors pages through an import's error report.
func (db *DB) ImportErrors(ctx context.Context, projectID, id, afterID int64, limit int) ([]contacts.ImportRowError, error) {
	var rows []struct {
		ID     int64  `db:"id"`
		Row    int    `db:"row_number"`
		Line   int    `db:"line_number"`
		Column string `db:"column_name"`
		Field  string `db:"field"`
		Value  string `db:"value"`
		Reason string `db:"reason"`
	}
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT e.id, e.row_number, e.line_number, e.column_name, e.field,
		e.value, e.reason FROM import_errors e JOIN imports i ON i.id = e.import_id
		WHERE i.project_id = ? AND e.import_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`), projectID, id, afterID, limit); err != nil {
		return nil, err
	}
	out := make([]contacts.ImportRowError, len(rows))
	for i, r := range rows {
		out[i] = contacts.ImportRowError{ID: r.ID, Row: r.Row, Line: r.Line, Column: r.Column, Field: r.Field, Value: r.Value, Reason: r.Reason}
	}
	return out, nil
}
