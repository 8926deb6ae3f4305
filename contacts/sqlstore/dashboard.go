package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Both counts are of a small range of an index ((project_id, status, ...)
// on conversations, (project_id, created_at, ...) on contacts); contacts in
// their erasure grace period are counted on their own, through their few
// ids, and subtracted, as Stats does.
const (
	openConversationsSQL = `SELECT
		(SELECT COUNT(*) FROM conversations WHERE project_id = ? AND status = ?) -
		(SELECT COUNT(*) FROM contact_erasures h JOIN conversations v ON v.contact_id = h.contact_id
			WHERE h.project_id = ? AND v.status = ?)`

	newPerDaySQL = `SELECT c.created_at / 86400000 AS d, COUNT(*) AS n FROM contacts c
		WHERE c.project_id = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.created_at / 86400000`

	newPerDayHiddenSQL = `SELECT c.created_at / 86400000 AS d, COUNT(*) AS n FROM contact_erasures h
		JOIN contacts c ON c.id = h.contact_id
		WHERE h.project_id = ? AND c.created_at >= ? AND c.created_at < ? GROUP BY c.created_at / 86400000`
)

// OpenConversations counts a project's open conversations.
func (db *DB) OpenConversations(ctx context.Context, projectID int64) (int64, error) {
	var n int64
	if err := db.r.GetContext(ctx, &n, db.q(openConversationsSQL), projectID, contacts.ConversationOpen,
		projectID, contacts.ConversationOpen); err != nil {
		return 0, fmt.Errorf("count open conversations: %w", err)
	}
	return n, nil
}

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
