package webhooks

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// checkSigned recomputes the signature of a delivery the way a receiver
// would, without this package's helpers.
func checkSigned(t *testing.T, c captured, secret string, now time.Time) {
	t.Helper()
	ts := c.header.Get("X-Switchboard-Timestamp")
	if ts != strconv.FormatInt(now.Unix(), 10) {
		t.Fatalf("timestamp header %q, want %d", ts, now.Unix())
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(c.body)
	want := "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
	if got := c.header.Get("X-Switchboard-Signature"); got != want {
		t.Fatalf("signature %q, want %q", got, want)
	}
	if c.header.Get("Content-Type") != "application/json" || c.header.Get("User-Agent") != UserAgent {
		t.Fatalf("headers %v", c.header)
	}
}

// event decodes a delivery's body.
func event(t *testing.T, c captured) (Envelope, map[string]any) {
	t.Helper()
	var env Envelope
	if err := json.Unmarshal(c.body, &env); err != nil {
		t.Fatalf("body %s: %v", c.body, err)
	}
	data, _ := env.Data.(map[string]any)
	if c.header.Get("X-Switchboard-Event") != env.Type || c.header.Get("X-Switchboard-Event-Id") != env.ID {
		t.Fatalf("event headers %v for %s %s", c.header, env.Type, env.ID)
	}
	return env, data
}

func TestEventsFromServiceActions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		r := newReceiver(t, nil)
		w := e.hook(r.URL + "/crm")

		a := e.createContact(contacts.ContactInput{Email: str("ada@example.com")})
		e.deliver()
		if _, err := e.svc.UpdateContact(ctx, e.admin, e.project, a.ID, contacts.ContactInput{Company: str("Analytical Engines")}); err != nil {
			t.Fatal(err)
		}
		e.deliver()
		b := e.createContact(contacts.ContactInput{Phone: str("+14155550100")})
		e.deliver()
		conv := &contacts.Conversation{ProjectID: e.project, ContactID: a.ID, Channel: contacts.ChannelWidget, StartedAt: e.now}
		if err := db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.CloseConversation(ctx, e.project, conv.ID); err != nil {
			t.Fatal(err)
		}
		e.deliver()
		if _, _, err := e.svc.Merge(ctx, e.admin, e.project, contacts.MergeRequest{PrimaryID: a.ID, ContactIDs: []int64{b.ID}}); err != nil {
			t.Fatal(err)
		}
		e.deliver()
		if err := e.svc.DeleteContact(ctx, e.admin, e.project, a.ID, false); err != nil {
			t.Fatal(err)
		}
		e.deliver()

		got := r.requests()
		want := []string{"contact.created", "contact.updated", "contact.created", "conversation.closed", "contact.merged", "contact.deleted"}
		if len(got) != len(want) {
			t.Fatalf("%d deliveries, want %d", len(got), len(want))
		}
		ids := map[string]bool{}
		for i, c := range got {
			checkSigned(t, c, w.Secret, e.now)
			env, data := event(t, c)
			if env.Type != want[i] || env.ProjectID != e.project || ids[env.ID] || !strings.HasPrefix(env.ID, "evt_") {
				t.Fatalf("delivery %d: %s", i, c.body)
			}
			ids[env.ID] = true
			contact, _ := data["contact"].(map[string]any)
			switch env.Type {
			case "contact.created", "contact.updated":
				if contact["id"] != data["contact_id"] {
					t.Fatalf("%s: %s", env.Type, c.body)
				}
			case "conversation.closed":
				conversation, _ := data["conversation"].(map[string]any)
				if conversation["id"] != float64(conv.ID) || conversation["status"] != "closed" || contact["email"] != "ada@example.com" {
					t.Fatalf("closed: %s", c.body)
				}
			case "contact.merged":
				if data["contact_id"] != float64(a.ID) || fmt.Sprint(data["merged_ids"]) != fmt.Sprintf("[%d]", b.ID) || contact["phone"] != "+14155550100" {
					t.Fatalf("merged: %s", c.body)
				}
			case "contact.deleted":
				if data["contact_id"] != float64(a.ID) || len(data) != 1 {
					t.Fatalf("deleted carries more than the id: %s", c.body)
				}
			}
		}
		_, second := event(t, got[1])
		if second["contact"].(map[string]any)["company"] != "Analytical Engines" {
			t.Fatalf("update body: %s", got[1].body)
		}
		log := e.deliveries(w.ID)
		if len(log) != len(want) {
			t.Fatalf("%d log entries", len(log))
		}
		for _, d := range log {
			if d.Outcome != contacts.DeliveryDelivered || d.StatusCode != 200 || d.Attempt != 1 || d.Error != "" {
				t.Fatalf("log entry %+v", d)
			}
		}
	})
}

