package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/migrations"
)

// Migrate applies the embedded migrations not yet recorded, each in its own
// transaction. Safe to run twice and from several processes at once: each
// transaction takes the migration lock (PostgreSQL advisory lock, SQLite's
// immediate write lock) and re-checks the record before applying.
func (db *DB) Migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations.FS, db.dialect.name()+"/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, path := range names {
		body, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		name := path[len(db.dialect.name())+1:]
		if err := db.inTx(ctx, func(tx *sqlx.Tx) error { return db.applyMigration(ctx, tx, name, string(body)) }); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, tx *sqlx.Tx, name, body string) error {
	if err := db.dialect.lockMigrations(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	var n int
	if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, time.Now().UnixMilli())
	return err
}

// Applied lists the recorded migrations in order.
func (db *DB) Applied(ctx context.Context) ([]string, error) {
	var names []string
	err := db.r.SelectContext(ctx, &names, `SELECT name FROM schema_migrations ORDER BY name`)
	return names, err
}
