package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// BenchmarkWebhookFanOut measures the fan-out: audit entries read and
// delivery jobs queued per second, with two endpoints subscribed, in
// batches of 500 entries per transaction and 100 ms spacing (the
// dispatcher's defaults). Each
// op fans out 1,000 contact.update entries, written untimed before it.
//
//	go test -tags sqlite_fts5 -run '^$' -bench WebhookFanOut -benchtime 20x ./contacts/sqlstore/
func BenchmarkWebhookFanOut(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchFanOut(b, OpenTest(b)) })
	b.Run("postgres", func(b *testing.B) {
		db := OpenTestPostgres(b)
		if db == nil {
			b.Skip(PostgresTestEnv + " is not set")
		}
		benchFanOut(b, db)
	})
}

func benchFanOut(b *testing.B, db *DB) {
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	svc := contacts.NewService(contacts.Config{Store: db, Clock: func() time.Time { return now }})
	p, err := svc.CreateProject(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	admin := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "bench", Role: contacts.RoleAdmin}
	for _, u := range []string{"https://a.example.com/", "https://b.example.com/"} {
		url, evs := u, []string{contacts.EventContactUpdated}
		if _, err := svc.CreateWebhook(ctx, admin, p.ID, contacts.WebhookInput{URL: &url, Events: &evs}); err != nil {
			b.Fatal(err)
		}
	}
	const perOp = 1000
	after := []byte(`{"id":1,"email":"ada@example.com","first_name":"Ada"}`)
	var entries, jobs int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			for i := range perOp {
				e := contacts.NewAudit(p.ID, admin, contacts.AuditContactUpdate, int64(i+1), nil, nil, now)
				e.Before, e.After = after, after
				if err := db.appendAudit(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for done := 0; done < perOp; {
			n, err := svc.FanOutWebhooks(ctx, 500, 100*time.Millisecond)
			if err != nil {
				b.Fatal(err)
			}
			done += n.Entries
			entries += n.Entries
			jobs += n.Jobs
		}
	}
	b.StopTimer()
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(entries)/secs, "entries/s")
	b.ReportMetric(float64(jobs)/secs, "jobs/s")
}