func TestSubscriptionsAndProjects(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		deletes, off, foreign, later := newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, nil)
		e.hook(deletes.URL, contacts.EventContactDeleted)
		e.hookIn(e.project, off.URL, false)
		other, err := e.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		e.hookIn(other.ID, foreign.URL, true)
		switchedOff := e.hook(later.URL)

		c := e.createContact(contacts.ContactInput{Email: str("grace@example.com")})
		if err := e.svc.DeleteContact(ctx, e.admin, e.project, c.ID, true); err != nil {
			t.Fatal(err)
		}
		e.fanOut()
		// Queued for it, then switched off before the send: nothing goes.
		no := false
		if _, err := e.svc.UpdateWebhook(ctx, e.admin, e.project, switchedOff.ID, contacts.WebhookInput{Active: &no}); err != nil {
			t.Fatal(err)
		}
		e.runJobs()
		if got := deletes.requests(); len(got) != 1 {
			t.Fatalf("the deletes endpoint got %d deliveries", len(got))
		} else if env, _ := event(t, got[0]); env.Type != contacts.EventContactDeleted {
			t.Fatalf("the deletes endpoint got %s", env.Type)
		}
		for name, r := range map[string]*receiver{"inactive": off, "other project's": foreign, "switched-off": later} {
			if n := len(r.requests()); n != 0 {
				t.Fatalf("the %s endpoint got %d deliveries", name, n)
			}
		}
	})
}

