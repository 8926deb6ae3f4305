package sqlstore

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const channelColumns = `id, project_id, type, name, config, public_key, created_at, updated_at`

type channelRow struct {
	ID        int64          `db:"id"`
	ProjectID int64          `db:"project_id"`
	Type      string         `db:"type"`
	Name      string         `db:"name"`
	Config    string         `db:"config"`
	PublicKey sql.NullString `db:"public_key"`
	CreatedAt int64          `db:"created_at"`
	UpdatedAt int64          `db:"updated_at"`
}

func (r channelRow) toChannel() contacts.ChannelConfig {
	return contacts.ChannelConfig{ID: r.ID, ProjectID: r.ProjectID, Type: r.Type, Name: r.Name, Config: []byte(r.Config),
		PublicKey: r.PublicKey.String, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true})}
}

// CreateChannel stores a channel.
func (db *DB) CreateChannel(ctx context.Context, c *contacts.ChannelConfig) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		c.ID, err = db.insertID(ctx, tx, `INSERT INTO channels (project_id, type, name, config, public_key, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ProjectID, c.Type, c.Name, string(c.Config), nullStr(c.PublicKey), msNotNull(c.CreatedAt), msNotNull(c.UpdatedAt))
		return err
	})
}

func (db *DB) oneChannel(ctx context.Context, where string, args ...any) (*contacts.ChannelConfig, error) {
	var r channelRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT `+channelColumns+` FROM channels WHERE `+where), args...); err != nil {
		return nil, db.mapErr(err)
	}
	c := r.toChannel()
	return &c, nil
}

// GetChannel loads a channel of the project.
func (db *DB) GetChannel(ctx context.Context, projectID, id int64) (*contacts.ChannelConfig, error) {
	return db.oneChannel(ctx, `project_id = ? AND id = ?`, projectID, id)
}

// ChannelByPublicKey finds a channel by its embed key.
func (db *DB) ChannelByPublicKey(ctx context.Context, key string) (*contacts.ChannelConfig, error) {
	return db.oneChannel(ctx, `public_key = ?`, key)
}

// ChannelByID finds a channel of any project.
func (db *DB) ChannelByID(ctx context.Context, id int64) (*contacts.ChannelConfig, error) {
	return db.oneChannel(ctx, `id = ?`, id)
}

// ListChannels lists a project's channels in creation order.
func (db *DB) ListChannels(ctx context.Context, projectID int64) ([]contacts.ChannelConfig, error) {
	return db.channels(ctx, `project_id = ?`, projectID)
}

// ChannelsOfType lists every project's channels of a type.
func (db *DB) ChannelsOfType(ctx context.Context, typ string) ([]contacts.ChannelConfig, error) {
	return db.channels(ctx, `type = ?`, typ)
}

func (db *DB) channels(ctx context.Context, where string, arg any) ([]contacts.ChannelConfig, error) {
	var rows []channelRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+channelColumns+` FROM channels WHERE `+where+` ORDER BY id`), arg); err != nil {
		return nil, err
	}
	out := make([]contacts.ChannelConfig, len(rows))
	for i, r := range rows {
		out[i] = r.toChannel()
	}
	return out, nil
}

// UpdateChannel saves a channel's name and config.
func (db *DB) UpdateChannel(ctx context.Context, c *contacts.ChannelConfig) error {
	return db.channelWrite(ctx, `UPDATE channels SET name = ?, config = ?, updated_at = ? WHERE project_id = ? AND id = ?`,
		c.Name, string(c.Config), msNotNull(c.UpdatedAt), c.ProjectID, c.ID)
}

// DeleteChannel removes a channel.
func (db *DB) DeleteChannel(ctx context.Context, projectID, id int64) error {
	return db.channelWrite(ctx, `DELETE FROM channels WHERE project_id = ? AND id = ?`, projectID, id)
}

func (db *DB) channelWrite(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(query), args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return contacts.ErrNotFound
		}
		return nil
	})
}
