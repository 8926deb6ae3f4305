package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// retentionBatch is how many rows one retention transaction changes, so a
// run never holds SQLite's single writer for long: a thousand archived
// contacts (each touching the list, lead and archive indexes) take tens of
// milliseconds. A variable for tests.
var retentionBatch = 1000

// inactive is "no activity (creation, visit, message either way) before
// the argument", written over p's columns; it takes the cutoff four times.
func inactive(p string) string {
	return p + `created_at < ? AND COALESCE(` + p + `last_seen_at, 0) < ? AND COALESCE(` + p + `last_inbound_at, 0) < ?
	AND COALESCE(` + p + `last_outbound_at, 0) < ?`
}

// quietSinceArchived is "no activity since the contact was archived".
func quietSinceArchived(p string) string {
	return `COALESCE(` + p + `last_seen_at, 0) <= ` + p + `archived_at AND COALESCE(` + p + `last_inbound_at, 0) <= ` + p + `archived_at
	AND COALESCE(` + p + `last_outbound_at, 0) <= ` + p + `archived_at`
}

// byRowID makes SQLite walk a table in rowid order for `id > ? ORDER BY id
// LIMIT n`: left alone it may pick an index on project_id and sort the
// whole project for every batch. PostgreSQL walks the primary key by itself.
func (db *DB) byRowID() string {
	if db.dialect.name() == "sqlite" {
		return " NOT INDEXED"
	}
	return ""
}

// RetentionDue lists projects with a policy on and no run since since.
func (db *DB) RetentionDue(ctx context.Context, since time.Time) ([]contacts.ProjectPrivacy, error) {
	var rows []privacyRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT project_id, erasure_default, erasure_grace_days, archive_inactive_months,
		purge_archived_months, purge_message_bodies_days, updated_at, retention_run_at FROM privacy_settings
		WHERE (archive_inactive_months > 0 OR purge_archived_months > 0 OR purge_message_bodies_days > 0)
		AND (retention_run_at IS NULL OR retention_run_at <= ?) ORDER BY project_id`), msNotNull(since)); err != nil {
		return nil, fmt.Errorf("projects due for retention: %w", err)
	}
	out := make([]contacts.ProjectPrivacy, len(rows))
	for i, r := range rows {
		out[i] = contacts.ProjectPrivacy{ProjectID: r.ProjectID, Settings: r.toSettings()}
	}
	return out, nil
}

// ClaimRetentionRun records a run unless another was recorded after since.
func (db *DB) ClaimRetentionRun(ctx context.Context, projectID int64, now, since time.Time) (bool, error) {
	won := false
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE privacy_settings SET retention_run_at = ?
			WHERE project_id = ? AND (retention_run_at IS NULL OR retention_run_at <= ?)`), msNotNull(now), projectID, msNotNull(since))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		won = n == 1
		return err
	})
	return won, err
}

// ArchiveInactive archives inactive contacts in batches. Candidates are
// found on a reader; each batch's UPDATE checks inactivity again, so a
// message arriving in between keeps its contact out.
func (db *DB) ArchiveInactive(ctx context.Context, projectID int64, inactiveBefore, at time.Time) (int, error) {
	cut := msNotNull(inactiveBefore)
	total := 0
	for after := int64(0); ctx.Err() == nil; {
		var ids []int64
		if err := db.r.SelectContext(ctx, &ids, db.q(`SELECT c.id FROM contacts c`+db.byRowID()+` WHERE c.project_id = ? AND c.id > ?
			AND `+inactive("c.")+` AND (c.archived_at IS NULL OR c.lead_status <> 'archived' OR NOT (`+quietSinceArchived("c.")+`))
			ORDER BY c.id LIMIT ?`), projectID, after, cut, cut, cut, cut, retentionBatch); err != nil {
			return total, fmt.Errorf("find inactive contacts: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		in, args := idList(projectID, ids)
		// The archive clock restarts for a contact active since it was
		// archived; a staff edit that re-derived the lead status keeps it.
		args = append([]any{msNotNull(at)}, append(args, cut, cut, cut, cut)...)
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, db.q(`UPDATE contacts SET version = version + 1, lead_status = '`+string(contacts.LeadArchived)+`',
				archived_at = CASE WHEN archived_at IS NULL OR NOT (`+quietSinceArchived("")+`) THEN ? ELSE archived_at END
				WHERE project_id = ? AND id IN `+in+` AND `+inactive("")), args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			total += int(n)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("archive contacts: %w", err)
		}
		after = ids[len(ids)-1]
	}
	return total, ctx.Err()
}

// ArchivedBefore lists contacts archived before the time and quiet since.
func (db *DB) ArchivedBefore(ctx context.Context, projectID int64, before time.Time, limit int) ([]int64, error) {
	var ids []int64
	if err := db.r.SelectContext(ctx, &ids, db.q(`SELECT c.id FROM contacts c WHERE c.project_id = ? AND c.archived_at IS NOT NULL
		AND c.archived_at <= ? AND `+quietSinceArchived("c.")+` ORDER BY c.archived_at, c.id LIMIT ?`),
		projectID, msNotNull(before), limit); err != nil {
		return nil, fmt.Errorf("find archived contacts: %w", err)
	}
	return ids, nil
}

// PurgeMessageBodies walks the project's messages in id order from the
// cursor kept in privacy_settings, blanking bodies in batches, and stops at
// the first message too young to purge. Ids grow with arrival, so the walk
// never rereads purged rows and needs no index on creation time (which
// every inbound message would pay for). A message dated more than a day
// ahead of now carries a bogus timestamp; its neighbours in id order are old
// enough, so it is purged with them rather than stopping the walk.
func (db *DB) PurgeMessageBodies(ctx context.Context, projectID int64, before, at time.Time) (int, error) {
	var cursor int64
	if err := db.r.GetContext(ctx, &cursor, db.q(`SELECT COALESCE(MAX(message_purge_cursor), 0) FROM privacy_settings WHERE project_id = ?`), projectID); err != nil {
		return 0, fmt.Errorf("message purge cursor: %w", err)
	}
	cut, future := msNotNull(before), msNotNull(at.Add(24*time.Hour))
	total := 0
	for ctx.Err() == nil {
		var rows []struct {
			ID        int64 `db:"id"`
			CreatedAt int64 `db:"created_at"`
		}
		if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT id, created_at FROM messages`+db.byRowID()+`
			WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?`), projectID, cursor, retentionBatch); err != nil {
			return total, fmt.Errorf("find old messages: %w", err)
		}
		k := 0
		for k < len(rows) && (rows[k].CreatedAt < cut || rows[k].CreatedAt > future) {
			k++
		}
		if k == 0 {
			return total, nil
		}
		ids := make([]int64, k)
		for i := range ids {
			ids[i] = rows[i].ID
		}
		in, args := idList(msNotNull(at), ids)
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, db.q(`UPDATE messages SET text = '', original_text = NULL, attachments = '[]', body_purged_at = ?
				WHERE id IN `+in+` AND (text <> '' OR attachments <> '[]' OR original_text IS NOT NULL)`), args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total += int(n)
			_, err = tx.ExecContext(ctx, db.q(`UPDATE privacy_settings SET message_purge_cursor = ? WHERE project_id = ?`), ids[k-1], projectID)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("purge message bodies: %w", err)
		}
		cursor = ids[k-1]
		if k < len(rows) {
			return total, nil
		}
	}
	return total, ctx.Err()
}
