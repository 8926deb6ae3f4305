package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// benchContact is the i-th contact of an import as the checking stage
// makes it: created now, source channel import, fields from import.
func benchContact(projectID int64, i int, now time.Time) *contacts.Contact {
	first, last := benchFirst[i%len(benchFirst)], benchLast[(i/7)%len(benchLast)]
	c := &contacts.Contact{ProjectID: projectID, FirstName: first, LastName: last, Channel: contacts.ChannelImport,
		CreatedAt: now, UpdatedAt: now, Tags: []string{}}
	if i%10 < 8 {
		c.Email = fmt.Sprintf("%s.%s.%d@example.com", first, last, i)
		c.SetSource("email", contacts.SourceImport, now)
	}
	if i%10 >= 4 {
		area := benchAreas[i%len(benchAreas)]
		k := i / len(benchAreas)
		c.Phone = fmt.Sprintf("+1%d%03d%04d", area, 200+k/10000%800, k%10000)
		c.SetSource("phone", contacts.SourceImport, now)
	}
	if i%2 == 0 {
		c.Company = benchCompany[i%len(benchCompany)]
	}
	if i%3 == 0 {
		c.Tags = []string{benchTags[i%len(benchTags)]}
	}
	c.SetSource("first_name", contacts.SourceImport, now)
	c.SetSource("last_name", contacts.SourceImport, now)
	c.ApplyLead(now)
	return c
}

// BenchmarkImportWrite measures the store side of an import alone: n
// ready contacts written batch by batch (SWITCHBOARD_BENCH_IMPORT_BATCH,
// default 2000) through CommitImportBatch, its lookups included, into an
// empty SQLite database. SWITCHBOARD_BENCH_DROP=1 measures the strategy
// not taken: drop the contacts table's non-unique indexes, load, recreate
// them (docs/benchmarks-import.md).
//
//	SWITCHBOARD_BENCH_IMPORT_ROWS=1000000 go test -tags sqlite_fts5 -run '^$' -bench BenchmarkImportWrite -benchtime 1x ./contacts/sqlstore/
func BenchmarkImportWrite(b *testing.B) {
	n := benchImportRows()
	batch := 2000
	if v, err := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_IMPORT_BATCH")); err == nil && v > 0 {
		batch = v
	}
	for range b.N {
		b.StopTimer()
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		var pid int64
		if err := db.w.Get(&pid, `INSERT INTO projects (name, created_at) VALUES ('Bench', 0) RETURNING id`); err != nil {
			b.Fatal(err)
		}
		imp := &contacts.Import{ProjectID: pid, FileName: "x", Path: "x", Status: contacts.JobRunning, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := db.CreateImport(context.Background(), imp); err != nil {
			b.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		b.StartTimer()
		t0 := time.Now()
		var dropped []string
		if os.Getenv("SWITCHBOARD_BENCH_DROP") != "" {
			var defs []struct {
				Name string `db:"name"`
				SQL  string `db:"sql"`
			}
			db.w.Select(&defs, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('contacts') AND sql IS NOT NULL AND sql NOT LIKE '%UNIQUE%'`)
			for _, d := range defs {
				db.w.Exec(`DROP INDEX ` + d.Name)
				dropped = append(dropped, d.SQL)
			}
			b.Logf("dropped %d indexes", len(dropped))
		}
		for start := 0; start < n; start += batch {
			cs := make([]*contacts.Contact, 0, batch)
			keys := &contacts.ImportKeys{}
			for i := start; i < min(start+batch, n); i++ {
				c := benchContact(pid, i, now)
				cs = append(cs, c)
				if c.Email != "" {
					keys.Emails = append(keys.Emails, c.Email)
				}
				if c.Phone != "" {
					keys.Phones = append(keys.Phones, c.Phone)
				}
			}
			imp.Counts.Rows += len(cs)
			imp.Counts.Created += len(cs)
			_, err := db.CommitImportBatch(context.Background(), &contacts.ImportBatch{ImportID: imp.ID, ProjectID: pid, Keys: keys, At: now,
				Plan: func(*contacts.ImportMatches) (*contacts.ImportPlan, error) {
					return &contacts.ImportPlan{Creates: cs}, nil
				},
				Done: func() (*contacts.Import, []contacts.ImportRowError) { return imp, nil }})
			if err != nil {
				b.Fatal(err)
			}
			if start/batch%50 == 0 {
				b.Logf("%d rows: %.0f/s", start+len(cs), float64(start+len(cs))/time.Since(t0).Seconds())
			}
		}
		tl := time.Now()
		for _, q := range dropped {
			if _, err := db.w.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("load %.1fs, index rebuild %.1fs", tl.Sub(t0).Seconds(), time.Since(tl).Seconds())
		took := time.Since(t0)
		b.StopTimer()
		b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
		b.Logf("%d rows in %.1fs", n, took.Seconds())
		db.Close()
	}
}
