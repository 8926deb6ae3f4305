package sqlstore

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// dialect holds what SQLite and PostgreSQL do differently.
type dialect interface {
	name() string
	rebind(query string) string
	// forUpdate is appended to a SELECT that a transaction will write back.
	forUpdate() string
	// uniqueViolation returns the violated index name (or the SQLite message
	// naming the columns) when err is a unique violation.
	uniqueViolation(err error) (string, bool)
	// searchColumn reports that the search text is a column of the row
	// (PostgreSQL); otherwise insertSearchSQL and insertSearchArgs store it in
	// the search index after the row is written.
	searchColumn() bool
	insertSearchSQL() string
	insertSearchArgs(id int64, text string) []any
	// unindexSearch drops a contact from the search index.
	unindexSearch(ctx context.Context, tx *sqlx.Tx, id int64) error
	// searchFrom returns the FROM source and WHERE condition (either may be
	// the plain default) matching every term as a substring; terms have at
	// least 3 characters (trigram-indexed). driven reports that the source
	// starts from the search index, so counting its rows costs one lookup per
	// match rather than a scan.
	// narrow says the query needs no column beyond project and created_at,
	// so the join may use a covering index instead of the table.
	searchFrom(terms []string, narrow bool) (from, cond string, args []any, driven bool)
	// stmtContext returns the context statements run under.
	stmtContext(ctx context.Context) context.Context
	// skipLocked ends a SELECT that claims one row among competing workers.
	skipLocked() string
	// listFrom is the FROM of a filtered list sorted by creation whose
	// filters the list index covers.
	listFrom() string
	// lockMigrations serialises migrators across processes inside tx.
	lockMigrations(ctx context.Context, tx *sqlx.Tx) error
}

type sqlite struct{}

// stmtContext drops cancellation for SQLite: go-sqlite3 starts a goroutine
// per statement to watch a cancellable context, which cost a third of a
// write's time under load. SQLite statements here are short and bounded by
// the busy timeout; a write half-cancelled would only be rolled back anyway.
func (sqlite) stmtContext(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

func (sqlite) name() string                                   { return "sqlite" }
func (sqlite) rebind(q string) string                         { return q }
func (sqlite) forUpdate() string                              { return "" }
func (sqlite) lockMigrations(context.Context, *sqlx.Tx) error { return nil } // BEGIN IMMEDIATE already serialises

func (sqlite) uniqueViolation(err error) (string, bool) {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return se.Error(), true
	}
	return "", false
}

func (sqlite) searchColumn() bool { return false }
func (sqlite) skipLocked() string { return "" }

// SQLite's planner prefers a selective index plus row lookups (seconds at a
// million rows) to walking the covering list index (tens of milliseconds).
func (sqlite) listFrom() string { return "contacts c INDEXED BY contacts_list_idx" }

func (sqlite) insertSearchSQL() string                      { return `INSERT INTO contacts_fts (rowid, text) VALUES (?, ?)` }
func (sqlite) insertSearchArgs(id int64, text string) []any { return []any{id, text} }

func (sqlite) unindexSearch(ctx context.Context, tx *sqlx.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM contacts_fts WHERE rowid = ?`, id)
	return err
}

// The FTS matches drive the join (CROSS JOIN fixes the order): left to
// itself the planner walks a contacts index and probes the matches, which
// scans a million rows when the term is rare.
// With narrow, each match is checked on the small (id, project_id,
// created_at) index rather than the wide row: 20k matches counted and sorted
// in ~20 ms instead of ~110 ms with a cold page cache.
func (sqlite) searchFrom(long []string, narrow bool) (string, string, []any, bool) {
	quoted := make([]string, len(long))
	for i, t := range long {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	join := "contacts c"
	if narrow {
		join = "contacts c INDEXED BY contacts_search_idx"
	}
	return `(SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?) m CROSS JOIN ` + join + ` ON c.id = m.id`,
		"", []any{strings.Join(quoted, " AND ")}, true
}

type postgres struct{}

var rebindCache sync.Map

func (postgres) name() string { return "postgres" }
func (postgres) rebind(q string) string {
	if v, ok := rebindCache.Load(q); ok {
		return v.(string)
	}
	r := sqlx.Rebind(sqlx.DOLLAR, q)
	rebindCache.Store(q, r)
	return r
}
func (postgres) forUpdate() string { return " FOR UPDATE" }

func (postgres) stmtContext(ctx context.Context) context.Context { return ctx }

func (postgres) lockMigrations(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7461626173)`)
	return err
}

func (postgres) uniqueViolation(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

func (postgres) skipLocked() string                   { return " FOR UPDATE SKIP LOCKED" }
func (postgres) listFrom() string                     { return "contacts c" }
func (postgres) searchColumn() bool                   { return true }
func (postgres) insertSearchSQL() string              { return "" }
func (postgres) insertSearchArgs(int64, string) []any { return nil }

func (postgres) unindexSearch(context.Context, *sqlx.Tx, int64) error { return nil }

func (postgres) searchFrom(long []string, _ bool) (string, string, []any, bool) {
	conds := make([]string, len(long))
	args := make([]any, len(long))
	for i, t := range long {
		conds[i] = `c.search_text LIKE ?`
		args[i] = "%" + escapeLike(t) + "%"
	}
	return "contacts c", strings.Join(conds, " AND "), args, false
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// prefixEnd returns the smallest string greater than every string with
// prefix p, for index range scans.
func prefixEnd(p string) string {
	r := []rune(p)
	r[len(r)-1]++
	return string(r)
}
