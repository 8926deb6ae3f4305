package sqlstore

import (
	"context"
	"database/sql"

	"github.com/switchboard-oss/switchboard/contacts"
)

// CreateSavedFilter stores a filter for its owner.
func (db *DB) CreateSavedFilter(ctx context.Context, f *contacts.SavedFilter, owner string) error {
	return db.w.GetContext(ctx, &f.ID, db.q(`INSERT INTO saved_filters (project_id, owner, name, query, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), f.ProjectID, owner, f.Name, f.Query, msNotNull(f.CreatedAt))
}

// ListSavedFilters lists an owner's filters by name.
func (db *DB) ListSavedFilters(ctx context.Context, projectID int64, owner string) ([]contacts.SavedFilter, error) {
	var rows []struct {
		ID        int64  `db:"id"`
		Name      string `db:"name"`
		Query     string `db:"query"`
		CreatedAt int64  `db:"created_at"`
	}
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT id, name, query, created_at FROM saved_filters
		WHERE project_id = ? AND owner = ? ORDER BY name, id`), projectID, owner); err != nil {
		return nil, err
	}
	out := make([]contacts.SavedFilter, len(rows))
	for i, r := range rows {
		out[i] = contacts.SavedFilter{ID: r.ID, ProjectID: projectID, Name: r.Name, Query: r.Query,
			CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}
	}
	return out, nil
}

// DeleteSavedFilter deletes one of the owner's filters.
func (db *DB) DeleteSavedFilter(ctx context.Context, projectID int64, owner string, id int64) error {
	res, err := db.w.ExecContext(ctx, db.q(`DELETE FROM saved_filters WHERE project_id = ? AND owner = ? AND id = ?`), projectID, owner, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return contacts.ErrNotFound
	}
	return nil
}
