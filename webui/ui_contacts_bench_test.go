package webui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// BenchmarkContactListPage renders GET /contacts through the real handler
// (session check, the list query with its total, saved filters, the whole
// page's template) over a large store, as a signed-in admin. One op is one
// page; the "fragment" cases are what search-as-you-type fetches.
//
// With SWITCHBOARD_BENCH_DB it uses the "Bench" project of a database that
// `sbbench seed` filled (docs/benchmarks.md), adding a user and a session to
// it; otherwise it seeds SWITCHBOARD_BENCH_N synthetic contacts (default
// 100,000) into a temp SQLite file first (not timed).
//
//	SWITCHBOARD_BENCH_DB=bench.db go test -tags sqlite_fts5 -run '^$' -bench ContactListPage -benchtime 200x ./webui/
//
// The "cold" cases change the query on every op (an upper creation bound a
// millisecond apart), so each one is the first request of a new view: the
// exact total is counted and the list walked, nothing comes from the
// store's page cache. The others are the same request repeated, as when a
// user pages or a search box asks again.
func BenchmarkContactListPage(b *testing.B) {
	srv, cookie, closeFn := benchListServer(b)
	defer closeFn()
	h := srv.App().Handler()
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	// fresh is never the same twice in a process, so a cold case's
	// query is new even across the benchmark's warm-up run.
	fresh := func() string {
		benchSeq++
		return far.Add(time.Duration(benchSeq) * time.Millisecond).Format(time.RFC3339Nano)
	}
	cases := []struct {
		name     string
		url      func(i int) string
		fragment bool
	}{
		{"first_page_cold", func(int) string { return "/contacts?created_to=" + fresh() }, false},
		{"first_page", func(int) string { return "/contacts" }, false},
		{"page_20000", func(int) string { return "/contacts?page=20000" }, false},
		{"deep_page_cold", func(int) string { return "/contacts?page=20000&created_to=" + fresh() }, false},
		{"filtered_cold", func(int) string { return "/contacts?channel=telegram&has_email=true&created_to=" + fresh() }, false},
		{"filtered", func(int) string { return "/contacts?channel=telegram&has_email=true&tags=vip" }, false},
		{"sort_name", func(int) string { return "/contacts?sort=name&page=3" }, false},
		{"search_fragment", func(i int) string { return "/contacts?q=" + []string{"smit", "garc", "ana", "maria", "4155"}[i%5] }, true},
		{"search_fragment_cold", func(int) string { benchSeq++; return "/contacts?q=" + synthTerm(benchSeq) }, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var ctx fasthttp.RequestCtx
			var bytes int
			b.ResetTimer()
			for i := range b.N {
				uri := tc.url(i)
				ctx.Request.Reset()
				ctx.Response.Reset()
				ctx.ResetUserValues()
				ctx.Request.Header.SetMethod("GET")
				ctx.Request.SetRequestURI(uri)
				ctx.Request.Header.SetCookie(sessionCookie, cookie)
				if tc.fragment {
					ctx.Request.Header.Set("X-Fragment", "1")
				}
				h(&ctx)
				if ctx.Response.StatusCode() != 200 {
					b.Fatalf("%s: status %d: %s", uri, ctx.Response.StatusCode(), ctx.Response.Body())
				}
				bytes = len(ctx.Response.Body())
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/page")
			b.ReportMetric(float64(bytes)/1024, "KiB")
		})
	}
}

// benchSeq numbers the cold cases' queries.
var benchSeq int

// synthTerm is a search term a user might type that the other cases do not
// repeat: an email fragment of some synthetic contact.
func synthTerm(i int) string {
	c := synth.Contact(1, 1+i*7919%900_000, time.Now())
	if c.Email != "" {
		return c.Email[:len(c.Email)/2]
	}
	return c.LastName
}

// benchListServer is a server over the bench store and a session cookie of
// an admin of its Bench project.
func benchListServer(b *testing.B) (*Server, string, func()) {
	b.Helper()
	ctx := context.Background()
	var db *sqlstore.DB
	if path := os.Getenv("SWITCHBOARD_BENCH_DB"); path != "" {
		var err error
		if db, err = sqlstore.Open(ctx, path, sqlstore.Options{}); err != nil {
			b.Fatal(err)
		}
	} else {
		db = sqlstore.OpenTest(b)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := contacts.NewService(contacts.Config{Store: db, Logger: logger})
	p, err := svc.ProjectByName(ctx, "Bench")
	if errors.Is(err, contacts.ErrNotFound) {
		if p, err = svc.CreateProject(ctx, "Bench"); err == nil {
			err = seedBench(ctx, db, p.ID)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	const email, password = "bench-ui@example.com", "bench ui password"
	if _, _, err := svc.AddUser(ctx, p.ID, email, contacts.RoleAdmin, password); err != nil && !errors.Is(err, contacts.ErrConflict) {
		b.Fatal(err)
	}
	_, secret, err := svc.Login(ctx, email, password)
	if err != nil {
		b.Fatal(err)
	}
	srv := New(Config{Service: svc, Logger: logger, DataDir: b.TempDir()})
	return srv, secret, func() {
		svc.Close()
		if os.Getenv("SWITCHBOARD_BENCH_DB") != "" {
			db.Close()
		}
	}
}

func seedBench(ctx context.Context, db *sqlstore.DB, project int64) error {
	n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_N"))
	if n <= 0 {
		n = 100_000
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	for start := 0; start < n; start += 10_000 {
		batch := make([]*contacts.Contact, 0, 10_000)
		for i := start; i < min(start+10_000, n); i++ {
			batch = append(batch, synth.Contact(project, i, now))
		}
		if err := db.BulkInsertContacts(ctx, batch); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return nil
}
