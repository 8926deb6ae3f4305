package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// BenchmarkExport times a whole export of every contact of a project: the
// store's keyset scan, the file written and moved into a local file store.
// It reports contacts/s, the peak Go heap in use during the run (the
// evidence that memory stays bounded whatever the row count) and the CPU
// time spent (reader and writer run on two cores at once).
//
// With SWITCHBOARD_BENCH_DB it reads the "Bench" project of a database that
// `sbbench seed` filled (docs/benchmarks.md); otherwise it seeds
// SWITCHBOARD_BENCH_N synthetic contacts (default 100,000) into a temp one.
//
//	go test -tags sqlite_fts5 -run '^$' -bench Export -benchtime 1x ./contacts/sqlstore
//	SWITCHBOARD_BENCH_DB=bench.db go test -tags sqlite_fts5 -run '^$' -bench Export/csv -benchtime 1x ./contacts/sqlstore
func BenchmarkExport(b *testing.B) {
	ctx := context.Background()
	db, project := benchExportDB(b)
	for _, format := range []string{contacts.FormatCSV, contacts.FormatNDJSON, contacts.FormatXLSX} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			svc := contacts.NewService(contacts.Config{Store: db})
			defer svc.Close()
			x := contacts.NewExporter(contacts.ExporterConfig{Service: svc, Files: filestore.NewLocal(dir), TempDir: filepath.Join(dir, "tmp")})
			actor := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "bench", Role: contacts.RoleAdmin}
			var peak atomic.Uint64
			stop := make(chan struct{})
			go sampleHeap(&peak, stop)
			rows := 0
			var size int64
			cpu0 := cpuTime()
			b.ResetTimer()
			for range b.N {
				e, err := x.Start(ctx, actor, project, contacts.ExportRequest{Format: format})
				if err != nil {
					b.Fatal(err)
				}
				done := waitExport(b, x, actor, project, e.ID)
				rows, size = done.Rows, done.Size
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			close(stop)
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "contacts/s")
			b.ReportMetric(float64(size)/(1<<20), "file-MiB")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

func benchExportDB(b *testing.B) (*DB, int64) {
	ctx := context.Background()
	if path := os.Getenv("SWITCHBOARD_BENCH_DB"); path != "" {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		p, err := contacts.NewService(contacts.Config{Store: db}).ProjectByName(ctx, "Bench")
		if err != nil {
			b.Fatalf("project Bench in %s: %v", path, err)
		}
		return db, p.ID
	}
	n, _ := strconv.Atoi(os.Getenv("SWITCHBOARD_BENCH_N"))
	if n <= 0 {
		n = 100_000
	}
	db := OpenTest(b)
	p, err := contacts.NewService(contacts.Config{Store: db}).CreateProject(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	for start := 0; start < n; start += 10_000 {
		batch := make([]*contacts.Contact, 0, 10_000)
		for i := start; i < min(start+10_000, n); i++ {
			batch = append(batch, synth.Contact(p.ID, i, now))
		}
		if err := db.BulkInsertContacts(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	return db, p.ID
}

// waitExport polls until the export is done.
func waitExport(tb testing.TB, x *contacts.Exporter, actor contacts.Actor, project, id int64) *contacts.Export {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		e, err := x.Get(context.Background(), actor, project, id)
		if err != nil {
			tb.Fatal(err)
		}
		switch e.Job.Status {
		case contacts.JobDone:
			return e
		case contacts.JobFailed:
			tb.Fatalf("export %d failed: %s", id, e.Job.Error)
		}
	}
	tb.Fatalf("export %d did not finish", id)
	return nil
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it says what an export costs when the wall clock cannot.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap records the peak of live heap objects; runtime/metrics reads
// it without stopping the world, unlike runtime.ReadMemStats.
func sampleHeap(peak *atomic.Uint64, stop chan struct{}) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}
