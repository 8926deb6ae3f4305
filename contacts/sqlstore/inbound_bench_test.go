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

// BenchmarkRecordInbound measures the store's side of webhook ingest: 50
// concurrent senders, 10,000 distinct senders of whom half are known
// before the run. Run: go test -tags sqlite_fts5 -run '^$' -bench RecordInbound ./contacts/sqlstore
func BenchmarkRecordInbound(b *testing.B) {
	db := OpenTest(b)
	svc := contacts.NewService(contacts.Config{Store: db})
	ctx := context.Background()
	p, _ := svc.CreateProject(ctx, "Bench")
	now := time.Now()
	for i := 0; i < 5000; i++ {
		if _, err := svc.RecordInbound(ctx, contacts.Inbound{ProjectID: p.ID, Channel: contacts.ChannelTelegram,
			ExternalID: fmt.Sprint(i), ChannelMessageID: fmt.Sprint("seed:", i), Text: "hi", At: now}, 0); err != nil {
			b.Fatal(err)
		}
	}
	var seq atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/50 + 1
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				n := seq.Add(1)
				if _, err := svc.RecordInbound(ctx, contacts.Inbound{ProjectID: p.ID, Channel: contacts.ChannelTelegram,
					ExternalID: fmt.Sprint(n * 7919 % 10000), ChannelMessageID: fmt.Sprint("m:", n), Text: "hello", At: now}, 0); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(seq.Load())/b.Elapsed().Seconds(), "msgs/s")
}

// The raw limits the ingest figure is reported against: the same message
// rows inserted with nothing else, one durable transaction per message and
// then grouped 256 to a transaction, from 50 goroutines through the one
// writer connection.
func BenchmarkBareMessageInsert(b *testing.B) {
	for _, group := range []int{1, 256} {
		b.Run(fmt.Sprintf("per_tx=%d", group), func(b *testing.B) {
			db := OpenTest(b)
			ctx := context.Background()
			db.w.MustExec(`INSERT INTO projects (name, created_at) VALUES ('b', 0)`)
			db.w.MustExec(`INSERT INTO contacts (project_id, channel, lead_status, lead_score, lead_refresh_at, created_at, updated_at) VALUES (1, 'telegram', 'new', 'warm', 0, 0, 0)`)
			db.w.MustExec(`INSERT INTO conversations (project_id, contact_id, channel, started_at, last_message_at) VALUES (1, 1, 'telegram', 0, 0)`)
			var seq atomic.Int64
			var mu sync.Mutex // the writer is one connection: callers queue for it
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N/50 + 1
			for w := 0; w < 50; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < per; i += group {
						mu.Lock()
						tx := db.w.MustBeginTx(ctx, nil)
						for j := 0; j < group; j++ {
							n := seq.Add(1)
							tx.MustExec(`INSERT INTO messages (project_id, conversation_id, direction, sender_kind, text, channel, channel_message_id, created_at)
								VALUES (1, 1, 'inbound', 'contact', 'hello', 'telegram', ?, ?)`, fmt.Sprint("m:", n), n)
						}
						if err := tx.Commit(); err != nil {
							b.Error(err)
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(seq.Load())/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
