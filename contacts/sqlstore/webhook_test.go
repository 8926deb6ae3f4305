package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

func (f *fixture) webhook(t *testing.T, url string, active bool, events ...string) *contacts.WebhookEndpoint {
	t.Helper()
	w, err := f.svc.CreateWebhook(context.Background(), f.actor, f.project, contacts.WebhookInput{URL: &url, Events: &events, Active: &active})
	if err != nil {
		t.Fatalf("create webhook: %v", err)
	}
	return w
}

// queuedDeliveries lists the pending delivery jobs' payloads.
func queuedDeliveries(t *testing.T, db *DB) []contacts.WebhookJob {
	t.Helper()
	var raw []string
	if err := db.w.Select(&raw, db.q(`SELECT payload FROM queue WHERE kind = ? AND done_at IS NULL ORDER BY id`), contacts.JobWebhookDelivery); err != nil {
		t.Fatal(err)
	}
	out := make([]contacts.WebhookJob, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// fanOutAll runs passes until the log is read to its end. On PostgreSQL a
// pass may stop short while another test's transaction is open.
func (f *fixture) fanOutAll(t *testing.T) contacts.WebhookFanOut {
	t.Helper()
	var total contacts.WebhookFanOut
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := f.svc.FanOutWebhooks(context.Background(), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		total.Entries += n.Entries
		total.Jobs += n.Jobs
		if pendingAudit(t, f.db) == 0 {
			return total
		}
		if time.Now().After(deadline) {
			t.Fatal("the fan-out never reached the end of the audit log")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func pendingAudit(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.w.Get(&n, `SELECT COUNT(*) FROM audit_log a JOIN webhook_cursor w ON w.id = 1
		WHERE `+db.afterCursor("w.tx_id", "w.audit_id")); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWebhookEndpoints(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		w := f.webhook(t, "https://crm.example.com/hook", true, contacts.EventContactUpdated, contacts.EventContactCreated, contacts.EventContactCreated)
		if w.ID == 0 || len(w.Secret) < 40 || w.Events[0] != contacts.EventContactCreated || len(w.Events) != 2 {
			t.Fatalf("created %+v", w)
		}
		got, err := f.svc.Webhook(ctx, f.actor, f.project, w.ID)
		if err != nil || got.Secret != w.Secret || got.URL != w.URL || !got.Active {
			t.Fatalf("get: %+v %v", got, err)
		}
		off := false
		up, err := f.svc.UpdateWebhook(ctx, f.actor, f.project, w.ID, contacts.WebhookInput{Active: &off})
		if err != nil || up.Active || up.URL != w.URL {
			t.Fatalf("update: %+v %v", up, err)
		}
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Webhook(ctx, f.actor, other.ID, w.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("another project's endpoint: %v", err)
		}
		rotated, err := f.svc.RotateWebhookSecret(ctx, f.actor, f.project, w.ID, time.Hour)
		if err != nil || rotated.Secret == w.Secret || rotated.PreviousSecret != w.Secret {
			t.Fatalf("rotate: %+v %v", rotated, err)
		}
		if s := rotated.Secrets(f.now); len(s) != 2 || len(rotated.Secrets(f.now.Add(2*time.Hour))) != 1 {
			t.Fatalf("secrets during and after the overlap: %v", s)
		}
		agent := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Role: contacts.RoleAgent}
		if _, err := f.svc.Webhooks(ctx, agent, f.project); !errors.Is(err, contacts.ErrForbidden) {
			t.Fatalf("agent: %v", err)
		}
		for i := 1; i < contacts.MaxWebhooksPerProject; i++ {
			f.webhook(t, fmt.Sprintf("https://crm.example.com/%d", i), true, contacts.EventContactDeleted)
		}
		u, evs := "https://crm.example.com/one-too-many", []string{contacts.EventContactDeleted}
		if _, err := f.svc.CreateWebhook(ctx, f.actor, f.project, contacts.WebhookInput{URL: &u, Events: &evs}); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("over the limit: %v", err)
		}
		if err := f.svc.DeleteWebhook(ctx, f.actor, f.project, w.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteWebhook(ctx, f.actor, f.project, w.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
	})
}

func TestFanOutWebhooks(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.fanOutAll(t) // the fixture's own entries
		all := f.webhook(t, "https://a.example.com/", true, contacts.WebhookEventTypes...)
		deletes := f.webhook(t, "https://b.example.com/", true, contacts.EventContactDeleted)
		f.webhook(t, "https://off.example.com/", false, contacts.WebhookEventTypes...)
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		u, evs := "https://other.example.com/", contacts.WebhookEventTypes
		if _, err := f.svc.CreateWebhook(ctx, f.actor, other.ID, contacts.WebhookInput{URL: &u, Events: &evs}); err != nil {
			t.Fatal(err)
		}

		c := f.create(t, contacts.ContactInput{Email: str("ada@example.com")})
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, c.ID, contacts.ContactInput{Company: str("Analytical")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddNote(ctx, f.actor, f.project, c.ID, "no event for notes"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteContact(ctx, f.actor, f.project, c.ID, false); err != nil {
			t.Fatal(err)
		}
		n := f.fanOutAll(t)
		if n.Entries != 4 || n.Jobs != 4 {
			t.Fatalf("fan-out %+v, want 4 entries and 4 jobs", n)
		}
		jobs := queuedDeliveries(t, db)
		var got []string
		for _, j := range jobs {
			got = append(got, fmt.Sprintf("%d %s %d", j.EndpointID, j.Event.Type, j.Event.ContactID))
			if j.Event.ID != fmt.Sprintf("evt_%d", j.Event.AuditID) || j.Event.At.IsZero() {
				t.Errorf("event %+v", j.Event)
			}
		}
		want := []string{
			fmt.Sprintf("%d contact.created %d", all.ID, c.ID),
			fmt.Sprintf("%d contact.updated %d", all.ID, c.ID),
			fmt.Sprintf("%d contact.deleted %d", all.ID, c.ID),
			fmt.Sprintf("%d contact.deleted %d", deletes.ID, c.ID),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("queued\n%v\nwant\n%v", got, want)
		}
		if n := f.fanOutAll(t); n.Entries != 0 {
			t.Fatalf("a second pass read %d entries again", n.Entries)
		}
	})
}

func TestFanOutMergeAndClose(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.webhook(t, "https://a.example.com/", true, contacts.EventContactMerged, contacts.EventConversationClosed, contacts.EventContactUpdated)
		a := f.create(t, contacts.ContactInput{Email: str("a@example.com")})
		b := f.create(t, contacts.ContactInput{Phone: str("+14155550100")})
		conv := &contacts.Conversation{ProjectID: f.project, ContactID: a.ID, Channel: contacts.ChannelWidget, StartedAt: f.now}
		if err := db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CloseConversation(ctx, f.project, conv.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CloseConversation(ctx, f.project, conv.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("close twice: %v", err)
		}
		_, m, err := f.svc.Merge(ctx, f.actor, f.project, contacts.MergeRequest{PrimaryID: a.ID, ContactIDs: []int64{b.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UndoMerge(ctx, f.actor, f.project, m.ID); err != nil {
			t.Fatal(err)
		}
		f.fanOutAll(t)
		var got []string
		for _, j := range queuedDeliveries(t, db) {
			got = append(got, fmt.Sprintf("%s %d %d %v", j.Event.Type, j.Event.ContactID, j.Event.ConversationID, j.Event.MergedIDs))
		}
		want := []string{
			fmt.Sprintf("conversation.closed %d %d []", a.ID, conv.ID),
			fmt.Sprintf("contact.merged %d 0 [%d]", a.ID, b.ID),
			fmt.Sprintf("contact.updated %d 0 []", a.ID),
			fmt.Sprintf("contact.updated %d 0 []", b.ID),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("queued\n%v\nwant\n%v", got, want)
		}
		entries, err := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditConversationClose, Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].ContactID != a.ID {
			t.Fatalf("close audit: %+v %v", entries, err)
		}
	})
}

// Several processes fan out at once: every entry is queued exactly once.
func TestFanOutConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.fanOutAll(t)
		f.webhook(t, "https://a.example.com/", true, contacts.EventContactCreated)
		const contactsN = 60
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := f.svc.FanOutWebhooks(ctx, 7, 0); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		for i := range contactsN {
			f.create(t, contacts.ContactInput{Email: str(fmt.Sprintf("c%d@example.com", i))})
		}
		close(stop)
		wg.Wait()
		f.fanOutAll(t)
		jobs := queuedDeliveries(t, db)
		seen := map[string]bool{}
		for _, j := range jobs {
			if seen[j.Event.ID] {
				t.Fatalf("event %s queued twice", j.Event.ID)
			}
			seen[j.Event.ID] = true
		}
		if len(jobs) != contactsN {
			t.Fatalf("%d jobs, want %d", len(jobs), contactsN)
		}
	})
}

// An audit row whose transaction commits after a later row's must still be
// fanned out: PostgreSQL hands out ids before commit, so the log is read
// only up to the oldest running transaction.
func TestFanOutWaitsForOlderTransaction(t *testing.T) {
	db := OpenTestPostgres(t)
	if db == nil {
		t.Skip(PostgresTestEnv + " is not set")
	}
	f := newFixture(t, db)
	ctx := context.Background()
	f.fanOutAll(t)
	f.webhook(t, "https://a.example.com/", true, contacts.EventContactUpdated)
	slow, err := db.w.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if err := db.appendAudit(ctx, slow, contacts.NewAudit(f.project, f.actor, contacts.AuditContactUpdate, 1, nil, nil, f.now)); err != nil {
		t.Fatal(err)
	}
	if err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		return db.appendAudit(ctx, tx, contacts.NewAudit(f.project, f.actor, contacts.AuditContactUpdate, 2, nil, nil, f.now))
	}); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.FanOutWebhooks(ctx, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Entries != 0 {
		t.Fatalf("read %d entries past a running transaction", n.Entries)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	f.fanOutAll(t)
	var ids []int
	for _, j := range queuedDeliveries(t, db) {
		ids = append(ids, int(j.Event.ContactID))
	}
	sort.Ints(ids)
	if fmt.Sprint(ids) != "[1 2]" {
		t.Fatalf("delivered contacts %v, want [1 2]", ids)
	}
}

// The cursor lives in the database: a new process continues where the last
// one stopped.
func TestFanOutCursorSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := t.TempDir() + "/hooks.db"
		reopen := func() *DB {
			db, err := Open(ctx, path, Options{CacheMiB: 8})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
		checkCursorSurvives(t, reopen)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := TestPostgresDSN(t)
		if dsn == "" {
			t.Skip(PostgresTestEnv + " is not set")
		}
		checkCursorSurvives(t, func() *DB {
			db, err := Open(ctx, dsn, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return db
		})
	})
}

func checkCursorSurvives(t *testing.T, open func() *DB) {
	db := open()
	f := newFixture(t, db)
	f.webhook(t, "https://a.example.com/", true, contacts.EventContactCreated)
	f.create(t, contacts.ContactInput{Email: str("one@example.com")})
	f.fanOutAll(t)
	db.Close()

	db2 := open()
	defer db2.Close()
	f.db, f.svc = db2, contacts.NewService(contacts.Config{Store: db2, Clock: func() time.Time { return f.now }})
	f.create(t, contacts.ContactInput{Email: str("two@example.com")})
	if n := f.fanOutAll(t); n.Entries != 1 || n.Jobs != 1 {
		t.Fatalf("after reopening: %+v, want only the new entry", n)
	}
	if jobs := queuedDeliveries(t, db2); len(jobs) != 2 || jobs[0].Event.ID == jobs[1].Event.ID {
		t.Fatalf("jobs %+v", jobs)
	}
}

// An endpoint's deliveries are queued spaced out, across passes too.
func TestFanOutSpacesDeliveries(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.fanOutAll(t)
		f.webhook(t, "https://a.example.com/", true, contacts.EventContactCreated)
		f.webhook(t, "https://b.example.com/", true, contacts.EventContactCreated)
		runAts := func() []int64 {
			var at []int64
			if err := db.w.Select(&at, db.q(`SELECT run_at - ? FROM queue WHERE kind = ? ORDER BY id`), msNotNull(f.now), contacts.JobWebhookDelivery); err != nil {
				t.Fatal(err)
			}
			return at
		}
		pass := func() {
			deadline := time.Now().Add(10 * time.Second)
			for pendingAudit(t, db) > 0 && time.Now().Before(deadline) {
				if _, err := f.svc.FanOutWebhooks(ctx, 2, 100*time.Millisecond); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 3 {
			f.create(t, contacts.ContactInput{Email: str(fmt.Sprintf("burst%d@example.com", i))})
		}
		pass()
		// Two endpoints, each 0, 100, 200 ms; passes of 2 entries continue the pace.
		if got := fmt.Sprint(runAts()); got != "[0 0 100 100 200 200]" {
			t.Fatalf("run_at offsets %s", got)
		}
		f.now = f.now.Add(time.Second) // long after: no waiting
		f.create(t, contacts.ContactInput{Email: str("later@example.com")})
		pass()
		if got := fmt.Sprint(runAts()[6:]); got != "[0 0]" {
			t.Fatalf("after a quiet second: %s", got)
		}
	})
}

func TestWebhookDeliveryLog(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		w := f.webhook(t, "https://a.example.com/", true, contacts.EventContactCreated)
		for i := 1; i <= 5; i++ {
			d := &contacts.WebhookDelivery{ProjectID: f.project, EndpointID: w.ID, Attempt: i, Outcome: contacts.DeliveryRetrying,
				StatusCode: 500, Error: "receiver answered 500", Duration: 12 * time.Millisecond, RetryAt: f.now.Add(time.Minute),
				At:    f.now.Add(time.Duration(i) * time.Hour),
				Event: contacts.WebhookEvent{ID: "evt_7", Type: contacts.EventContactCreated, AuditID: 7, ContactID: 3, At: f.now}}
			if err := f.svc.RecordWebhookDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		page, err := f.svc.WebhookDeliveries(ctx, f.actor, f.project, w.ID, 0, 2)
		if err != nil || len(page) != 2 || page[0].Attempt != 5 || page[0].Duration != 12*time.Millisecond || page[0].Event.ContactID != 3 {
			t.Fatalf("first page %+v %v", page, err)
		}
		next, err := f.svc.WebhookDeliveries(ctx, f.actor, f.project, w.ID, page[1].ID, 10)
		if err != nil || len(next) != 3 || next[0].Attempt != 3 {
			t.Fatalf("next page %+v %v", next, err)
		}
		if _, err := db.GetWebhookDelivery(ctx, f.project, w.ID+1, page[0].ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("delivery of another endpoint: %v", err)
		}
		f.now = f.now.Add(3*time.Hour + 30*time.Minute + 30*24*time.Hour)
		if n, err := f.svc.PruneWebhookDeliveries(ctx, 30*24*time.Hour); err != nil || n != 3 {
			t.Fatalf("pruned %d, %v; want 3", n, err)
		}
	})
}

