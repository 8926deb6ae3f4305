// Package sqlstore is the contact engine's store on SQLite and PostgreSQL:
// the only package with SQL. Queries are written once with ? placeholders in
// the subset both dialects share and rebound per driver; the few places where
// the dialects differ live in dialect.go.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Options tune the store.
type Options struct {
	// ReadConns bounds the SQLite reader pool (default 2 x GOMAXPROCS, at least 4).
	ReadConns int
	// CacheMiB is SQLite's page cache for the writer connection; each reader
	// gets a quarter of it. Default 32: with four readers SQLite then holds
	// at most 64 MiB, which keeps serve under 150 MiB at a million contacts.
	CacheMiB int
}

// DB implements contacts.Store.
type DB struct {
	w, r       *sqlx.DB // writer and reader pools; the same pool on PostgreSQL
	dialect    dialect
	stmts      sync.Map // query -> *sqlx.Stmt on the reader pool
	bulk       bulkState
	batch      *batcher      // SQLite only: groups concurrent small writes into one commit
	pages      pageCache     // totals and seek anchors of large list results
	txStmts    sync.Map      // *sqlx.Tx -> map[string]*sqlx.Stmt, see prep
	ckpt       *checkpointer // SQLite only: checkpoints the WAL off the writer
	senders    senderCache   // SQLite only: what recent senders' messages left, see recordKnownFast
	sqliteBase string        // SQLite: the DSN without per-pool settings
}

var _ contacts.Store = (*DB)(nil)

// Open connects to dsn, migrates the schema and returns the store. A plain
// path or sqlite://path means SQLite, postgres:// or postgresql:// PostgreSQL.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db, err := open(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if IsPostgres(dsn) {
		pg, err := sqlx.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pg.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pg.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
		pg.SetConnMaxIdleTime(5 * time.Minute)
		db := &DB{w: pg, r: pg, dialect: postgres{}}
		if err := db.Ping(ctx); err != nil {
			pg.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
		return db, nil
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"), opts)
}

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if opts.CacheMiB <= 0 {
		opts.CacheMiB = 32
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
	// One writer connection with immediate transactions: writers queue in Go
	// instead of failing with SQLITE_BUSY; readers never block on it (WAL).
	w, err := sqlx.Open(sqliteDriver, base+fmt.Sprintf("&_txlock=immediate&_cache_size=-%d", opts.CacheMiB*1024))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	if err := checkFTS5(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sqlx.Open(sqliteDriver, base+fmt.Sprintf("&_txlock=deferred&_query_only=true&_cache_size=-%d", max(2, opts.CacheMiB/4)*1024))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(opts.ReadConns)
	r.SetMaxIdleConns(opts.ReadConns)
	r.SetConnMaxIdleTime(0)
	db := &DB{w: w, r: r, dialect: sqlite{}, sqliteBase: base}
	if err := db.startCheckpointer(base); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	db.startBatcher()
	return db, nil
}

// sqliteDriver is mattn's driver with the pragmas its DSN cannot carry:
// leave WAL checkpoints to the checkpointer (checkpoint.go), with a backstop
// far above SQLite's default of 1,000 pages, and cap the WAL file after.
const sqliteDriver = "sqlite3_switchboard"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(`PRAGMA wal_autocheckpoint = `+strconv.Itoa(backstopAutocheckpoint)+`; PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY`, nil)
		return err
	}})
}

// ErrNoFTS5 is returned when the binary was built without FTS5.
var ErrNoFTS5 = errors.New("this binary's SQLite lacks FTS5, which contact search needs: " +
	"build with the sqlite_fts5 tag (go build -tags sqlite_fts5, as `make build` and `make test` do)")

