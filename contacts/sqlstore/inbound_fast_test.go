package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// touch is an inbound rule that changes only activity, so a known sender's
// message qualifies for the fast path.
func touch(calls *atomic.Int32, during func()) contacts.InboundApply {
	return func(c *contacts.Contact, _ *contacts.InboundResult, _ bool, _ func(string, string) int64) {
		if calls.Add(1) == 1 && during != nil {
			during()
		}
		c.LastSeenAt, c.LastInboundAt, c.UpdatedAt = time.Now().UTC(), time.Now().UTC(), time.Now().UTC()
	}
}

// The fast path is taken by the usual message, and a write that lands between
// its reads and its write sends the message down the full path instead of
// overwriting that write.
func TestInboundFastPathYieldsToOvertakingWrite(t *testing.T) {
	db := OpenTest(t)
	f := newFixture(t, db)
	ctx := context.Background()
	first := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "77", Hints: contacts.Hints{FirstName: "Ana"},
		ChannelMessageID: "77:1", Text: "hello"})
	in := func(n int) contacts.Inbound {
		return contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelTelegram, ExternalID: "77",
			ChannelMessageID: fmt.Sprint("77:", n), Text: "again", At: f.now}
	}

	var calls atomic.Int32
	res, err := db.RecordInbound(ctx, in(2), time.Hour, touch(&calls, nil))
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 || res.Conversation.ID != first.Conversation.ID || res.Conversation.MessageCount != 2 {
		t.Fatalf("usual message: %d apply calls, conversation %+v", calls.Load(), res.Conversation)
	}

	calls.Store(0)
	rename := func() {
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, first.Contact.ID, contacts.ContactInput{FirstName: str("Anabela")}); err != nil {
			t.Error(err)
		}
	}
	res, err = db.RecordInbound(ctx, in(3), time.Hour, touch(&calls, rename))
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Errorf("overtaken fast path: %d apply calls, want the full path's second", calls.Load())
	}
	if res.Contact.FirstName != "Anabela" || res.Conversation.MessageCount != 3 {
		t.Errorf("after the overtaking rename: name %q, conversation %+v", res.Contact.FirstName, res.Conversation)
	}
	stored, err := db.GetContact(ctx, f.project, first.Contact.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.FirstName != "Anabela" {
		t.Errorf("the rename was overwritten: %q", stored.FirstName)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM messages`); n != 3 {
		t.Errorf("%d messages stored, want 3", n)
	}
}

// Many messages of one sender at once: guards fail and fall back under real
// contention, and every message is stored once with the counters exact.
func TestInboundFastPathConcurrentSender(t *testing.T) {
	db := OpenTest(t)
	f := newFixture(t, db)
	ctx := context.Background()
	first := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "v1", ChannelMessageID: "v1:0", Text: "hi"})
	const n = 60
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var calls atomic.Int32
			// Every message is sent twice, as a webhook retry would.
			for range 2 {
				_, err := db.RecordInbound(ctx, contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelWidget, ExternalID: "v1",
					ChannelMessageID: fmt.Sprint("v1:", i), Text: "m", At: f.now}, time.Hour, touch(&calls, nil))
				if err != nil {
					errs <- err
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM messages`); got != n+1 {
		t.Errorf("%d messages, want %d", got, n+1)
	}
	if got := count(t, db, `SELECT message_count FROM conversations WHERE id = ?`, first.Conversation.ID); got != n+1 {
		t.Errorf("message_count %d, want %d", got, n+1)
	}
	if got := count(t, db, `SELECT COUNT(*) FROM queue WHERE kind = ?`, contacts.JobInboundMessage); got != n+1 {
		t.Errorf("%d jobs queued, want %d", got, n+1)
	}
}
