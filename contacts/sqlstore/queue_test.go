package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestQueueClaimOnceLeaseRetry(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		for i := 0; i < 20; i++ {
			if err := db.Enqueue(ctx, &contacts.QueuedJob{ProjectID: 1, Kind: "test", CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		// Ten workers claiming at once never share a job.
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for w := 0; w < 10; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					j, err := db.Claim(ctx, now, time.Minute, contacts.JobKinds{})
					if err != nil {
						t.Error(err)
						return
					}
					if j == nil {
						return
					}
					mu.Lock()
					seen[j.ID]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 20 {
			t.Fatalf("claimed %d distinct jobs, want 20", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("job %d claimed %d times", id, n)
			}
		}
		// A lease that runs out (the worker died) makes the job claimable again.
		j, _ := db.Claim(ctx, now.Add(2*time.Minute), time.Minute, contacts.JobKinds{})
		if j == nil || j.Attempts != 2 {
			t.Fatalf("expired lease: %+v", j)
		}
		if err := db.Retry(ctx, j.ID, now.Add(time.Hour), "peer said 503"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 19; i++ {
			k, _ := db.Claim(ctx, now.Add(2*time.Minute), time.Minute, contacts.JobKinds{})
			if k == nil {
				t.Fatal("ran out of jobs early")
			}
			db.Complete(ctx, k.ID, now)
		}
		if k, _ := db.Claim(ctx, now.Add(3*time.Minute), time.Minute, contacts.JobKinds{}); k != nil {
			t.Errorf("job %d claimed before its retry time", k.ID)
		}
		k, _ := db.Claim(ctx, now.Add(time.Hour), time.Minute, contacts.JobKinds{})
		if k == nil || k.ID != j.ID || k.LastError != "peer said 503" {
			t.Fatalf("retried job: %+v", k)
		}
		db.Abandon(ctx, k.ID, now, "gave up")
		if k, _ := db.Claim(ctx, now.Add(48*time.Hour), time.Minute, contacts.JobKinds{}); k != nil {
			t.Errorf("abandoned job claimed: %+v", k)
		}
	})
}

func TestInboundQueuesItsFollowUp(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		res := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "9", ChannelMessageID: "9:1", Text: "stop"})
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "9", ChannelMessageID: "9:1", Text: "stop"}) // redelivery
		j, err := db.Claim(context.Background(), f.now, time.Minute, contacts.JobKinds{})
		if err != nil || j == nil || j.Kind != contacts.JobInboundMessage {
			t.Fatalf("job: %+v %v", j, err)
		}
		want := `{"message_id":` + itoa(res.Message.ID) + `,"conversation_id":` + itoa(res.Conversation.ID) + `,"contact_id":` + itoa(res.Contact.ID) + `,"opted_out":true}`
		if string(j.Payload) != want {
			t.Errorf("payload %s, want %s", j.Payload, want)
		}
		if k, _ := db.Claim(context.Background(), f.now, time.Minute, contacts.JobKinds{}); k != nil {
			t.Errorf("a redelivery queued a second job: %+v", k)
		}
	})
}

func itoa(i int64) string { return fmt.Sprint(i) }

func TestClaimByKind(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for _, kind := range []string{contacts.JobWebhookDelivery, "reply", "enrich"} {
			if err := db.Enqueue(ctx, &contacts.QueuedJob{ProjectID: f.project, Kind: kind, Payload: []byte(`{}`), RunAt: f.now}); err != nil {
				t.Fatal(err)
			}
		}
		claim := func(k contacts.JobKinds) string {
			j, err := db.Claim(ctx, f.now, time.Minute, k)
			if err != nil {
				t.Fatal(err)
			}
			if j == nil {
				return ""
			}
			return j.Kind
		}
		except := contacts.JobKinds{Except: []string{contacts.JobWebhookDelivery}}
		only := contacts.JobKinds{Only: []string{contacts.JobWebhookDelivery}}
		if got := []string{claim(except), claim(except), claim(except)}; got[0] != "reply" || got[1] != "enrich" || got[2] != "" {
			t.Errorf("all but deliveries: %v", got)
		}
		if got := claim(only); got != contacts.JobWebhookDelivery {
			t.Errorf("only deliveries: %q", got)
		}
		if got := claim(only); got != "" {
			t.Errorf("only deliveries, none left: %q", got)
		}
	})
}
