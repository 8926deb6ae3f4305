package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

const fixtureDir = "../../contacts/csvimport/testdata/"

func TestImportCommand(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			if _, _, err := runCmd(t, "", "project", "create", "Acme", "--db", dsn); err != nil {
				t.Fatal(err)
			}
			out, errOut, err := runCmd(t, "", "import", fixtureDir+"simple.csv", "--project", "Acme", "--db", dsn)
			if err != nil {
				t.Fatalf("%v\n%s", err, errOut)
			}
			for _, want := range []string{`import 1 of simple.csv into project "Acme": done`, "rows read", "created                                            4"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			out, _, err = runCmd(t, "", "import", "--db", dsn, "--project", "Acme", fixtureDir+"simple.csv")
			if err != nil || !strings.Contains(out, "skipped, duplicate of an existing contact          4") {
				t.Fatalf("re-run: %v\n%s", err, out)
			}

			bad := filepath.Join(t.TempDir(), "bad.csv")
			os.WriteFile(bad, []byte("E Mail,Who\nnope,Ann\nb@example.com,Ben\n"), 0o600)
			report := filepath.Join(t.TempDir(), "report.csv")
			out, _, err = runCmd(t, "", "import", bad, "--project", "Acme", "--db", dsn, "--map", "E Mail=email", "--map", "Who=name",
				"--errors", report, "--dry-run")
			if err != nil || !strings.Contains(out, "dry run (nothing written)") || !strings.Contains(out, "failed                                             1") {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			f, _ := os.Open(report)
			recs, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil || len(recs) != 2 || recs[1][2] != "E Mail" {
				t.Fatalf("report %q %v", recs, err)
			}

			for _, tc := range []struct {
				args []string
				want string
			}{
				{[]string{bad, "--project", "Acme", "--map", "E Mail=emial"}, `unknown field "emial"`},
				{[]string{bad, "--project", "Acme", "--on-duplicate", "merge"}, "on_duplicate: must be skip, update or create"},
				{[]string{bad}, "--project NAME is required"},
				{[]string{"--project", "Acme"}, "name one FILE"},
				{[]string{bad, "--project", "Acme", "--map", "nocolumn"}, "want column=field"},
			} {
				_, errOut, err := runCmd(t, "", append([]string{"import", "--db", dsn}, tc.args...)...)
				if err == nil || !strings.Contains(err.Error()+errOut, tc.want) {
					t.Errorf("%v: err %v, want %q\n%s", tc.args, err, tc.want, errOut)
				}
			}
		})
	}
}

// TestImportCrashResume kills an import with SIGKILL in the middle, checks
// that the database holds exactly the batches the import counted (no
// partly written batch), then resumes it to the same end as an
// uninterrupted import.
func TestImportCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	dsn := filepath.Join(dir, "crash.db")
	if _, _, err := runCmd(t, "", "project", "create", "Acme", "--db", dsn); err != nil {
		t.Fatal(err)
	}
	const n = 200_000
	var b strings.Builder
	b.WriteString("email,name,phone\n")
	for i := range n {
		if i%100 == 99 {
			b.WriteString("broken,Broken Row,\n")
			continue
		}
		b.WriteString("user" + strconv.Itoa(i) + "@example.com,User " + strconv.Itoa(i) + ",\n")
	}
	file := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	child := startChild(t, &out, "import", file, "--project", "Acme", "--db", dsn)
	ro, err := sqlx.Open("sqlite3", "file:"+dsn+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var rows int
	for deadline := time.Now().Add(60 * time.Second); rows < 10_000; time.Sleep(5 * time.Millisecond) {
		ro.Get(&rows, `SELECT COALESCE(MAX(rows_read), 0) FROM imports`)
		if time.Now().After(deadline) {
			t.Fatalf("import made no progress: %s", out.String())
		}
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()

	var st struct {
		ID      int64  `db:"id"`
		Rows    int    `db:"rows_read"`
		Created int    `db:"created"`
		Failed  int    `db:"failed"`
		Errors  int    `db:"error_rows"`
		Status  string `db:"status"`
	}
	if err := ro.Get(&st, `SELECT i.id, i.rows_read, i.created, i.failed, i.error_rows, j.status FROM imports i JOIN jobs j ON j.id = i.id`); err != nil {
		t.Fatal(err)
	}
	var contactsN, reportN int
	ro.Get(&contactsN, `SELECT COUNT(*) FROM contacts`)
	ro.Get(&reportN, `SELECT COUNT(*) FROM import_errors`)
	if st.Rows >= n || st.Status != contacts.JobRunning {
		t.Fatalf("the kill came too late: %+v", st)
	}
	if contactsN != st.Created || reportN != st.Errors || st.Created+st.Failed != st.Rows {
		t.Fatalf("after the crash: %d contacts and %d report lines, the import counted %+v", contactsN, reportN, st)
	}

	out2, errOut, err := runCmd(t, "", "import", "--resume", strconv.FormatInt(st.ID, 10), "--force", "--project", "Acme", "--db", dsn)
	if err != nil {
		t.Fatalf("resume: %v\n%s\n%s", err, out2, errOut)
	}
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	imp, err := db.GetImport(context.Background(), 1, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := contacts.ImportCounts{Rows: n, Created: n - n/100, Failed: n / 100}
	if imp.Status != contacts.JobDone || imp.Counts != want || imp.ErrorRows != n/100 {
		t.Fatalf("resumed: %s %+v (%d report lines), want %+v\n%s", imp.Status, imp.Counts, imp.ErrorRows, want, out2)
	}
	ro.Get(&contactsN, `SELECT COUNT(*) FROM contacts`)
	if contactsN != want.Created {
		t.Fatalf("%d contacts, want %d", contactsN, want.Created)
	}
}
