package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Stats summarises a project's contacts.
func (db *DB) Stats(ctx context.Context, projectID int64, monthStart time.Time) (*contacts.Stats, error) {
	var agg struct {
		Total   int64 `db:"total"`
		New     int64 `db:"new"`
		Emails  int64 `db:"emails"`
		Phones  int64 `db:"phones"`
		Convers int64 `db:"convs"`
	}
	if err := db.r.GetContext(ctx, &agg, db.q(`SELECT COUNT(*) AS total,
		COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS new,
		COUNT(email) AS emails, COUNT(phone) AS phones, COALESCE(SUM(conversation_count), 0) AS convs
		FROM contacts WHERE project_id = ?`), monthStart.UnixMilli(), projectID); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	s := &contacts.Stats{Total: agg.Total, NewThisMonth: agg.New, ByChannel: map[string]int64{}, ByLeadStatus: map[string]int64{}}
	for _, st := range contacts.LeadStatuses {
		s.ByLeadStatus[string(st)] = 0
	}
	if agg.Total > 0 {
		s.AvgConversations = float64(agg.Convers) / float64(agg.Total)
		s.ShareWithEmail = float64(agg.Emails) / float64(agg.Total)
		s.ShareWithPhone = float64(agg.Phones) / float64(agg.Total)
	}
	for col, dst := range map[string]map[string]int64{"channel": s.ByChannel, "lead_status": s.ByLeadStatus} {
		var rows []struct {
			K string `db:"k"`
			N int64  `db:"n"`
		}
		if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+col+` AS k, COUNT(*) AS n FROM contacts WHERE project_id = ? GROUP BY `+col), projectID); err != nil {
			return nil, fmt.Errorf("stats by %s: %w", col, err)
		}
		for _, r := range rows {
			dst[r.K] = r.N
		}
	}
	return s, nil
}
