package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// mergeSnapshot is what undo needs: every contact as it was, and which notes
// and conversations each merged-away contact owned.
type mergeSnapshot struct {
	Primary *contacts.Contact `json:"primary"`
	Others  []mergedContact   `json:"others"`
}

type mergedContact struct {
	Contact       *contacts.Contact `json:"contact"`
	Notes         []int64           `json:"notes"`
	Conversations []int64           `json:"conversations"`
}

// Merge folds contacts into a primary in one transaction.
func (db *DB) Merge(ctx context.Context, projectID int64, req contacts.MergeRequest, actor contacts.Actor, at time.Time, apply func(*contacts.Contact, []*contacts.Contact) error) (*contacts.Contact, *contacts.Merge, error) {
	var primary *contacts.Contact
	m := &contacts.Merge{ProjectID: projectID, PrimaryID: req.PrimaryID, MergedIDs: req.ContactIDs, CreatedAt: at}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if primary, err = db.getContact(ctx, tx, projectID, req.PrimaryID, notErasing+db.dialect.forUpdate()); err != nil {
			return err
		}
		snap := mergeSnapshot{Primary: primary.Clone()}
		others := make([]*contacts.Contact, 0, len(req.ContactIDs))
		for _, id := range req.ContactIDs {
			o, err := db.getContact(ctx, tx, projectID, id, notErasing+db.dialect.forUpdate())
			if err != nil {
				return fmt.Errorf("contact %d: %w", id, err)
			}
			mc := mergedContact{Contact: o.Clone()}
			if err := tx.SelectContext(ctx, &mc.Notes, db.q(`SELECT id FROM notes WHERE contact_id = ? ORDER BY id`), id); err != nil {
				return err
			}
			if err := tx.SelectContext(ctx, &mc.Conversations, db.q(`SELECT id FROM conversations WHERE contact_id = ? ORDER BY id`), id); err != nil {
				return err
			}
			snap.Others = append(snap.Others, mc)
			others = append(others, o)
		}
		if err := apply(primary, others); err != nil {
			return err
		}
		for _, o := range others {
			for _, move := range []string{`UPDATE notes SET contact_id = ? WHERE contact_id = ?`, `UPDATE conversations SET contact_id = ? WHERE contact_id = ?`} {
				if _, err := tx.ExecContext(ctx, db.q(move), primary.ID, o.ID); err != nil {
					return err
				}
			}
			if err := db.deleteContactRow(ctx, tx, o.ID); err != nil {
				return err
			}
		}
		if err := db.saveContact(ctx, tx, primary); err != nil {
			return err
		}
		body, err := json.Marshal(snap)
		if err != nil {
			return err
		}
		ids, _ := json.Marshal(req.ContactIDs)
		if err := tx.GetContext(ctx, &m.ID, db.q(`INSERT INTO merges (project_id, primary_id, merged_ids, snapshot, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), projectID, primary.ID, string(ids), string(body), msNotNull(at)); err != nil {
			return err
		}
		for _, id := range append([]int64{primary.ID}, req.ContactIDs...) {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO merge_members (merge_id, contact_id) VALUES (?, ?)`), m.ID, id); err != nil {
				return err
			}
		}
		audit := contacts.NewAudit(projectID, actor, contacts.AuditContactMerge, primary.ID, snap, primary, at)
		return db.appendAudit(ctx, tx, audit)
	})
	if err != nil {
		return nil, nil, db.duplicate(ctx, primary, err)
	}
	return primary, m, nil
}

// UndoMerge restores a merge's contacts as they were before it.
func (db *DB) UndoMerge(ctx context.Context, projectID, mergeID int64, actor contacts.Actor, at time.Time) ([]*contacts.Contact, error) {
	var restored []*contacts.Contact
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var row struct {
			PrimaryID int64         `db:"primary_id"`
			Snapshot  string        `db:"snapshot"`
			UndoneAt  sql.NullInt64 `db:"undone_at"`
		}
		if err := tx.GetContext(ctx, &row, db.q(`SELECT primary_id, snapshot, undone_at FROM merges WHERE project_id = ? AND id = ?`+db.dialect.forUpdate()), projectID, mergeID); err != nil {
			return db.mapErr(err)
		}
		if row.UndoneAt.Valid {
			return fmt.Errorf("merge %d was already undone: %w", mergeID, contacts.ErrConflict)
		}
		var later int
		if err := tx.GetContext(ctx, &later, db.q(`SELECT COUNT(*) FROM merge_members mm JOIN merges m ON m.id = mm.merge_id
			WHERE m.id > ? AND m.undone_at IS NULL AND mm.contact_id IN (SELECT contact_id FROM merge_members WHERE merge_id = ?)`), mergeID, mergeID); err != nil {
			return err
		}
		if later > 0 {
			return fmt.Errorf("a contact of merge %d took part in a later merge; undo that one first: %w", mergeID, contacts.ErrConflict)
		}
		var snap mergeSnapshot
		if err := json.Unmarshal([]byte(row.Snapshot), &snap); err != nil {
			return fmt.Errorf("decode merge snapshot: %w", err)
		}
		// The primary must still exist: it is restored in place.
		if _, err := db.getContact(ctx, tx, projectID, row.PrimaryID, db.dialect.forUpdate()); err != nil {
			return fmt.Errorf("primary contact %d is gone: %w", row.PrimaryID, contacts.ErrConflict)
		}
		p := snap.Primary
		p.UpdatedAt = at
		if err := db.saveContact(ctx, tx, p); err != nil {
			return err
		}
		restored = append(restored, p)
		for _, o := range snap.Others {
			c := o.Contact
			c.UpdatedAt = at
			if err := db.insertContact(ctx, tx, c, true); err != nil {
				return err
			}
			for q, ids := range map[string][]int64{`UPDATE notes SET contact_id = ? WHERE id IN (`: o.Notes, `UPDATE conversations SET contact_id = ? WHERE id IN (`: o.Conversations} {
				if len(ids) == 0 {
					continue
				}
				args := []any{c.ID}
				for _, id := range ids {
					args = append(args, id)
				}
				if _, err := tx.ExecContext(ctx, db.q(q+"?"+strings.Repeat(", ?", len(ids)-1)+")"), args...); err != nil {
					return err
				}
			}
			restored = append(restored, c)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE merges SET undone_at = ? WHERE id = ?`), msNotNull(at), mergeID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, contacts.NewAudit(projectID, actor, contacts.AuditMergeUndo, p.ID, nil, restored, at))
	})
	if err != nil {
		if _, dup := db.dialect.uniqueViolation(err); dup {
			return nil, fmt.Errorf("a restored value now belongs to another contact: %w", contacts.ErrConflict)
		}
		return nil, err
	}
	return restored, nil
}
