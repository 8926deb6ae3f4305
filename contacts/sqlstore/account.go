package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

func (db *DB) conflictOr(err error) error {
	if _, dup := db.dialect.uniqueViolation(err); dup {
		return contacts.ErrConflict
	}
	return err
}

// CreateProject inserts a project; a taken name is ErrConflict.
func (db *DB) CreateProject(ctx context.Context, p *contacts.Project) error {
	err := db.w.GetContext(ctx, &p.ID, db.q(`INSERT INTO projects (name, created_at) VALUES (?, ?) RETURNING id`), p.Name, msNotNull(p.CreatedAt))
	return db.conflictOr(err)
}

type projectRow struct {
	ID        int64  `db:"id"`
	Name      string `db:"name"`
	CreatedAt int64  `db:"created_at"`
}

func (r projectRow) toProject() *contacts.Project {
	return &contacts.Project{ID: r.ID, Name: r.Name, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}
}

// ProjectByName finds a project by its exact name.
func (db *DB) ProjectByName(ctx context.Context, name string) (*contacts.Project, error) {
	var r projectRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT id, name, created_at FROM projects WHERE name = ?`), name); err != nil {
		return nil, db.mapErr(err)
	}
	return r.toProject(), nil
}

// ProjectByID finds a project.
func (db *DB) ProjectByID(ctx context.Context, id int64) (*contacts.Project, error) {
	var r projectRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT id, name, created_at FROM projects WHERE id = ?`), id); err != nil {
		return nil, db.mapErr(err)
	}
	return r.toProject(), nil
}

// ListProjects lists every project.
func (db *DB) ListProjects(ctx context.Context) ([]contacts.Project, error) {
	var rows []projectRow
	if err := db.r.SelectContext(ctx, &rows, `SELECT id, name, created_at FROM projects ORDER BY id`); err != nil {
		return nil, err
	}
	out := make([]contacts.Project, len(rows))
	for i, r := range rows {
		out[i] = *r.toProject()
	}
	return out, nil
}

// CreateUser inserts a user; a taken email is ErrConflict.
func (db *DB) CreateUser(ctx context.Context, u *contacts.User) error {
	err := db.w.GetContext(ctx, &u.ID, db.q(`INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?) RETURNING id`),
		u.Email, u.PasswordHash, msNotNull(u.CreatedAt))
	return db.conflictOr(err)
}

// UserByEmail finds a user.
func (db *DB) UserByEmail(ctx context.Context, email string) (*contacts.User, error) {
	var r struct {
		ID           int64  `db:"id"`
		Email        string `db:"email"`
		PasswordHash string `db:"password_hash"`
		CreatedAt    int64  `db:"created_at"`
	}
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT id, email, password_hash, created_at FROM users WHERE email = ?`), email); err != nil {
		return nil, db.mapErr(err)
	}
	return &contacts.User{ID: r.ID, Email: r.Email, PasswordHash: r.PasswordHash, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}, nil
}

// SetPasswordHash replaces a user's password hash.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return contacts.ErrNotFound
	}
	return nil
}

// SetMembership adds or changes a role.
func (db *DB) SetMembership(ctx context.Context, m contacts.Membership) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO memberships (project_id, user_id, role) VALUES (?, ?, ?)
		ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role`), m.ProjectID, m.UserID, string(m.Role))
	return err
}

// Memberships lists a user's roles.
func (db *DB) Memberships(ctx context.Context, userID int64) ([]contacts.Membership, error) {
	var rows []struct {
		ProjectID int64  `db:"project_id"`
		UserID    int64  `db:"user_id"`
		Role      string `db:"role"`
	}
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT project_id, user_id, role FROM memberships WHERE user_id = ? ORDER BY project_id`), userID); err != nil {
		return nil, err
	}
	out := make([]contacts.Membership, len(rows))
	for i, r := range rows {
		out[i] = contacts.Membership{ProjectID: r.ProjectID, UserID: r.UserID, Role: contacts.Role(r.Role)}
	}
	return out, nil
}

// CreateAPIKey stores a key's hash.
func (db *DB) CreateAPIKey(ctx context.Context, k *contacts.APIKey) error {
	return db.createAPIKey(ctx, db.w, k)
}

func (db *DB) createAPIKey(ctx context.Context, q sqlx.QueryerContext, k *contacts.APIKey) error {
	return sqlx.GetContext(ctx, q, &k.ID, db.q(`INSERT INTO api_keys (project_id, name, prefix, hash, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), k.ProjectID, k.Name, k.Prefix, k.Hash, msNotNull(k.CreatedAt))
}

