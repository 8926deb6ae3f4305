package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// The count is of a small range of the (project_id, created_at, ...) index
// on contacts; contacts in their erasure grace period are counted on their
// own, through their few ids, and subtracted, as Stats does.
const (
	newPerDaySQL = `SELECT c.created_at / 86400000 AS d, COUNT(*) AS n FROM contacts c
		WHERE c.project_id = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.created_at / 86400000`

	newPerDayHiddenSQL = `SELECT c.created_at / 86400000 AS d, COUNT(*) AS n FROM contact_erasures h
		JOIN contacts c ON c.id = h.contact_id
		WHERE h.project_id = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.created_at / 86400000`
)

// NewContactsPerDay counts a project's contacts created per UTC day.
func (db *DB) NewContactsPerDay(ctx context.Context, projectID int64, from, to time.Time) (map[int64]int64, error) {
	out := map[int64]int64{}
	for sign, query := range map[int64]string{1: newPerDaySQL, -1: newPerDayHiddenSQL} {
		var rows []struct {
			D int64 `db:"d"`
			N int64 `db:"n"`
		}
		if err := db.r.SelectContext(ctx, &rows, db.q(query), projectID, from.UnixMilli(), to.UnixMilli()); err != nil {
			return nil, fmt.Errorf("count new contacts per day: %w", err)
		}
		for _, r := range rows {
			out[r.D] += sign * r.N
		}
	}
	for d, n := range out {
		if n == 0 {
			delete(out, d) // only contacts pending erasure were created that day
		}
	}
	return out, nil
}
