package sqlstore

import (
	"context"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *contacts.Session) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO sessions (hash, user_id, project_id, csrf, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), s.Hash, s.UserID, s.ProjectID, s.CSRF, msNotNull(s.CreatedAt), msNotNull(s.LastSeenAt), msNotNull(s.ExpiresAt))
	return err
}

// SessionByHash joins the user and the membership, so a user removed from
// the project loses the session with it.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*contacts.Session, error) {
	var r struct {
		Hash       string `db:"hash"`
		UserID     int64  `db:"user_id"`
		Email      string `db:"email"`
		ProjectID  int64  `db:"project_id"`
		Role       string `db:"role"`
		CSRF       string `db:"csrf"`
		CreatedAt  int64  `db:"created_at"`
		LastSeenAt int64  `db:"last_seen_at"`
		ExpiresAt  int64  `db:"expires_at"`
	}
	err := db.r.GetContext(ctx, &r, db.q(`SELECT s.hash, s.user_id, u.email, s.project_id, m.role, s.csrf, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		JOIN memberships m ON m.user_id = s.user_id AND m.project_id = s.project_id
		WHERE s.hash = ?`), hash)
	if err != nil {
		return nil, db.mapErr(err)
	}
	return &contacts.Session{Hash: r.Hash, UserID: r.UserID, Email: r.Email, ProjectID: r.ProjectID, Role: contacts.Role(r.Role),
		CSRF: r.CSRF, CreatedAt: time.UnixMilli(r.CreatedAt), LastSeenAt: time.UnixMilli(r.LastSeenAt), ExpiresAt: time.UnixMilli(r.ExpiresAt)}, nil
}

// TouchSession renews a session.
func (db *DB) TouchSession(ctx context.Context, hash string, seen, expires time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE hash = ?`), msNotNull(seen), msNotNull(expires), hash)
	return err
}

// SetSessionProject moves a session to another project.
func (db *DB) SetSessionProject(ctx context.Context, hash string, projectID int64) error {
	return db.execOne(ctx, db.q(`UPDATE sessions SET project_id = ? WHERE hash = ?`), projectID, hash)
}

// DeleteSession ends a session; ErrNotFound when there is none.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.execOne(ctx, db.q(`DELETE FROM sessions WHERE hash = ?`), hash)
}

// DeleteUserSessions ends the user's sessions but one.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ? AND hash <> ?`), userID, keepHash)
	return err
}

// PurgeExpiredSessions deletes sessions expired before the time.
func (db *DB) PurgeExpiredSessions(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE expires_at <= ?`), msNotNull(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// execOne runs a statement that must change one row; ErrNotFound otherwise.
func (db *DB) execOne(ctx context.Context, query string, args ...any) error {
	res, err := db.w.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return contacts.ErrNotFound
	}
	return nil
}
