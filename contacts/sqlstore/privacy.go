package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Contacts in their erasure grace period are hidden. The list filter names
// the few hidden ids (contact_erasures, a small table) instead of testing a
// column of every row, so list, count and search plans keep reading their
// covering indexes. It is guarded by a test both engines evaluate once per
// query, so with no pending erasure it costs next to nothing per row; the
// contact list drops it altogether then (skipErasureFilter), and with some
// pending counts subtract the hidden matches (countVisible) rather than
// test every row.
const (
	// notErasing ends a single-contact SELECT of contacts c.
	notErasing           = ` AND NOT EXISTS (SELECT 1 FROM contact_erasures e WHERE e.contact_id = c.id)`
	getVisibleContactSQL = getContactSQL + notErasing
	// notErasingIn is a list condition on contacts c; it takes the project
	// id twice.
	notErasingIn = `(NOT EXISTS (SELECT 1 FROM contact_erasures WHERE project_id = ?)
	OR c.id NOT IN (SELECT contact_id FROM contact_erasures WHERE project_id = ?))`
)

const (
	privacySettingsSQL = `SELECT erasure_default, erasure_grace_days, archive_inactive_months, purge_archived_months,
	purge_message_bodies_days, updated_at, retention_run_at FROM privacy_settings WHERE project_id = ?`

	upsertPrivacySQL = `INSERT INTO privacy_settings (project_id, erasure_default, erasure_grace_days, archive_inactive_months,
	purge_archived_months, purge_message_bodies_days, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (project_id) DO UPDATE SET erasure_default = excluded.erasure_default,
	erasure_grace_days = excluded.erasure_grace_days, archive_inactive_months = excluded.archive_inactive_months,
	purge_archived_months = excluded.purge_archived_months, purge_message_bodies_days = excluded.purge_message_bodies_days,
	updated_at = excluded.updated_at`

	erasureColumns = `e.contact_id, e.project_id, e.mode, e.requested_at, e.erase_after, e.actor_kind, e.actor_id, e.actor_name,
	c.first_name, c.last_name, c.email, c.phone`
)

type privacyRow struct {
	ProjectID        int64         `db:"project_id"`
	ErasureDefault   string        `db:"erasure_default"`
	ErasureGraceDays int           `db:"erasure_grace_days"`
	ArchiveInactive  int           `db:"archive_inactive_months"`
	PurgeArchived    int           `db:"purge_archived_months"`
	PurgeBodiesDays  int           `db:"purge_message_bodies_days"`
	UpdatedAt        int64         `db:"updated_at"`
	RetentionRunAt   sql.NullInt64 `db:"retention_run_at"`
}

func (r privacyRow) toSettings() contacts.PrivacySettings {
	return contacts.PrivacySettings{
		ErasureDefault: contacts.ErasureMode(r.ErasureDefault), ErasureGraceDays: r.ErasureGraceDays,
		Retention: contacts.RetentionPolicy{ArchiveInactiveMonths: r.ArchiveInactive, PurgeArchivedMonths: r.PurgeArchived,
			PurgeMessageBodiesDays: r.PurgeBodiesDays},
		UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true}), LastRetentionRun: fromMS(r.RetentionRunAt),
	}
}

// PrivacySettings returns a project's settings or the defaults.
func (db *DB) PrivacySettings(ctx context.Context, projectID int64) (*contacts.PrivacySettings, error) {
	return db.privacySettings(ctx, db.r, projectID, "")
}

func (db *DB) privacySettings(ctx context.Context, q sqlx.QueryerContext, projectID int64, suffix string) (*contacts.PrivacySettings, error) {
	var row privacyRow
	err := sqlx.GetContext(ctx, q, &row, db.q(privacySettingsSQL+suffix), projectID)
	if errors.Is(err, sql.ErrNoRows) {
		def := contacts.DefaultPrivacySettings()
		return &def, nil
	}
	if err != nil {
		return nil, err
	}
	set := row.toSettings()
	return &set, nil
}

