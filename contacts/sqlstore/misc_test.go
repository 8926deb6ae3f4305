package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/migrations"
)

func TestMigrationFoldersMatch(t *testing.T) {
	names := func(dir string) []string {
		m, _ := fs.Glob(migrations.FS, dir+"/*.sql")
		for i := range m {
			m[i] = path.Base(m[i])
		}
		sort.Strings(m)
		return m
	}
	if a, b := names("sqlite"), names("postgres"); fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
		t.Errorf("migration folders differ: sqlite %v, postgres %v", a, b)
	}
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Migrate(ctx)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		applied, err := db.Applied(ctx)
		all, _ := fs.Glob(migrations.FS, db.Dialect()+"/*.sql")
		if err != nil || len(applied) != len(all) {
			t.Errorf("applied %v (%v), want %d", applied, err, len(all))
		}
	})
}

func TestMigrateFromTwoProcessesOnPostgres(t *testing.T) {
	dsn := TestPostgresDSN(t)
	if dsn == "" {
		t.Skip(PostgresTestEnv + " is not set")
	}
	// Two separate pools race on an empty schema, as two serve processes would.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(context.Background(), dsn, Options{})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestBulkInsert(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var cs []*contacts.Contact
		for i := 0; i < 2500; i++ {
			c := &contacts.Contact{ProjectID: f.project, FirstName: fmt.Sprintf("Bulk%d", i), Email: fmt.Sprintf("bulk%d@example.com", i),
				Channel: contacts.ChannelImport, CreatedAt: f.now, UpdatedAt: f.now, Tags: []string{"imported"}}
			if i%2 == 0 {
				c.Identities = []contacts.Identity{{Channel: contacts.ChannelTelegram, ExternalID: fmt.Sprint(9000 + i)}}
			}
			c.ApplyLead(f.now)
			cs = append(cs, c)
		}
		if err := db.BulkInsertContacts(ctx, cs); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, Q: "bulk2499"})
		if err != nil || res.Total != 1 || res.Contacts[0].ID != cs[2499].ID {
			t.Fatalf("search after bulk: %v %+v", err, res)
		}
		res, _ = f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, Tags: []string{"imported"}})
		if res.Total != 2500 {
			t.Errorf("tag index after bulk: %d", res.Total)
		}
		got, _ := f.svc.GetContact(ctx, f.project, cs[10].ID)
		if len(got.Identities) != 1 {
			t.Errorf("identities after bulk: %+v", got.Identities)
		}
		// A clash stops the batch holding it, and names the field.
		dup := []*contacts.Contact{{ProjectID: f.project, FirstName: "x", Email: "bulk1@example.com", Channel: contacts.ChannelImport, CreatedAt: f.now, UpdatedAt: f.now}}
		dup[0].ApplyLead(f.now)
		var de *contacts.DuplicateError
		if err := db.BulkInsertContacts(ctx, dup); !errors.As(err, &de) || de.Field != "email" || de.ExistingID != cs[1].ID {
			t.Errorf("bulk duplicate: %v", err)
		}
	})
}

func TestRefreshLeads(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{FirstName: str("Quiet"), Email: str("q@example.com")})
		if c.LeadStatus != contacts.LeadNew {
			t.Fatalf("fresh contact: %s", c.LeadStatus)
		}
		f.now = f.now.Add(8 * 24 * time.Hour)
		n, err := f.svc.RefreshLeads(ctx)
		if err != nil || n != 1 {
			t.Fatalf("refresh: %d %v", n, err)
		}
		got, _ := f.svc.GetContact(ctx, f.project, c.ID)
		if got.LeadStatus != contacts.LeadActive {
			t.Errorf("after 8 days: %s", got.LeadStatus)
		}
		if n, _ := f.svc.RefreshLeads(ctx); n != 0 {
			t.Errorf("second refresh touched %d", n)
		}
		f.now = f.now.Add(400 * 24 * time.Hour)
		for i := 0; i < 5; i++ {
			f.svc.RefreshLeads(ctx)
		}
		got, _ = f.svc.GetContact(ctx, f.project, c.ID)
		if got.LeadStatus != contacts.LeadArchived || got.LeadScore != contacts.LeadCold {
			t.Errorf("after a year: %s %s", got.LeadStatus, got.LeadScore)
		}
	})
}

