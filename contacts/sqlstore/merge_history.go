package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/switchboard-oss/switchboard/contacts"
)

const (
	getMergeSQL = `SELECT id, project_id, primary_id, merged_ids, created_at, undone_at
		FROM merges WHERE project_id = ? AND id = ?`
	// merge_members holds the primary and the merged-away contacts, indexed
	// by contact.
	mergesOfContactSQL = `SELECT m.id, m.project_id, m.primary_id, m.merged_ids, m.created_at, m.undone_at
		FROM merge_members mm JOIN merges m ON m.id = mm.merge_id
		WHERE mm.contact_id = ? AND m.project_id = ? ORDER BY m.id DESC LIMIT ?`
)

type mergeRow struct {
	ID        int64         `db:"id"`
	ProjectID int64         `db:"project_id"`
	PrimaryID int64         `db:"primary_id"`
	MergedIDs string        `db:"merged_ids"`
	CreatedAt int64         `db:"created_at"`
	UndoneAt  sql.NullInt64 `db:"undone_at"`
}

func (r mergeRow) merge() (contacts.Merge, error) {
	m := contacts.Merge{ID: r.ID, ProjectID: r.ProjectID, PrimaryID: r.PrimaryID,
		CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}), UndoneAt: fromMS(r.UndoneAt)}
	if err := json.Unmarshal([]byte(r.MergedIDs), &m.MergedIDs); err != nil {
		return m, fmt.Errorf("decode merged ids of merge %d: %w", r.ID, err)
	}
	return m, nil
}

// GetMerge returns one merge record of the project.
func (db *DB) GetMerge(ctx context.Context, projectID, id int64) (*contacts.Merge, error) {
	var row mergeRow
	if err := db.r.GetContext(ctx, &row, db.q(getMergeSQL), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	m, err := row.merge()
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// MergesOfContact lists the merges a contact took part in, newest first.
func (db *DB) MergesOfContact(ctx context.Context, projectID, contactID int64, limit int) ([]contacts.Merge, error) {
	var rows []mergeRow
	if err := db.r.SelectContext(ctx, &rows, db.q(mergesOfContactSQL), contactID, projectID, limit); err != nil {
		return nil, fmt.Errorf("merges of contact %d: %w", contactID, err)
	}
	out := make([]contacts.Merge, 0, len(rows))
	for _, r := range rows {
		m, err := r.merge()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
