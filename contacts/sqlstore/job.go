package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// CreateJob records a background job.
func (db *DB) CreateJob(ctx context.Context, j *contacts.Job) error {
	return db.w.GetContext(ctx, &j.ID, db.q(`INSERT INTO jobs (project_id, kind, status, total, done, failed, error,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), j.ProjectID, j.Kind, j.Status,
		j.Total, j.Done, j.Failed, j.Error, msNotNull(j.CreatedAt), msNotNull(j.UpdatedAt))
}

// UpdateJob saves a job's progress.
func (db *DB) UpdateJob(ctx context.Context, j *contacts.Job) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE jobs SET status = ?, total = ?, done = ?, failed = ?, error = ?,
		updated_at = ? WHERE id = ?`), j.Status, j.Total, j.Done, j.Failed, j.Error, msNotNull(j.UpdatedAt), j.ID)
	return err
}

// GetJob loads a job of the project.
func (db *DB) GetJob(ctx context.Context, projectID, id int64) (*contacts.Job, error) {
	var r struct {
		ID        int64  `db:"id"`
		ProjectID int64  `db:"project_id"`
		Kind      string `db:"kind"`
		Status    string `db:"status"`
		Total     int    `db:"total"`
		Done      int    `db:"done"`
		Failed    int    `db:"failed"`
		Error     string `db:"error"`
		CreatedAt int64  `db:"created_at"`
		UpdatedAt int64  `db:"updated_at"`
	}
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT id, project_id, kind, status, total, done, failed, error,
		created_at, updated_at FROM jobs WHERE project_id = ? AND id = ?`), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	return &contacts.Job{ID: r.ID, ProjectID: r.ProjectID, Kind: r.Kind, Status: r.Status, Total: r.Total,
		Done: r.Done, Failed: r.Failed, Error: r.Error, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true})}, nil
}

// FailRunningJobs marks jobs a dead process left running as failed.
func (db *DB) FailRunningJobs(ctx context.Context, reason string, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE status IN (?, ?)`),
		contacts.JobFailed, reason, msNotNull(at), contacts.JobQueued, contacts.JobRunning)
	return err
}