func TestNotesConversationsStats(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{Email: str("a@example.com"), Channel: str("telegram")})
		f.create(t, contacts.ContactInput{Phone: str("+14155550111"), Channel: str("widget")})
		staff := contacts.Actor{Kind: contacts.ActorUser, ID: 3, Name: "bob@acme.test", Role: contacts.RoleAgent}
		if _, err := f.svc.AddNote(ctx, staff, f.project, a.ID, "  "); err == nil {
			t.Error("empty note accepted")
		}
		n, err := f.svc.AddNote(ctx, staff, f.project, a.ID, "Called, wants a demo")
		if err != nil || n.Author != "bob@acme.test" {
			t.Fatalf("note: %v %+v", err, n)
		}
		conv := &contacts.Conversation{ProjectID: f.project, ContactID: a.ID, Channel: contacts.ChannelTelegram, StartedAt: f.now}
		if err := db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		for i, dir := range []string{contacts.DirectionInbound, contacts.DirectionOutbound} {
			m := &contacts.Message{ConversationID: conv.ID, Direction: dir, SenderKind: contacts.SenderContact, Text: "hi 👋", ChannelMessageID: fmt.Sprint("tg-", i), CreatedAt: f.now}
			if err := db.AddMessage(ctx, f.project, m); err != nil {
				t.Fatal(err)
			}
		}
		redelivered := &contacts.Message{ConversationID: conv.ID, Direction: contacts.DirectionInbound, SenderKind: contacts.SenderContact, ChannelMessageID: "tg-0", CreatedAt: f.now}
		if err := db.AddMessage(ctx, f.project, redelivered); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("redelivered message: %v", err)
		}
		msgs, err := f.svc.ListMessages(ctx, f.project, conv.ID, 0, 0)
		if err != nil || len(msgs) != 2 || msgs[0].Text != "hi 👋" {
			t.Errorf("messages: %v %+v", err, msgs)
		}
		export, err := f.svc.ExportContact(ctx, f.actor, f.project, a.ID)
		if err != nil || len(export.Conversations) != 1 || len(export.Conversations[0].Messages) != 2 || len(export.Notes) != 1 {
			t.Errorf("export: %v %+v", err, export)
		}
		st, err := f.svc.Stats(ctx, f.project)
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != 2 || st.NewThisMonth != 2 || st.ByChannel["telegram"] != 1 || st.ShareWithEmail != 0.5 || st.AvgConversations != 0.5 {
			t.Errorf("stats: %+v", st)
		}
		p2, _ := f.svc.CreateProject(ctx, "Other")
		if _, err := f.svc.ListMessages(ctx, p2.ID, conv.ID, 0, 0); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project messages: %v", err)
		}
		if _, err := f.svc.ListNotes(ctx, p2.ID, a.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project notes: %v", err)
		}
		if _, err := f.svc.AddNote(ctx, staff, p2.ID, a.ID, "x"); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project note: %v", err)
		}
	})
}

func TestAccountsAndKeys(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		svc := contacts.NewService(contacts.Config{Store: db})
		b, err := svc.Bootstrap(ctx)
		if err != nil || b == nil || b.Project.Name != "Default" || b.Password == "" || b.APIKey == "" {
			t.Fatalf("bootstrap: %v %+v", err, b)
		}
		if again, err := svc.Bootstrap(ctx); err != nil || again != nil {
			t.Errorf("second bootstrap: %v %+v", err, again)
		}
		if _, err := svc.CheckPassword(ctx, "admin@localhost", b.Password); err != nil {
			t.Errorf("bootstrap password: %v", err)
		}
		if _, err := svc.CheckPassword(ctx, "admin@localhost", "wrong-password"); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Errorf("wrong password: %v", err)
		}
		k, err := svc.AuthenticateAPIKey(ctx, b.APIKey)
		if err != nil || k.ProjectID != b.Project.ID {
			t.Fatalf("bootstrap key: %v", err)
		}
		if _, err := svc.AuthenticateAPIKey(ctx, b.APIKey+"x"); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Errorf("wrong key: %v", err)
		}
		if err := svc.RevokeAPIKey(ctx, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateAPIKey(ctx, b.APIKey); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Errorf("revoked key still works: %v", err)
		}
		keys, _ := svc.ListAPIKeys(ctx, b.Project.ID)
		if len(keys) != 1 || keys[0].RevokedAt.IsZero() || keys[0].Hash == b.APIKey {
			t.Errorf("keys: %+v", keys)
		}
		u, pw, err := svc.AddUser(ctx, b.Project.ID, "Agent@Acme.test", contacts.RoleAgent, "")
		if err != nil || pw == "" || u.Email != "agent@acme.test" {
			t.Fatalf("add user: %v", err)
		}
		if _, _, err := svc.AddUser(ctx, b.Project.ID, "x@acme.test", "root", ""); err == nil {
			t.Error("bad role accepted")
		}
		if err := svc.SetPassword(ctx, "agent@acme.test", "a-new-password"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CheckPassword(ctx, "agent@acme.test", "a-new-password"); err != nil {
			t.Errorf("new password: %v", err)
		}
		ms, _ := svc.Memberships(ctx, u.ID)
		if len(ms) != 1 || ms[0].Role != contacts.RoleAgent {
			t.Errorf("memberships: %+v", ms)
		}
		if _, err := svc.CreateProject(ctx, "Default"); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("duplicate project: %v", err)
		}
	})
}