// UpdatePrivacySettings is the read-modify-write of a project's settings.
func (db *DB) UpdatePrivacySettings(ctx context.Context, projectID int64, actor contacts.Actor, at time.Time, mutate func(*contacts.PrivacySettings) error) (*contacts.PrivacySettings, error) {
	var out *contacts.PrivacySettings
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		set, err := db.privacySettings(ctx, tx, projectID, db.dialect.forUpdate())
		if err != nil {
			return err
		}
		before := *set
		if err := mutate(set); err != nil {
			return err
		}
		set.UpdatedAt = at
		p := set.Retention
		if _, err := tx.ExecContext(ctx, db.q(upsertPrivacySQL), projectID, string(set.ErasureDefault), set.ErasureGraceDays,
			p.ArchiveInactiveMonths, p.PurgeArchivedMonths, p.PurgeMessageBodiesDays, msNotNull(at)); err != nil {
			return err
		}
		out = set
		return db.appendAudit(ctx, tx, contacts.NewAudit(projectID, actor, contacts.AuditPrivacyUpdate, 0, before, set, at))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type erasureRow struct {
	ContactID   int64          `db:"contact_id"`
	ProjectID   int64          `db:"project_id"`
	Mode        string         `db:"mode"`
	RequestedAt int64          `db:"requested_at"`
	EraseAfter  int64          `db:"erase_after"`
	ActorKind   string         `db:"actor_kind"`
	ActorID     int64          `db:"actor_id"`
	ActorName   string         `db:"actor_name"`
	FirstName   string         `db:"first_name"`
	LastName    string         `db:"last_name"`
	Email       sql.NullString `db:"email"`
	Phone       sql.NullString `db:"phone"`
}

func (r erasureRow) toErasure() contacts.Erasure {
	name := (&contacts.Contact{FirstName: r.FirstName, LastName: r.LastName, Email: r.Email.String, Phone: r.Phone.String}).Name()
	return contacts.Erasure{ProjectID: r.ProjectID, ContactID: r.ContactID, Name: name, Mode: contacts.ErasureMode(r.Mode),
		RequestedAt: fromMS(sql.NullInt64{Int64: r.RequestedAt, Valid: true}), EraseAfter: fromMS(sql.NullInt64{Int64: r.EraseAfter, Valid: true}),
		ActorKind: r.ActorKind, ActorID: r.ActorID, ActorName: r.ActorName}
}

// RequestErasure hides a contact for its grace period.
func (db *DB) RequestErasure(ctx context.Context, e *contacts.Erasure, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		// Inserting only a visible contact of the project makes a second
		// request for a hidden one, like one for a missing one, a 404.
		res, err := tx.ExecContext(ctx, db.q(`INSERT INTO contact_erasures (contact_id, project_id, mode, requested_at, erase_after,
			actor_kind, actor_id, actor_name) SELECT c.id, c.project_id, ?, ?, ?, ?, ?, ? FROM contacts c
			WHERE c.project_id = ? AND c.id = ?`+notErasing),
			string(e.Mode), msNotNull(e.RequestedAt), msNotNull(e.EraseAfter), e.ActorKind, e.ActorID, e.ActorName, e.ProjectID, e.ContactID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return contacts.ErrNotFound
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// CancelErasure shows a hidden contact again.
func (db *DB) CancelErasure(ctx context.Context, projectID, contactID int64, at time.Time, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var after int64
		err := tx.GetContext(ctx, &after, db.q(`SELECT erase_after FROM contact_erasures WHERE project_id = ? AND contact_id = ?`+db.dialect.forUpdate()), projectID, contactID)
		if err != nil {
			return db.mapErr(err)
		}
		if after <= msNotNull(at) {
			return fmt.Errorf("the grace period of contact %d ended; it is being erased: %w", contactID, contacts.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM contact_erasures WHERE contact_id = ?`), contactID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// ListErasures lists a project's pending erasures, soonest first.
func (db *DB) ListErasures(ctx context.Context, projectID int64) ([]contacts.Erasure, error) {
	return db.erasures(ctx, `WHERE e.project_id = ? ORDER BY e.erase_after, e.contact_id`, projectID)
}

// DueErasures lists pending erasures whose grace period ended by now.
func (db *DB) DueErasures(ctx context.Context, now time.Time, limit int) ([]contacts.Erasure, error) {
	return db.erasures(ctx, `WHERE e.erase_after <= ? ORDER BY e.erase_after, e.contact_id LIMIT ?`, msNotNull(now), limit)
}

func (db *DB) erasures(ctx context.Context, where string, args ...any) ([]contacts.Erasure, error) {
	var rows []erasureRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+erasureColumns+` FROM contact_erasures e
		JOIN contacts c ON c.id = e.contact_id `+where), args...); err != nil {
		return nil, fmt.Errorf("list erasures: %w", err)
	}
	out := make([]contacts.Erasure, len(rows))
	for i, r := range rows {
		out[i] = r.toErasure()
	}
	return out, nil
}

// ErasableContact loads a contact, hidden or not.
func (db *DB) ErasableContact(ctx context.Context, projectID, id int64) (*contacts.Contact, error) {
	return db.getContact(db.dialect.stmtContext(ctx), db.r, projectID, id, "")
}

// skipErasureFilter drops the erasure filter from a list when the project
// has no contact in its grace period, the usual case: one probe of a small
// index, and the list runs exactly the queries it ran before erasures could
// be pending.
func (db *DB) skipErasureFilter(ctx context.Context, projectID int64, src *listSource) error {
	st, err := db.stmt(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM contact_erasures WHERE project_id = ? LIMIT 1) x`)
	if err != nil {
		return err
	}
	var n int
	if err := st.GetContext(ctx, &n, projectID); err != nil {
		return fmt.Errorf("pending erasures: %w", err)
	}
	if n == 0 {
		src.where, src.args, src.noneHidden = src.plainWhere, src.plainArgs, true
	}
	return nil
}

// countVisible counts a list's matches that are not hidden, and how many
// hidden ones it left out (-1: not counted apart). Outside search it counts
// without the erasure filter and subtracts the hidden matches, reached
// through the few hidden ids, so the count stays a walk of a covering index
// with no test per row.
func (db *DB) countVisible(ctx context.Context, projectID int64, src listSource) (total, hidden int, err error) {
	if src.searched {
		err := db.r.GetContext(ctx, &total, db.q(`SELECT COUNT(*) FROM `+src.from+` WHERE `+src.where), src.args...)
		return total, -1, err
	}
	if err := db.r.GetContext(ctx, &total, db.q(`SELECT COUNT(*) FROM `+src.from+` WHERE `+src.plainWhere), src.plainArgs...); err != nil {
		return 0, 0, err
	}
	if src.noneHidden {
		return total, 0, nil
	}
	join := "JOIN"
	if db.dialect.name() == "sqlite" {
		join = "CROSS JOIN" // the hidden ids drive the join
	}
	if err := db.r.GetContext(ctx, &hidden, db.q(`SELECT COUNT(*) FROM contact_erasures h `+join+` contacts c ON c.id = h.contact_id
		WHERE h.project_id = ? AND `+src.plainWhere), append([]any{projectID}, src.plainArgs...)...); err != nil {
		return 0, 0, err
	}
	return total - hidden, hidden, nil
}

// mergedInto lists the contact and every contact merged into it, through
// merges not undone (the same person's earlier records).
func (db *DB) mergedInto(ctx context.Context, tx *sqlx.Tx, id int64) ([]int64, error) {
	ids := []int64{id}
	seen := map[int64]bool{id: true}
	for i := 0; i < len(ids); i++ {
		var members []int64
		if err := tx.SelectContext(ctx, &members, db.q(`SELECT mm.contact_id FROM merges m JOIN merge_members mm ON mm.merge_id = m.id
			WHERE m.primary_id = ? AND m.undone_at IS NULL`), ids[i]); err != nil {
			return nil, err
		}
		for _, m := range members {
			if !seen[m] {
				seen[m] = true
				ids = append(ids, m)
			}
		}
	}
	return ids, nil
}

// scrubErased clears what an erased contact leaves beyond its own rows: the
// before/after snapshots of its audit entries and of the contacts merged
// into it (action, actor and time stay), the merge and merge-undo snapshots
// of merges it took part in, and those merges' undo records.
func (db *DB) scrubErased(ctx context.Context, tx *sqlx.Tx, projectID, id int64) error {
	ids, err := db.mergedInto(ctx, tx, id)
	if err != nil {
		return err
	}
	var merges []struct {
		ID        int64 `db:"id"`
		PrimaryID int64 `db:"primary_id"`
	}
	in, args := idList(projectID, ids)
	if err := tx.SelectContext(ctx, &merges, db.q(`SELECT DISTINCT m.id, m.primary_id FROM merges m
		JOIN merge_members mm ON mm.merge_id = m.id WHERE m.project_id = ? AND mm.contact_id IN `+in), args...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE audit_log SET before = NULL, after = NULL WHERE project_id = ?
		AND contact_id IN `+in+` AND (before IS NOT NULL OR after IS NOT NULL)`), args...); err != nil {
		return fmt.Errorf("scrub audit: %w", err)
	}
	if len(merges) == 0 {
		return nil
	}
	primaries, mergeIDs := make([]int64, len(merges)), make([]int64, len(merges))
	for i, m := range merges {
		primaries[i], mergeIDs[i] = m.PrimaryID, m.ID
	}
	in, args = idList(projectID, primaries)
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE audit_log SET before = NULL, after = NULL WHERE project_id = ?
		AND contact_id IN `+in+` AND action IN ('`+contacts.AuditContactMerge+`', '`+contacts.AuditMergeUndo+`')
		AND (before IS NOT NULL OR after IS NOT NULL)`), args...); err != nil {
		return fmt.Errorf("scrub merge audit: %w", err)
	}
	in, args = idList(projectID, mergeIDs)
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM merges WHERE project_id = ? AND id IN `+in), args...); err != nil {
		return fmt.Errorf("drop merge snapshots: %w", err)
	}
	return nil
}

// idList returns "(?, ?, ...)" for ids and the arguments, first the given
// leading one.
func idList(first int64, ids []int64) (string, []any) {
	args := make([]any, 0, len(ids)+1)
	args = append(args, first)
	for _, id := range ids {
		args = append(args, id)
	}
	return "(?" + strings.Repeat(", ?", len(ids)-1) + ")", args
}
