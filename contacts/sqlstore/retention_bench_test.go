package sqlstore

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// BenchmarkListHidden times the read paths the erasure grace period filters
// (list pages, exact and walked counts, search, cursor, GET, stats) on a
// database seeded by `sbbench seed`, so the filter's cost can be compared
// before and after, with and without contacts pending erasure. It needs
// SWITCHBOARD_BENCH_DB (a copy: opening migrates it) and the seeded count in
// SWITCHBOARD_BENCH_N; SWITCHBOARD_BENCH_HIDE=k puts k contacts in the grace
// period first.
func BenchmarkListHidden(b *testing.B) {
	path := os.Getenv("SWITCHBOARD_BENCH_DB")
	if path == "" {
		b.Skip("SWITCHBOARD_BENCH_DB is not set")
	}
	n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_N"))
	if n <= 0 {
		n = 100_000
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := contacts.NewService(contacts.Config{Store: db})
	p, err := svc.ProjectByName(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	if k, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_HIDE")); k > 0 {
		benchHide(b, db, p.ID, k, n)
	}
	yes, no := true, false
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	now := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	lastName := func() string {
		s := synth.Contact(p.ID, r.IntN(n), now).LastName
		return s[:min(4, len(s))]
	}
	cases := []struct {
		name string
		q    func(i int) contacts.ListQuery
	}{
		// A fresh created_from each time defeats the walk cache: every
		// iteration counts and walks the whole project, the cold request.
		{"count_walk_cold", func(i int) contacts.ListQuery {
			return contacts.ListQuery{CreatedFrom: base.Add(time.Duration(i) * time.Millisecond), DoNotContact: &no, Sort: "created_at", Desc: true, Page: 1 + r.IntN(n/50)}
		}},
		{"count_exact_small", func(i int) contacts.ListQuery {
			return contacts.ListQuery{CreatedFrom: base.Add(time.Duration(i) * time.Millisecond), Channels: []contacts.Channel{contacts.ChannelTelegram}, HasEmail: &yes, Sort: "created_at", Desc: true, Page: 1}
		}},
		{"page_recent", func(int) contacts.ListQuery {
			return contacts.ListQuery{Sort: "created_at", Desc: true, Page: 1}
		}},
		{"page_random_warm", func(int) contacts.ListQuery {
			return contacts.ListQuery{CreatedFrom: base, DoNotContact: &no, Sort: "created_at", Desc: true, Page: 1 + r.IntN(n/50)}
		}},
		{"search_prefix", func(int) contacts.ListQuery {
			return contacts.ListQuery{Q: lastName(), Sort: "created_at", Desc: true, Page: 1}
		}},
		{"search_filtered", func(int) contacts.ListQuery {
			return contacts.ListQuery{Q: lastName(), HasEmail: &yes, Sort: "name", Page: 1}
		}},
		{"cursor", func(int) contacts.ListQuery {
			return contacts.ListQuery{Cursor: true, After: int64(r.IntN(n)), Sort: "created_at", Page: 1}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for i := 0; b.Loop(); i++ {
				q := c.q(i)
				q.ProjectID = p.ID
				if _, err := svc.ListContacts(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("get", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			if _, err := db.GetContact(ctx, p.ID, 1+int64(r.IntN(n))); err != nil && err != contacts.ErrNotFound {
				b.Fatal(err)
			}
		}
	})
	b.Run("stats", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			if _, err := db.Stats(ctx, p.ID, now.AddDate(0, -1, 0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuPerOp reports the process's CPU time per iteration (cpu-us/op) beside
// the wall time: on a shared machine the wall time measures the neighbours
// too.
func cpuPerOp(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64((cpu()-start).Microseconds())/float64(b.N), "cpu-us/op")
	}
}

func benchHide(b *testing.B, db *DB, projectID int64, k, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < k; i++ {
		id := 1 + int64(r.IntN(n))
		e := &contacts.Erasure{ProjectID: projectID, ContactID: id, Mode: contacts.ErasureDelete, RequestedAt: time.Now(),
			EraseAfter: time.Now().Add(time.Hour), ActorKind: contacts.ActorSystem}
		if err := db.RequestErasure(ctx, e, contacts.NewAudit(projectID, contacts.SystemActor, contacts.AuditErasureRequest, id, nil, nil, time.Now())); err != nil && err != contacts.ErrNotFound {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetentionRun applies an archive policy (6 months) to a seeded
// database (SWITCHBOARD_BENCH_DB, a copy) once, with -benchtime 1x, while
// another writer commits a small write every 5 ms: max-write-wait-ms is the
// longest that writer waited, so the batching's promise (never holding
// SQLite's single writer for long) is measured, not assumed.
func BenchmarkRetentionRun(b *testing.B) {
	path := os.Getenv("SWITCHBOARD_BENCH_DB")
	if path == "" {
		b.Skip("SWITCHBOARD_BENCH_DB is not set")
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := contacts.NewService(contacts.Config{Store: db})
	p, err := svc.ProjectByName(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	if n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_BATCH")); n > 0 {
		old := retentionBatch
		retentionBatch = n
		defer func() { retentionBatch = old }()
	}
	admin := contacts.Actor{Kind: contacts.ActorSystem, Name: "bench", Role: contacts.RoleOwner}
	if _, err := svc.UpdatePrivacySettings(ctx, admin, p.ID, contacts.PrivacyInput{Retention: &contacts.RetentionInput{
		ArchiveInactiveMonths: func() *int { n := 6; return &n }()}}); err != nil {
		b.Fatal(err)
	}
	stop := make(chan struct{})
	waits := make(chan time.Duration)
	go func() {
		var worst time.Duration
		for {
			select {
			case <-stop:
				waits <- worst
				return
			case <-time.After(5 * time.Millisecond):
			}
			t0 := time.Now()
			if err := db.SetBotSettings(ctx, p.ID, []byte(`{}`), t0); err != nil {
				b.Error(err)
			}
			worst = max(worst, time.Since(t0))
		}
	}()
	archived := 0
	for b.Loop() {
		if os.Getenv("SWITCHBOARD_BENCH_CONTROL") != "" {
			time.Sleep(5 * time.Second) // the probe alone: the machine's own write latency
			continue
		}
		if err := svc.RunRetention(ctx); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	worst := <-waits
	if err := db.r.GetContext(ctx, &archived, `SELECT COUNT(*) FROM contacts WHERE archived_at IS NOT NULL`); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(archived), "archived")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-write-wait-ms")
}