// An import raises contact.created for every contact it creates, from one
// audit entry per batch, and a pass stops queueing once it has queued
// maxJobsPerPass, moving the cursor only past the entries it finished.
func TestImportRaisesContactCreated(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		f.webhook(t, "https://crm.example.com/hook", true, contacts.EventContactCreated)
		f.fanOutAll(t)
		imp := f.importText(t, "name,email\nAnn One,ann@example.com\nBob Two,bob@example.com\nCy Three,cy@example.com\n", contacts.ImportOptions{})
		if imp.Counts.Created != 3 {
			t.Fatalf("created %d", imp.Counts.Created)
		}
		// A second entry after the import's: the first pass stops before it.
		f.create(t, contacts.ContactInput{FirstName: str("Dee")})
		defer func(n int) { maxJobsPerPass = n }(maxJobsPerPass)
		maxJobsPerPass = 2
		first, err := f.svc.FanOutWebhooks(context.Background(), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if first.Jobs != 3 {
			t.Errorf("first pass queued %d jobs, want the import entry's 3 (it is not split)", first.Jobs)
		}
		f.fanOutAll(t)
		jobs := queuedDeliveries(t, db)
		var ids []int64
		seen := map[string]bool{}
		for _, j := range jobs {
			if j.Event.Type != contacts.EventContactCreated || seen[j.Event.ID] {
				t.Errorf("delivery %+v", j)
			}
			seen[j.Event.ID] = true
			ids = append(ids, j.Event.ContactID)
		}
		if len(ids) != 4 {
			t.Fatalf("deliveries for %v, want 3 imported + 1 created", ids)
		}
		for _, id := range ids {
			if _, err := f.svc.GetContact(context.Background(), f.project, id); err != nil {
				t.Errorf("delivery names contact %d: %v", id, err)
			}
		}
	})
}
