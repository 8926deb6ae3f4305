package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// eachStore runs fn on SQLite and, when configured, on PostgreSQL.
func eachStore(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenTest(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := OpenTestPostgres(t)
		if db == nil {
			t.Skip(PostgresTestEnv + " is not set")
		}
		fn(t, db)
	})
}

// fixture is a service on a store with one project and a fixed clock.
type fixture struct {
	db      *DB
	svc     *contacts.Service
	project int64
	now     time.Time
	actor   contacts.Actor
}

func newFixture(t *testing.T, db *DB) *fixture {
	t.Helper()
	f := &fixture{db: db, now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	f.svc = contacts.NewService(contacts.Config{Store: db, Clock: func() time.Time { return f.now }})
	p, err := f.svc.CreateProject(context.Background(), "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f.project = p.ID
	f.actor = contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "test", Role: contacts.RoleAdmin}
	return f
}

func str(s string) *string { return &s }

func (f *fixture) create(t *testing.T, in contacts.ContactInput) *contacts.Contact {
	t.Helper()
	c, err := f.svc.CreateContact(context.Background(), f.actor, f.project, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return c
}
