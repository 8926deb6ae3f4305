package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const refreshBatch = 500

// RefreshLeads re-derives contacts whose lead_refresh_at has passed, in
// batches. derive always moves lead_refresh_at past now, so it terminates.
func (db *DB) RefreshLeads(ctx context.Context, now time.Time, derive func(*contacts.Contact)) (int, error) {
	total := 0
	for {
		var rows []contactRow
		if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+contactColumns+` FROM contacts c
			WHERE c.lead_refresh_at <= ? ORDER BY c.lead_refresh_at LIMIT ?`), now.UnixMilli(), refreshBatch); err != nil {
			return total, fmt.Errorf("refresh leads: %w", err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			stmt, err := tx.PreparexContext(ctx, db.q(`UPDATE contacts SET lead_status = ?, lead_score = ?, lead_refresh_at = ?, version = version + 1 WHERE id = ?`))
			if err != nil {
				return err
			}
			defer stmt.Close()
			for i := range rows {
				c, err := rows[i].toContact()
				if err != nil {
					return err
				}
				derive(c)
				if !c.LeadRefreshAt.After(now) {
					c.LeadRefreshAt = now.Add(time.Hour)
				}
				if _, err := stmt.ExecContext(ctx, string(c.LeadStatus), string(c.LeadScore), c.LeadRefreshAt.UnixMilli(), c.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("refresh leads: %w", err)
		}
		total += len(rows)
	}
}