func TestRetryWithBackoffThenSuccess(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		r := newReceiver(t, func(n int, w http.ResponseWriter) {
			if n == 1 {
				http.Error(w, "database is down", http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		w := e.hook(r.URL, contacts.EventContactCreated)
		e.createContact(contacts.ContactInput{Email: str("retry@example.com")})
		if n := e.deliver(); n != 1 {
			t.Fatalf("ran %d jobs", n)
		}
		log := e.deliveries(w.ID)
		if len(log) != 1 || log[0].Outcome != contacts.DeliveryRetrying || log[0].StatusCode != 500 ||
			!log[0].RetryAt.Equal(e.now.Add(10*time.Second)) || !strings.Contains(log[0].Response, "database is down") {
			t.Fatalf("after the 500: %+v", log)
		}
		e.now = e.now.Add(9 * time.Second)
		if n := e.runJobs(); n != 0 {
			t.Fatal("retried before its backoff")
		}
		e.now = e.now.Add(time.Second)
		if n := e.runJobs(); n != 1 {
			t.Fatalf("retry ran %d jobs", n)
		}
		log = e.deliveries(w.ID)
		if len(log) != 2 || log[0].Outcome != contacts.DeliveryDelivered || log[0].Attempt != 2 || log[0].StatusCode != 200 {
			t.Fatalf("after the retry: %+v", log)
		}
		got := r.requests()
		if len(got) != 2 || got[0].header.Get(HeaderEventID) != got[1].header.Get(HeaderEventID) {
			t.Fatalf("the retry must carry the same event id")
		}
		checkSigned(t, got[1], w.Secret, e.now)
		e.now = e.now.Add(24 * time.Hour)
		if n := e.runJobs(); n != 0 {
			t.Fatalf("%d jobs after success", n)
		}
	})
}

// Each answer's fate: delivered, retried (408, 429, 5xx) or failed for
// good (other 4xx, redirects).
func TestStatusOutcomes(t *testing.T) {
	cases := []struct {
		code    int
		outcome string
	}{
		{200, contacts.DeliveryDelivered},
		{204, contacts.DeliveryDelivered},
		{302, contacts.DeliveryFailed},
		{400, contacts.DeliveryFailed},
		{401, contacts.DeliveryFailed},
		{404, contacts.DeliveryFailed},
		{410, contacts.DeliveryFailed},
		{408, contacts.DeliveryRetrying},
		{429, contacts.DeliveryRetrying},
		{500, contacts.DeliveryRetrying},
		{503, contacts.DeliveryRetrying},
	}
	e := newEnv(t, sqlstore.OpenTest(t))
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			e.t = t
			r := newReceiver(t, func(_ int, w http.ResponseWriter) {
				if tc.code == 302 {
					w.Header().Set("Location", "https://elsewhere.example.com/")
				}
				w.WriteHeader(tc.code)
			})
			w := e.hook(r.URL, contacts.EventContactCreated)
			e.createContact(contacts.ContactInput{Email: str(fmt.Sprintf("s%d@example.com", tc.code))})
			e.deliver()
			no := false
			defer e.svc.UpdateWebhook(context.Background(), e.admin, e.project, w.ID, contacts.WebhookInput{Active: &no})
			log := e.deliveries(w.ID)
			if len(log) != 1 || log[0].Outcome != tc.outcome || log[0].StatusCode != tc.code {
				t.Fatalf("log %+v", log)
			}
			e.now = e.now.Add(time.Hour)
			e.runJobs()
			want := 1
			if tc.outcome == contacts.DeliveryRetrying {
				want = 2
			}
			if n := len(r.requests()); n != want {
				t.Fatalf("%d requests, want %d", n, want)
			}
		})
	}
}

func TestRetryAfterTimeoutsAndGivingUp(t *testing.T) {
	e := newEnv(t, sqlstore.OpenTest(t), func(c *Config) { c.Timeout = 100 * time.Millisecond })
	e.worker.MaxAttempts = 3
	hang := make(chan struct{})
	r := newReceiver(t, func(n int, w http.ResponseWriter) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			select {
			case <-hang:
			case <-time.After(time.Second):
			}
		}
	})
	t.Cleanup(func() { close(hang) }) // before the server's Close, which waits for handlers
	w := e.hook(r.URL, contacts.EventContactCreated)
	e.createContact(contacts.ContactInput{Email: str("slow@example.com")})
	e.deliver()
	log := e.deliveries(w.ID)
	if len(log) != 1 || !log[0].RetryAt.Equal(e.now.Add(120*time.Second)) {
		t.Fatalf("Retry-After not honoured: %+v", log)
	}
	e.now = e.now.Add(120 * time.Second)
	e.runJobs()
	log = e.deliveries(w.ID)
	if log[0].Outcome != contacts.DeliveryRetrying || log[0].StatusCode != 0 || !strings.Contains(log[0].Error, "send") {
		t.Fatalf("timeout: %+v", log[0])
	}
	e.now = e.now.Add(30 * time.Second)
	e.runJobs()
	log = e.deliveries(w.ID)
	if len(log) != 3 || log[0].Outcome != contacts.DeliveryFailed || !strings.Contains(log[0].Error, "gave up after 3 attempts") {
		t.Fatalf("last attempt: %+v", log[0])
	}
	e.now = e.now.Add(24 * time.Hour)
	if n := e.runJobs(); n != 0 {
		t.Fatalf("%d jobs after giving up", n)
	}
}

