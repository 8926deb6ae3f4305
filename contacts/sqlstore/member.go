package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const (
	listMembersSQL = `SELECT u.id AS user_id, u.email, m.role, u.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.project_id = ? ORDER BY u.email`
	// Owners are locked first by every change, so two owners demoting each
	// other at once queue up and the second sees one owner left.
	lockOwnersSQL   = `SELECT user_id FROM memberships WHERE project_id = ? AND role = 'owner'`
	memberSQL       = `SELECT m.user_id, u.email, m.role, u.created_at FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.project_id = ? AND m.user_id = ?`
	setMemberRole   = `UPDATE memberships SET role = ? WHERE project_id = ? AND user_id = ?`
	deleteMemberSQL = `DELETE FROM memberships WHERE project_id = ? AND user_id = ?`
)

type memberRow struct {
	UserID    int64  `db:"user_id"`
	Email     string `db:"email"`
	Role      string `db:"role"`
	CreatedAt int64  `db:"created_at"`
}

func (r memberRow) toMember() contacts.Member {
	return contacts.Member{UserID: r.UserID, Email: r.Email, Role: contacts.Role(r.Role),
		CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}
}

// ListMembers lists a project's members by email.
func (db *DB) ListMembers(ctx context.Context, projectID int64) ([]contacts.Member, error) {
	var rows []memberRow
	if err := db.r.SelectContext(ctx, &rows, db.q(listMembersSQL), projectID); err != nil {
		return nil, err
	}
	out := make([]contacts.Member, len(rows))
	for i, r := range rows {
		out[i] = r.toMember()
	}
	return out, nil
}

// memberChange loads a member for a change that must leave the project an
// owner: the owners are locked (PostgreSQL; SQLite's immediate transaction
// excludes other writers already), and unless the member stays an owner,
// the last owner is refused.
func (db *DB) memberChange(ctx context.Context, tx *sqlx.Tx, projectID, userID int64, staysOwner bool) (contacts.Member, error) {
	var owners []int64
	if err := tx.SelectContext(ctx, &owners, db.q(lockOwnersSQL+db.dialect.forUpdate()), projectID); err != nil {
		return contacts.Member{}, err
	}
	var r memberRow
	if err := tx.GetContext(ctx, &r, db.q(memberSQL), projectID, userID); err != nil {
		return contacts.Member{}, db.mapErr(err)
	}
	m := r.toMember()
	if m.Role == contacts.RoleOwner && !staysOwner && len(owners) <= 1 {
		return m, contacts.ErrLastOwner
	}
	return m, nil
}

// ChangeMemberRole changes a member's role unless it leaves no owner.
func (db *DB) ChangeMemberRole(ctx context.Context, projectID, userID int64, role contacts.Role, audit func(contacts.Member) contacts.AuditEntry) (*contacts.Member, error) {
	var out contacts.Member
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := db.memberChange(ctx, tx, projectID, userID, role == contacts.RoleOwner)
		if err != nil {
			return err
		}
		out = before
		if before.Role == role {
			return nil // nothing changes, nothing to audit
		}
		if _, err := tx.ExecContext(ctx, db.q(setMemberRole), string(role), projectID, userID); err != nil {
			return err
		}
		out.Role = role
		return db.appendAudit(ctx, tx, audit(before))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveMember deletes a membership unless it is the last owner's.
func (db *DB) RemoveMember(ctx context.Context, projectID, userID int64, audit func(contacts.Member) contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := db.memberChange(ctx, tx, projectID, userID, false)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(deleteMemberSQL), projectID, userID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit(before))
	})
}
