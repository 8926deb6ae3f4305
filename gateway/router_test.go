package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// recordingSender stands in for a channel adapter: it records what it was
// asked to send and fails the first failures calls.
type recordingSender struct {
	mu       sync.Mutex
	sent     []channels.Outbound
	failures int
	err      error
}

func (s *recordingSender) Send(_ context.Context, m channels.Outbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 {
		s.failures--
		return "", s.err
	}
	s.sent = append(s.sent, m)
	return fmt.Sprint("peer-", len(s.sent)), nil
}

func (s *recordingSender) texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.sent {
		out = append(out, m.To+": "+m.Text)
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// echo answers each customer message with "re: " and its text, so the
// router's mechanics show plainly; a handoff plan gets handoffText.
type echo struct{}

const handoffText = "A person will reply."

func (echo) Respond(_ context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
	if req.Plan.Handoff {
		return &ai.Reply{Text: handoffText, Handoff: true}, nil
	}
	return &ai.Reply{Text: "re: " + req.History[len(req.History)-1].Text}, nil
}

type env struct {
	db      *sqlstore.DB
	svc     *contacts.Service
	router  *Router
	sender  *recordingSender
	project int64
	now     time.Time
}

func eachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": sqlstore.OpenTest, "postgres": sqlstore.OpenTestPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			if db == nil {
				t.Skip(sqlstore.PostgresTestEnv + " is not set")
			}
			e := &env{db: db, sender: &recordingSender{}, now: time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)}
			clock := func() time.Time { return e.now }
			e.svc = contacts.NewService(contacts.Config{Store: db, Clock: clock})
			p, err := e.svc.CreateProject(context.Background(), "P")
			if err != nil {
				t.Fatal(err)
			}
			e.project = p.ID
			e.router = New(Config{Service: e.svc, Queue: db, Responder: echo{}, Clock: clock, Logger: quiet,
				Senders: map[string]channels.Sender{string(contacts.ChannelTelegram): e.sender}})
			fn(t, e)
		})
	}
}

func (e *env) receive(t *testing.T, from, id, text string) *contacts.InboundResult {
	t.Helper()
	e.now = e.now.Add(time.Second)
	res, err := e.router.Receive(context.Background(), contacts.Inbound{ProjectID: e.project, Channel: contacts.ChannelTelegram,
		ExternalID: from, Hints: contacts.Hints{FirstName: "Ana"}, ChannelMessageID: id, Text: text, At: e.now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// drain runs every due job.
func (e *env) drain(t *testing.T) {
	t.Helper()
	for {
		ran, err := e.router.Worker().RunOne(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

func TestRouterAnswersOnceAndStoresTheReply(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		res := e.receive(t, "501", "501:1", "hello")
		e.receive(t, "501", "501:1", "hello") // redelivered webhook
		e.drain(t)
		e.receive(t, "501", "501:2", "are you there?")
		e.drain(t)
		want := []string{"501: re: hello", "501: re: are you there?"}
		if fmt.Sprint(e.sender.texts()) != fmt.Sprint(want) {
			t.Errorf("sent %q, want %q", e.sender.texts(), want)
		}
		msgs, _ := e.svc.ListMessages(context.Background(), e.project, res.Conversation.ID, 0, 0)
		if len(msgs) != 4 || msgs[1].SenderKind != contacts.SenderBot || msgs[1].Status != contacts.StatusSent {
			t.Errorf("stored messages: %+v", msgs)
		}
	})
}

func TestRouterRetriesAFailingPeerWithoutDuplicates(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.sender.failures, e.sender.err = 2, &channels.RetryableError{After: 30 * time.Second, Err: errors.New("429 Too Many Requests")}
		res := e.receive(t, "502", "502:1", "hi")
		e.drain(t)
		if len(e.sender.texts()) != 0 {
			t.Fatal("sent despite the failure")
		}
		if msgs, _ := e.svc.ListMessages(context.Background(), e.project, res.Conversation.ID, 0, 0); len(msgs) != 2 ||
			msgs[1].Status != contacts.StatusQueued+": retryable: 429 Too Many Requests" {
			t.Errorf("a reply waiting for its retry: %+v", msgs)
		}
		e.now = e.now.Add(5 * time.Second) // past the first backoff, before Retry-After
		e.drain(t)
		if len(e.sender.texts()) != 0 {
			t.Fatal("retried before Retry-After")
		}
		for i := 0; i < 2; i++ {
			e.now = e.now.Add(time.Minute)
			e.drain(t)
		}
		if len(e.sender.texts()) != 1 {
			t.Fatalf("sent %d times, want once", len(e.sender.texts()))
		}
		msgs, _ := e.svc.ListMessages(context.Background(), e.project, res.Conversation.ID, 0, 0)
		if len(msgs) != 2 || msgs[1].Status != contacts.StatusSent {
			t.Errorf("one stored reply, sent: %+v", msgs)
		}
	})
}

// A peer that keeps refusing: the reply is retried, then given up with the
// peer's error on the message.
func TestRouterGivesUpWithThePeersError(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.router.Worker().MaxAttempts = 3
		e.sender.failures, e.sender.err = 100, &channels.RetryableError{Err: errors.New("503 Service Unavailable")}
		res := e.receive(t, "507", "507:1", "hi")
		for range 10 {
			e.drain(t)
			e.now = e.now.Add(time.Hour)
		}
		msgs, _ := e.svc.ListMessages(context.Background(), e.project, res.Conversation.ID, 0, 0)
		if len(msgs) != 2 || msgs[1].Status != contacts.StatusFailed+": retryable: 503 Service Unavailable" {
			t.Errorf("after the last try: %+v", msgs)
		}
		if e.sender.failures != 100-3 {
			t.Errorf("%d tries, want 3", 100-e.sender.failures)
		}
	})
}

