package webhooks

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/gateway"
)

// eachDB runs fn on SQLite and, when configured, on PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, sqlstore.OpenTest(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := sqlstore.OpenTestPostgres(t)
		if db == nil {
			t.Skip(sqlstore.PostgresTestEnv + " is not set")
		}
		fn(t, db)
	})
}

// env is a service, a worker and a dispatcher over one store, on a clock
// the test moves.
type env struct {
	t       *testing.T
	db      *sqlstore.DB
	svc     *contacts.Service
	worker  *gateway.Worker
	d       *Dispatcher
	now     time.Time
	project int64
	admin   contacts.Actor
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// renderContact stands in for the API's contact JSON (webui wires that).
func renderContact(c *contacts.Contact) any {
	return map[string]any{"id": c.ID, "email": c.Email, "phone": c.Phone, "company": c.Company}
}

func renderConversation(cv *contacts.Conversation) any {
	return map[string]any{"id": cv.ID, "status": cv.Status, "contact_id": cv.ContactID}
}

func newEnv(t *testing.T, db *sqlstore.DB, tune ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, db: db, now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC),
		admin: contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "test", Role: contacts.RoleAdmin}}
	clock := func() time.Time { return e.now }
	e.svc = contacts.NewService(contacts.Config{Store: db, Clock: clock, Logger: quiet})
	t.Cleanup(e.svc.Close)
	p, err := e.svc.CreateProject(context.Background(), "Acme")
	if errors.Is(err, contacts.ErrConflict) { // a database reopened
		p, err = e.svc.ProjectByName(context.Background(), "Acme")
	}
	if err != nil {
		t.Fatal(err)
	}
	e.project = p.ID
	e.worker = gateway.NewWorker(db, clock, quiet)
	cfg := Config{Service: e.svc, Worker: e.worker, RenderContact: renderContact, RenderConversation: renderConversation,
		Timeout: 2 * time.Second, Spacing: -1, Logger: quiet}
	for _, f := range tune {
		f(&cfg)
	}
	e.d = New(cfg)
	e.fanOut() // what the fixture wrote is not for the endpoints to come
	return e
}

// hook adds an endpoint of the env's project.
func (e *env) hook(url string, events ...string) *contacts.WebhookEndpoint {
	e.t.Helper()
	return e.hookIn(e.project, url, true, events...)
}

func (e *env) hookIn(projectID int64, url string, active bool, events ...string) *contacts.WebhookEndpoint {
	e.t.Helper()
	if len(events) == 0 {
		events = contacts.WebhookEventTypes
	}
	w, err := e.svc.CreateWebhook(context.Background(), e.admin, projectID, contacts.WebhookInput{URL: &url, Events: &events, Active: &active})
	if err != nil {
		e.t.Fatalf("create webhook: %v", err)
	}
	return w
}

// fanOut runs the dispatcher's fan-out until the audit log is read to its
// end: on PostgreSQL a pass stops short of a transaction still open, which
// may be another test's.
func (e *env) fanOut() {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := e.d.FanOut(context.Background()); err != nil {
			e.t.Fatal(err)
		}
		if e.pendingAudit() == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatal("the fan-out never reached the end of the audit log")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) pendingAudit() int {
	e.t.Helper()
	pool, dialect, closeIt, err := e.db.SideDB()
	if err != nil {
		e.t.Fatal(err)
	}
	if closeIt {
		defer pool.Close()
	}
	cond := `a.tx_id = w.tx_id AND a.id > w.audit_id`
	if dialect == "postgres" {
		cond = `(a.tx_id, a.id) > (w.tx_id, w.audit_id)`
	}
	var n int
	if err := pool.QueryRow(`SELECT COUNT(*) FROM audit_log a JOIN webhook_cursor w ON w.id = 1 WHERE ` + cond).Scan(&n); err != nil && err != sql.ErrNoRows {
		e.t.Fatal(err)
	}
	return n
}

// runJobs runs every job due now; it returns how many ran.
func (e *env) runJobs() int {
	e.t.Helper()
	n := 0
	for {
		ran, err := e.worker.RunOne(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !ran {
			return n
		}
		n++
	}
}

// deliver fans out and sends everything due.
func (e *env) deliver() int {
	e.t.Helper()
	e.fanOut()
	return e.runJobs()
}

func (e *env) deliveries(endpointID int64) []contacts.WebhookDelivery {
	e.t.Helper()
	ds, err := e.svc.WebhookDeliveries(context.Background(), e.admin, e.project, endpointID, 0, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

func (e *env) createContact(in contacts.ContactInput) *contacts.Contact {
	e.t.Helper()
	c, err := e.svc.CreateContact(context.Background(), e.admin, e.project, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func str(s string) *string { return &s }

// receiver is an HTTP endpoint that records what it is sent and answers
// with the status answer picks for the nth request (from 1).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []captured
	answer func(n int, w http.ResponseWriter)
}

type captured struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, answer func(n int, w http.ResponseWriter)) *receiver {
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, captured{header: req.Header.Clone(), body: body})
		n, answer := len(r.got), r.answer
		r.mu.Unlock()
		if answer != nil {
			answer(n, w)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

// answerWith changes how the receiver answers from now on.
func (r *receiver) answerWith(answer func(int, http.ResponseWriter)) {
	r.mu.Lock()
	r.answer = answer
	r.mu.Unlock()
}

func (r *receiver) requests() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]captured(nil), r.got...)
}

// status answers every request with code.
func status(code int) func(int, http.ResponseWriter) {
	return func(_ int, w http.ResponseWriter) { w.WriteHeader(code) }
}
