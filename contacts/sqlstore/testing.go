package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
)

// PostgresTestEnv names the variable holding a PostgreSQL URL for tests.
const PostgresTestEnv = "SWITCHBOARD_TEST_POSTGRES_URL"

// OpenTest opens a migrated SQLite store in a temp dir, closed after the test.
func OpenTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), Options{CacheMiB: 8})
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPostgresDSN creates a fresh schema in the PostgreSQL named by
// SWITCHBOARD_TEST_POSTGRES_URL, dropped after the test, and returns a DSN
// whose search_path selects it. It returns "" when the variable is unset.
func TestPostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresTestEnv)
	if base == "" {
		return ""
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "sbtest_" + hex.EncodeToString(buf)
	admin, err := sqlx.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresTestEnv, err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresTestEnv, err)
	}
	qs := u.Query()
	qs.Set("search_path", schema+",public")
	u.RawQuery = qs.Encode()
	return u.String()
}

// OpenTestPostgres opens a migrated store in a fresh PostgreSQL schema, or
// returns nil when SWITCHBOARD_TEST_POSTGRES_URL is unset.
func OpenTestPostgres(t testing.TB) *DB {
	t.Helper()
	dsn := TestPostgresDSN(t)
	if dsn == "" {
		return nil
	}
	db, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatalf("open postgres test store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// HoldCounts makes the contact list's counts wait until release is called:
// for tests of callers that show a page before its total.
func (db *DB) HoldCounts() (release func()) {
	ch := make(chan struct{})
	db.pages.mu.Lock()
	db.pages.beforeCount = func() { <-ch }
	db.pages.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}
