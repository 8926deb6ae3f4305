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