func TestManualRedelivery(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		r := newReceiver(t, status(http.StatusBadRequest))
		w := e.hook(r.URL, contacts.EventContactCreated)
		c := e.createContact(contacts.ContactInput{Email: str("again@example.com")})
		e.deliver()
		first := e.deliveries(w.ID)[0]
		if first.Outcome != contacts.DeliveryFailed {
			t.Fatalf("first: %+v", first)
		}
		r.answerWith(status(http.StatusOK)) // the receiver was fixed
		if _, err := e.svc.UpdateContact(ctx, e.admin, e.project, c.ID, contacts.ContactInput{Company: str("Fixed Ltd")}); err != nil {
			t.Fatal(err)
		}
		ev, err := e.svc.RedeliverWebhook(ctx, e.admin, e.project, w.ID, first.ID)
		if err != nil || ev.ID != first.Event.ID {
			t.Fatalf("redeliver: %+v %v", ev, err)
		}
		e.runJobs()
		got := r.requests()
		if len(got) != 2 {
			t.Fatalf("%d requests", len(got))
		}
		env, data := event(t, got[1])
		if env.ID != first.Event.ID || data["contact"].(map[string]any)["company"] != "Fixed Ltd" {
			t.Fatalf("redelivered %s", got[1].body)
		}
		log := e.deliveries(w.ID)
		if len(log) != 2 || !log[0].Manual || log[0].Outcome != contacts.DeliveryDelivered || log[0].Attempt != 1 {
			t.Fatalf("log %+v", log)
		}
		if _, err := e.svc.RedeliverWebhook(ctx, e.admin, e.project, w.ID, first.ID+1000); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("unknown delivery: %v", err)
		}
		no := false
		if _, err := e.svc.UpdateWebhook(ctx, e.admin, e.project, w.ID, contacts.WebhookInput{Active: &no}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RedeliverWebhook(ctx, e.admin, e.project, w.ID, first.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("inactive endpoint: %v", err)
		}
	})
}

// A contact erased before its events went out is never sent; its deletion is.
func TestErasedContactIsNotSent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		r := newReceiver(t, nil)
		w := e.hook(r.URL)
		c := e.createContact(contacts.ContactInput{Email: str("gone@example.com")})
		if err := e.svc.DeleteContact(context.Background(), e.admin, e.project, c.ID, false); err != nil {
			t.Fatal(err)
		}
		e.deliver()
		got := r.requests()
		if len(got) != 1 || strings.Contains(string(got[0].body), "gone@example.com") {
			t.Fatalf("sent %d, first %s", len(got), got[0].body)
		}
		if env, _ := event(t, got[0]); env.Type != contacts.EventContactDeleted {
			t.Fatalf("sent %s", env.Type)
		}
		log := e.deliveries(w.ID)
		if len(log) != 2 || log[1].Outcome != contacts.DeliverySkipped || log[1].StatusCode != 0 {
			t.Fatalf("log %+v", log)
		}
	})
}

