package sqlstore

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// benchImportRows is the file size of BenchmarkImport: SWITCHBOARD_BENCH_IMPORT_ROWS,
// default 100,000 (docs/benchmarks-import.md gives the command for a million).
func benchImportRows() int {
	if n, err := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_IMPORT_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var (
	benchFirst   = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "Carlos", "Maria", "Ana", "Luis", "Sofia", "Chen", "Wei", "Yuki", "Fatima", "Omar", "Zoë", "Noah", "Emma", "Liam", "Olivia", "Priya", "Arjun"}
	benchLast    = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Lopez", "Wilson", "Anderson", "Taylor", "Moore", "Lee", "Perez", "Silva", "Müller", "Schmidt", "Dubois", "Rossi", "Tanaka", "Kim", "Singh"}
	benchCompany = []string{"Acme Inc", "Globex LLC", "Initech Ltd", "Umbrella Corp", "Stark GmbH", "Wayne Labs", "Hooli Group", "Vandelay Partners"}
	benchTags    = []string{"vip", "lead", "customer", "newsletter", "trial", "partner"}
	benchAreas   = []int{201, 212, 213, 305, 312, 415, 512, 617, 646, 702, 718, 805, 917, 919, 972}
)

// writeBenchCSV writes an n-row contact file shaped like a CRM export:
// every row a name, 80 % an email, 60 % a phone (formatted as people type
// them), half a company, some tags and notes. It is cached in the temp
// directory between runs.
func writeBenchCSV(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("switchboard-bench-import-%d.csv", n))
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("name,email,phone,company,tags,notes\n")
	for i := range n {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		first, last := benchFirst[r.IntN(len(benchFirst))], benchLast[r.IntN(len(benchLast))]
		email, phone, company, tags, notes := "", "", "", "", ""
		if r.IntN(10) < 8 {
			email = fmt.Sprintf("%s.%s.%d@example.com", strings.ToLower(first), strings.ToLower(last), i)
		}
		if r.IntN(10) < 6 {
			area := benchAreas[i%len(benchAreas)]
			k := i / len(benchAreas)
			phone = fmt.Sprintf("+1 (%d) %03d-%04d", area, 200+k/10000%800, k%10000)
		}
		if r.IntN(2) == 0 {
			company = benchCompany[r.IntN(len(benchCompany))]
		}
		if r.IntN(3) == 0 {
			tags = "\"" + benchTags[r.IntN(len(benchTags))] + ", " + benchTags[r.IntN(len(benchTags))] + "\""
		}
		if r.IntN(5) == 0 {
			notes = "Met at the fair; asked about pricing"
		}
		fmt.Fprintf(w, "%s %s,%s,%s,%s,%s,%s\n", first, last, email, phone, company, tags, notes)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkImport imports a generated CSV (benchImportRows rows) into an
// empty SQLite project through the service, as the CLI and the API do,
// and reports rows per second.
//
//	SWITCHBOARD_BENCH_IMPORT_ROWS=1000000 go test -tags sqlite_fts5 -run '^$' -bench BenchmarkImport -benchtime 1x ./contacts/sqlstore/
func BenchmarkImport(b *testing.B) {
	n := benchImportRows()
	path := writeBenchCSV(b, n)
	for range b.N {
		b.StopTimer()
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		svc := contacts.NewService(contacts.Config{Store: db, Logger: slog.New(slog.DiscardHandler)})
		p, err := svc.CreateProject(context.Background(), "Bench")
		if err != nil {
			b.Fatal(err)
		}
		actor := contacts.Actor{Kind: contacts.ActorSystem, Name: "bench", Role: contacts.RoleOwner}
		b.StartTimer()
		t0 := time.Now()
		imp, err := svc.RunImport(context.Background(), actor, p.ID, contacts.ImportFile{Name: "bench.csv", Path: path}, contacts.ImportOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		b.StopTimer()
		if imp.Status != contacts.JobDone || imp.Counts.Rows != n {
			b.Fatalf("import %s %+v", imp.Status, imp.Counts)
		}
		b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
		b.Logf("%d rows in %.1fs: %+v", n, took.Seconds(), imp.Counts)
		svc.Close()
		db.Close()
	}
}
