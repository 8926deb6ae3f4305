package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const queueColumns = `id, project_id, kind, payload, run_at, attempts, last_error, created_at`

type queueRow struct {
	ID        int64  `db:"id"`
	ProjectID int64  `db:"project_id"`
	Kind      string `db:"kind"`
	Payload   string `db:"payload"`
	RunAt     int64  `db:"run_at"`
	Attempts  int    `db:"attempts"`
	LastError string `db:"last_error"`
	CreatedAt int64  `db:"created_at"`
}

// Enqueue adds a job.
func (db *DB) Enqueue(ctx context.Context, j *contacts.QueuedJob) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error { return db.enqueue(ctx, tx, j) })
}

// enqueue adds a job inside the caller's transaction, so it commits (or
// not) with the change that needs it.
func (db *DB) enqueue(ctx context.Context, tx *sqlx.Tx, j *contacts.QueuedJob) error {
	if len(j.Payload) == 0 {
		j.Payload = []byte("{}")
	}
	if j.RunAt.IsZero() {
		j.RunAt = j.CreatedAt
	}
	var err error
	j.ID, err = db.insertID(ctx, tx, `INSERT INTO queue (project_id, kind, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		j.ProjectID, j.Kind, string(j.Payload), msNotNull(j.RunAt), msNotNull(j.CreatedAt))
	return err
}

// EnqueueKeyed adds a job, or moves the pending job with the same key.
func (db *DB) EnqueueKeyed(ctx context.Context, j *contacts.QueuedJob, key string) error {
	if len(j.Payload) == 0 {
		j.Payload = []byte("{}")
	}
	if j.RunAt.IsZero() {
		j.RunAt = j.CreatedAt
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &j.ID, db.q(`INSERT INTO queue (project_id, kind, payload, run_at, created_at, dedupe_key)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) WHERE done_at IS NULL
			DO UPDATE SET run_at = excluded.run_at, payload = excluded.payload RETURNING id`),
			j.ProjectID, j.Kind, string(j.Payload), msNotNull(j.RunAt), msNotNull(j.CreatedAt), key)
	})
}

// Claim leases the oldest due job. On PostgreSQL, SKIP LOCKED lets workers
// in several processes claim different jobs at once; on SQLite the writer's
// immediate transaction serialises claims. A claimed job gives up its
// dedupe key, so a trigger while it runs queues the next run.
func (db *DB) Claim(ctx context.Context, now time.Time, lease time.Duration, kinds contacts.JobKinds) (*contacts.QueuedJob, error) {
	var row queueRow
	args := []any{msNotNull(now.Add(lease)), msNotNull(now), msNotNull(now)}
	filter := ""
	if list, not := kinds.Only, ""; len(list) > 0 || len(kinds.Except) > 0 {
		if len(list) == 0 {
			list, not = kinds.Except, "NOT "
		}
		filter = " AND kind " + not + "IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(list)), ", ") + ")"
		for _, k := range list {
			args = append(args, k)
		}
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.GetContext(ctx, &row, db.q(`UPDATE queue SET locked_until = ?, attempts = attempts + 1, dedupe_key = NULL WHERE id = (
			SELECT id FROM queue WHERE done_at IS NULL AND run_at <= ? AND locked_until <= ?`+filter+`
			ORDER BY run_at, id LIMIT 1`+db.dialect.skipLocked()+`) RETURNING `+queueColumns), args...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &contacts.QueuedJob{ID: row.ID, ProjectID: row.ProjectID, Kind: row.Kind, Payload: []byte(row.Payload),
		RunAt: fromMS(sql.NullInt64{Int64: row.RunAt, Valid: true}), Attempts: row.Attempts, LastError: row.LastError,
		CreatedAt: fromMS(sql.NullInt64{Int64: row.CreatedAt, Valid: true})}, nil
}

// Complete marks a job done.
func (db *DB) Complete(ctx context.Context, id int64, at time.Time) error {
	return db.queueUpdate(ctx, `UPDATE queue SET done_at = ?, locked_until = 0 WHERE id = ?`, msNotNull(at), id)
}

// Retry releases a job to run again later.
func (db *DB) Retry(ctx context.Context, id int64, runAt time.Time, reason string) error {
	return db.queueUpdate(ctx, `UPDATE queue SET run_at = ?, locked_until = 0, last_error = ? WHERE id = ?`, msNotNull(runAt), reason, id)
}

// Abandon gives up on a job, keeping why.
func (db *DB) Abandon(ctx context.Context, id int64, at time.Time, reason string) error {
	return db.queueUpdate(ctx, `UPDATE queue SET done_at = ?, locked_until = 0, last_error = ? WHERE id = ?`, msNotNull(at), reason, id)
}

func (db *DB) queueUpdate(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(query), args...)
		return err
	})
}

// SetMessageStatus records a message's delivery status and peer id.
func (db *DB) SetMessageStatus(ctx context.Context, projectID, id int64, status, peerID string) error {
	return db.messageUpdate(ctx, `UPDATE messages SET status = ?, peer_message_id = COALESCE(?, peer_message_id)
		WHERE project_id = ? AND id = ?`, status, nullStr(peerID), projectID, id)
}

// SetStatusByPeerID records a receipt for the message the channel knows as
// peerID, unless the message is further along already (contacts.ReceiptRank).
func (db *DB) SetStatusByPeerID(ctx context.Context, projectID int64, peerID, status string) error {
	return db.messageUpdate(ctx, `UPDATE messages SET status = ? WHERE project_id = ? AND peer_message_id = ?
		AND CASE status WHEN 'read' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END <= ?`, status, projectID, peerID, contacts.ReceiptRank(status))
}

func (db *DB) messageUpdate(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return contacts.ErrNotFound
		}
		return nil
	})
}
