package sqlstore

import (
	"context"
	"fmt"

	"github.com/switchboard-oss/switchboard/contacts"
)

// ListExports lists the project's newest exports with their jobs. The
// exports table is small (files expire within days), so the primary key
// walk backwards is all it needs.
func (db *DB) ListExports(ctx context.Context, projectID int64, limit int) ([]contacts.Export, error) {
	out, err := db.selectExports(ctx, ` WHERE e.project_id = ? ORDER BY e.id DESC LIMIT ?`, projectID, limit)
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	return out, nil
}

// selectExports reads the exports a WHERE (with its ORDER BY and LIMIT)
// picks, with their jobs.
func (db *DB) selectExports(ctx context.Context, where string, args ...any) ([]contacts.Export, error) {
	var rows []exportRow
	if err := db.r.SelectContext(ctx, &rows, db.q(exportSelectSQL+where), args...); err != nil {
		return nil, err
	}
	out := make([]contacts.Export, 0, len(rows))
	for i := range rows {
		e, err := rows[i].toExport()
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, nil
}