func checkFTS5(ctx context.Context, db *sqlx.DB) error {
	var on int
	if err := db.GetContext(ctx, &on, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`); err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	if on != 1 {
		return ErrNoFTS5
	}
	return nil
}

// stmt returns a statement on the reader pool prepared once per query
// (database/sql re-prepares it per connection as needed).
func (db *DB) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sqlx.Stmt), nil
	}
	s, err := db.r.PreparexContext(ctx, db.q(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sqlx.Stmt), nil
	}
	return s, nil
}

// Close closes both pools; SQLite checkpoints its WAL on the last close.
func (db *DB) Close() error {
	db.stopBatcher()
	ckptErr := db.ckpt.close()
	db.bulk.leave(db)
	db.stmts.Range(func(_, s any) bool {
		s.(*sqlx.Stmt).Close()
		return true
	})
	err := errors.Join(ckptErr, db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.r.PingContext(ctx)
}

// SideDB returns a connection pool for a library that keeps its own tables
// in the project's database (whatsmeow's device store), with the dialect
// name it expects. On SQLite that is a separate pool on the same file, so
// its transactions never wait behind ours in Go; on PostgreSQL it is the
// shared pool. Close the pool only on SQLite (closeIt).
func (db *DB) SideDB() (pool *sql.DB, dialect string, closeIt bool, err error) {
	if db.sqliteBase == "" {
		return db.w.DB, "postgres", false, nil
	}
	pool, err = sql.Open(sqliteDriver, db.sqliteBase+"&_txlock=immediate")
	if err != nil {
		return nil, "", false, err
	}
	pool.SetMaxOpenConns(1) // one writer, as for ours
	return pool, "sqlite3", true, nil
}

// Optimize refreshes the query planner's statistics where they are stale
// (SQLite's PRAGMA optimize; PostgreSQL's autovacuum does this itself). Cheap
// when nothing changed; serve runs it periodically.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	_, err := db.w.ExecContext(ctx, `PRAGMA optimize`)
	return err
}

// Dialect names the database kind, "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// inTx runs fn in a write transaction, rolling back on error or panic.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	ctx = db.dialect.stmtContext(ctx)
	tx, err := db.w.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer db.txStmts.Delete(tx) // its statements close with it
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", db.mapErr(err))
	}
	db.pages.wrote()
	db.ckpt.wrote()
	return nil
}

// q rebinds a ?-query for the dialect. Queries are constants, so the result
// is cached.
func (db *DB) q(query string) string { return db.dialect.rebind(query) }

func (db *DB) mapErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return contacts.ErrNotFound
	}
	return err
}

// ms converts a time to the stored Unix milliseconds; zero stays NULL.
func ms(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func msNotNull(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// prep returns query prepared in tx, once per transaction: a grouped
// SQLite transaction runs the same statements for hundreds of writes, and
// parsing them each time was a fifth of the writer's time.
func (db *DB) prep(ctx context.Context, tx *sqlx.Tx, query string) (*sqlx.Stmt, error) {
	v, _ := db.txStmts.LoadOrStore(tx, map[string]*sqlx.Stmt{})
	m := v.(map[string]*sqlx.Stmt) // one transaction is used by one goroutine at a time
	if st, ok := m[query]; ok {
		return st, nil
	}
	st, err := tx.PreparexContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	m[query] = st
	return st, nil
}

// prepareInsert prepares an INSERT whose new id execInsert returns. SQLite
// reads it from the connection (RETURNING costs a query round trip there,
// measured 4x slower in bulk); PostgreSQL has no last-insert id and RETURNs it.
func (db *DB) prepareInsert(ctx context.Context, tx *sqlx.Tx, query string) (*sqlx.Stmt, error) {
	if db.dialect.name() == "postgres" {
		query += " RETURNING id"
	}
	return tx.PreparexContext(ctx, db.q(query))
}

func (db *DB) execInsert(ctx context.Context, st *sqlx.Stmt, args []any) (int64, error) {
	if db.dialect.name() == "postgres" {
		var id int64
		err := st.QueryRowxContext(ctx, args...).Scan(&id)
		return id, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