type apiKeyRow struct {
	ID         int64         `db:"id"`
	ProjectID  int64         `db:"project_id"`
	Name       string        `db:"name"`
	Prefix     string        `db:"prefix"`
	Hash       string        `db:"hash"`
	CreatedAt  int64         `db:"created_at"`
	LastUsedAt sql.NullInt64 `db:"last_used_at"`
	RevokedAt  sql.NullInt64 `db:"revoked_at"`
}

func (r apiKeyRow) toKey() contacts.APIKey {
	return contacts.APIKey{ID: r.ID, ProjectID: r.ProjectID, Name: r.Name, Prefix: r.Prefix, Hash: r.Hash,
		CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}), LastUsedAt: fromMS(r.LastUsedAt), RevokedAt: fromMS(r.RevokedAt)}
}

const (
	apiKeyColumns   = `id, project_id, name, prefix, hash, created_at, last_used_at, revoked_at`
	apiKeyByHashSQL = `SELECT ` + apiKeyColumns + ` FROM api_keys WHERE hash = ? AND revoked_at IS NULL`
)

// ListAPIKeys lists keys, revoked ones included.
func (db *DB) ListAPIKeys(ctx context.Context, projectID int64) ([]contacts.APIKey, error) {
	var rows []apiKeyRow
	err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+apiKeyColumns+` FROM api_keys WHERE ? = 0 OR project_id = ? ORDER BY id`), projectID, projectID)
	if err != nil {
		return nil, err
	}
	out := make([]contacts.APIKey, len(rows))
	for i, r := range rows {
		out[i] = r.toKey()
	}
	return out, nil
}

// RevokeAPIKey revokes an active key.
func (db *DB) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), msNotNull(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return contacts.ErrNotFound
	}
	return nil
}

// APIKeyByHash finds an active key.
func (db *DB) APIKeyByHash(ctx context.Context, hash string) (*contacts.APIKey, error) {
	var r apiKeyRow
	ctx = db.dialect.stmtContext(ctx)
	st, err := db.stmt(ctx, apiKeyByHashSQL)
	if err != nil {
		return nil, err
	}
	if err := st.GetContext(ctx, &r, hash); err != nil {
		return nil, db.mapErr(err)
	}
	k := r.toKey()
	return &k, nil
}

// TouchAPIKey records a key's use.
func (db *DB) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`), msNotNull(at), id)
	return err
}

// Bootstrap creates the first project, user and key when there is no project.
func (db *DB) Bootstrap(ctx context.Context, p *contacts.Project, u *contacts.User, k *contacts.APIKey) (bool, error) {
	did := false
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if db.dialect.name() == "postgres" {
			// Two processes starting on an empty database: one bootstraps.
			// (On SQLite the immediate transaction already excludes the other.)
			if _, err := tx.ExecContext(ctx, `LOCK TABLE projects IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM projects`); err != nil || n > 0 {
			return err
		}
		if err := tx.GetContext(ctx, &p.ID, db.q(`INSERT INTO projects (name, created_at) VALUES (?, ?) RETURNING id`), p.Name, msNotNull(p.CreatedAt)); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &u.ID, db.q(`INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash RETURNING id`), u.Email, u.PasswordHash, msNotNull(u.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO memberships (project_id, user_id, role) VALUES (?, ?, ?)`), p.ID, u.ID, string(contacts.RoleOwner)); err != nil {
			return err
		}
		k.ProjectID = p.ID
		did = true
		return db.createAPIKey(ctx, tx, k)
	})
	return did, err
}