// responderFunc adapts a function to ai.Responder.
type responderFunc func(context.Context, ai.ReplyRequest) (*ai.Reply, error)

func (f responderFunc) Respond(ctx context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
	return f(ctx, req)
}

// STOP committed while the bot was writing its reply: the reply is dropped.
func TestRouterDropsAReplyToWhoOptedOutMeanwhile(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.router = New(Config{Service: e.svc, Queue: e.db, Clock: func() time.Time { return e.now }, Logger: quiet,
			Senders: map[string]channels.Sender{string(contacts.ChannelTelegram): e.sender},
			Responder: responderFunc(func(ctx context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
				if req.History[len(req.History)-1].Text == "hi" {
					e.receive(t, "508", "508:2", "STOP") // while the LLM thinks
				}
				return echo{}.Respond(ctx, req)
			})})
		e.receive(t, "508", "508:1", "hi")
		e.drain(t)
		if texts := e.sender.texts(); len(texts) != 1 || texts[0] != "508: "+OptOutConfirmation {
			t.Errorf("sent %q, want only the opt-out confirmation", texts)
		}
	})
}

// A shared phone merged the sender's contact into another: the message that
// did it is still answered.
func TestRouterAnswersTheMessageThatLinkedContacts(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		phone := "+351912345678"
		holder, err := e.svc.CreateContact(ctx, contacts.Actor{Kind: contacts.ActorAPIKey, Name: "test", Role: contacts.RoleAdmin}, e.project,
			contacts.ContactInput{Phone: &phone})
		if err != nil {
			t.Fatal(err)
		}
		e.receive(t, "509", "509:1", "/start")
		e.now = e.now.Add(time.Second)
		res, err := e.router.Receive(ctx, contacts.Inbound{ProjectID: e.project, Channel: contacts.ChannelTelegram, ExternalID: "509",
			VerifiedPhone: phone, ChannelMessageID: "509:2", Text: "[shared a contact]", At: e.now})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Linked || res.Contact.ID != holder.ID {
			t.Fatalf("linked %v, contact %d, want %d", res.Linked, res.Contact.ID, holder.ID)
		}
		e.drain(t)
		want := []string{"509: re: /start", "509: re: [shared a contact]"}
		if fmt.Sprint(e.sender.texts()) != fmt.Sprint(want) {
			t.Errorf("sent %q, want %q", e.sender.texts(), want)
		}
	})
}

func TestRouterOptOutAndHandoff(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.receive(t, "503", "503:1", "hi")
		e.drain(t)
		e.receive(t, "503", "503:2", "STOP")
		e.drain(t)
		e.receive(t, "503", "503:3", "hello?")
		e.drain(t)
		want := []string{"503: re: hi", "503: " + OptOutConfirmation}
		if fmt.Sprint(e.sender.texts()) != fmt.Sprint(want) {
			t.Errorf("after STOP sent %q", e.sender.texts())
		}
		// A reply still queued when the contact opts out is never sent.
		e.receive(t, "506", "506:1", "hi")
		e.receive(t, "506", "506:2", "stop")
		e.drain(t)
		if texts := e.sender.texts(); len(texts) != 3 || texts[2] != "506: "+OptOutConfirmation {
			t.Errorf("queued greeting after STOP: %q", texts)
		}
		e.receive(t, "504", "504:1", "hi")
		e.drain(t)
		res := e.receive(t, "504", "504:2", "can I talk to a person?")
		e.drain(t)
		e.receive(t, "504", "504:3", "hello??")
		e.drain(t)
		conv, _ := e.svc.Conversation(context.Background(), e.project, res.Conversation.ID)
		texts := e.sender.texts()
		if conv.Assignee != contacts.AssigneeStaff || len(texts) != 5 || texts[4] != "504: "+handoffText {
			t.Errorf("handoff: assignee %s, sent %q", conv.Assignee, texts)
		}
		// Handed back, the bot answers again.
		if err := e.router.Assign(context.Background(), e.project, res.Conversation.ID, contacts.AssigneeBot); err != nil {
			t.Fatal(err)
		}
		e.receive(t, "504", "504:4", "thanks, one more thing")
		e.drain(t)
		if texts := e.sender.texts(); len(texts) != 6 || texts[5] != "504: re: thanks, one more thing" {
			t.Errorf("after the hand-back sent %q", texts)
		}
	})
}