// A new dispatcher over the same database continues from the stored
// cursor: nothing twice, nothing lost.
func TestCursorSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	run := func(t *testing.T, open func() *sqlstore.DB) {
		r := newReceiver(t, nil)
		db := open()
		e := newEnv(t, db)
		e.hook(r.URL, contacts.EventContactCreated)
		e.createContact(contacts.ContactInput{Email: str("before@example.com")})
		e.deliver()
		e.createContact(contacts.ContactInput{Email: str("between@example.com")})
		db.Close() // stopped before fanning that one out

		db2 := open()
		t.Cleanup(func() { db2.Close() })
		e2 := newEnv(t, db2)
		e2.project = e.project
		e2.createContact(contacts.ContactInput{Email: str("after@example.com")})
		e2.deliver()
		seen := map[string]int{}
		for _, c := range r.requests() {
			env, _ := event(t, c)
			seen[env.ID]++
		}
		if len(seen) != 3 {
			t.Fatalf("events %v, want 3 distinct", seen)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("%s delivered %d times", id, n)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		path := t.TempDir() + "/hooks.db"
		run(t, func() *sqlstore.DB {
			db, err := sqlstore.Open(ctx, path, sqlstore.Options{CacheMiB: 8})
			if err != nil {
				t.Fatal(err)
			}
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqlstore.TestPostgresDSN(t)
		if dsn == "" {
			t.Skip(sqlstore.PostgresTestEnv + " is not set")
		}
		run(t, func() *sqlstore.DB {
			db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return db
		})
	})
}

func TestBlockPrivateAddresses(t *testing.T) {
	e := newEnv(t, sqlstore.OpenTest(t), func(c *Config) { c.BlockPrivate = true })
	r := newReceiver(t, nil) // on 127.0.0.1
	w := e.hook(r.URL, contacts.EventContactCreated)
	e.createContact(contacts.ContactInput{Email: str("private@example.com")})
	e.deliver()
	if n := len(r.requests()); n != 0 {
		t.Fatalf("a blocked address got %d requests", n)
	}
	log := e.deliveries(w.ID)
	if len(log) != 1 || log[0].Outcome != contacts.DeliveryFailed || log[0].Error != ErrPrivateAddress.Error() {
		t.Fatalf("log %+v", log)
	}
}

func TestRotatedSecretSignsBesideTheNewOne(t *testing.T) {
	e := newEnv(t, sqlstore.OpenTest(t))
	r := newReceiver(t, nil)
	w := e.hook(r.URL, contacts.EventContactCreated)
	rotated, err := e.svc.RotateWebhookSecret(context.Background(), e.admin, e.project, w.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.createContact(contacts.ContactInput{Email: str("rotate@example.com")})
	e.deliver()
	got := r.requests()[0]
	sig := got.header.Get(HeaderSignature)
	if strings.Count(sig, "v1=") != 2 {
		t.Fatalf("signature %q", sig)
	}
	for _, secret := range []string{w.Secret, rotated.Secret} {
		if err := Verify(sig, got.body, secret, e.now, Tolerance); err != nil {
			t.Fatalf("verify with %s: %v", secret[:10], err)
		}
	}
}

// A burst reaches an endpoint spaced out; other work can run in between.
func TestSpacing(t *testing.T) {
	e := newEnv(t, sqlstore.OpenTest(t), func(c *Config) { c.Spacing = 0 }) // the default, 100 ms
	r := newReceiver(t, nil)
	e.hook(r.URL, contacts.EventContactCreated)
	for i := range 3 {
		e.createContact(contacts.ContactInput{Email: str(fmt.Sprintf("burst%d@example.com", i))})
	}
	if n := e.deliver(); n != 1 {
		t.Fatalf("the first of a burst: %d jobs ran", n)
	}
	for _, step := range []struct {
		wait time.Duration
		want int
	}{{50 * time.Millisecond, 0}, {50 * time.Millisecond, 1}, {50 * time.Millisecond, 0}, {50 * time.Millisecond, 1}, {time.Hour, 0}} {
		e.now = e.now.Add(step.wait)
		if n := e.runJobs(); n != step.want {
			t.Fatalf("%s later: %d jobs ran, want %d", e.now.Format("15:04:05.000"), n, step.want)
		}
	}
	if n := len(r.requests()); n != 3 {
		t.Fatalf("%d deliveries", n)
	}
}

// Run fans out on its own and the worker delivers, as in serve.
func TestRunLoop(t *testing.T) {
	e := newEnv(t, sqlstore.OpenTest(t), func(c *Config) { c.Poll = 10 * time.Millisecond })
	r := newReceiver(t, nil)
	e.hook(r.URL, contacts.EventContactCreated)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { e.d.Run(ctx); done <- struct{}{} }()
	go func() { e.worker.Run(ctx); done <- struct{}{} }()
	e.createContact(contacts.ContactInput{Email: str("loop@example.com")})
	deadline := time.Now().Add(5 * time.Second)
	for len(r.requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	<-done
	if n := len(r.requests()); n != 1 {
		t.Fatalf("%d deliveries", n)
	}
}