func TestQueuedFollowUpSurvivesARestart(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.receive(t, "505", "505:1", "hi") // acknowledged; no worker ran
		// A new router over the same database, as after a crash and restart.
		restarted := New(Config{Service: e.svc, Queue: e.db, Responder: echo{}, Clock: func() time.Time { return e.now }, Logger: quiet,
			Senders: map[string]channels.Sender{string(contacts.ChannelTelegram): e.sender}})
		if ran, err := restarted.Worker().RunOne(context.Background()); !ran || err != nil {
			t.Fatalf("restarted worker: ran=%v err=%v", ran, err)
		}
		if len(e.sender.texts()) != 1 {
			t.Errorf("sent %q", e.sender.texts())
		}
	})
}

func TestWorkerBackoffAndAbandon(t *testing.T) {
	db := sqlstore.OpenTest(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := NewWorker(db, func() time.Time { return now }, quiet)
	w.MaxAttempts = 3
	calls := 0
	w.Handle("flaky", func(context.Context, *contacts.QueuedJob) error { calls++; return errors.New("boom") })
	db.Enqueue(context.Background(), &contacts.QueuedJob{ProjectID: 1, Kind: "flaky", CreatedAt: now})
	for i := 0; i < 10; i++ {
		w.RunOne(context.Background())
		now = now.Add(time.Hour)
	}
	if calls != 3 {
		t.Errorf("ran %d times, want 3 then abandoned", calls)
	}
	// A peer's Retry-After beyond the cap holds a job back an hour at most.
	w.Handle("rate-limited", func(context.Context, *contacts.QueuedJob) error {
		return &channels.RetryableError{After: 48 * time.Hour, Err: errors.New("429")}
	})
	db.Enqueue(context.Background(), &contacts.QueuedJob{ProjectID: 1, Kind: "rate-limited", CreatedAt: now})
	w.RunOne(context.Background())
	if job, err := db.Claim(context.Background(), now.Add(maxRetryAfter), time.Minute, contacts.JobKinds{Only: []string{"rate-limited"}}); err != nil || job == nil {
		t.Errorf("a 48 h Retry-After held the job past %v (%v)", maxRetryAfter, err)
	}
	if backoff(1) != time.Second || backoff(4) != 8*time.Second || backoff(30) != 10*time.Minute {
		t.Errorf("backoff: %v %v %v", backoff(1), backoff(4), backoff(30))
	}
}

func TestStaffReplies(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		res := e.receive(t, "601", "601:1", "STOP")
		e.drain(t)
		e.sender.failures, e.sender.err = 1, &channels.RetryableError{Err: errors.New("502 Bad Gateway")}
		r, err := e.router.SendAsStaff(ctx, e.project, res.Conversation.ID, "Sorry to see you go, Ana. Your refund is on its way.")
		if err != nil {
			t.Fatal(err)
		}
		if !r.DoNotContact || r.Message.SenderKind != contacts.SenderStaff || r.Message.Status != contacts.StatusQueued+": retryable: 502 Bad Gateway" {
			t.Errorf("staff reply to an opted-out contact: %+v", r)
		}
		e.now = e.now.Add(time.Minute)
		e.drain(t) // the queued retry
		texts := e.sender.texts()
		if len(texts) != 2 || texts[1] != "601: Sorry to see you go, Ana. Your refund is on its way." {
			t.Errorf("sent %q", texts)
		}
		if _, err := e.router.SendAsStaff(ctx, e.project, res.Conversation.ID, "  "); err == nil {
			t.Error("empty staff message accepted")
		}
		if _, err := e.router.SendAsStaff(ctx, e.project+1, res.Conversation.ID, "hi"); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("another project's conversation: %v", err)
		}
		if err := e.svc.CloseConversation(ctx, e.project, res.Conversation.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.CloseConversation(ctx, e.project, res.Conversation.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("closing twice: %v", err)
		}
	})
}
