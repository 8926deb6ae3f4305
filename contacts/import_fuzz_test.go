package contacts_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// FuzzImport imports arbitrary bytes into a fresh project and checks what
// must hold whatever the file: no panic; a file refused whole writes
// nothing; the counts add up to the rows read; exactly the contacts
// counted as created are stored; every failed row is in the error report;
// and the same file again with skip changes nothing. The seeds are in
// testdata/fuzz/FuzzImport (plain go test runs them).
func FuzzImport(f *testing.F) {
	for _, name := range []string{"simple.csv", "google.csv", "outlook.csv", "hubspot.csv", "social.csv", "export.csv", "messy.csv"} {
		if b, err := os.ReadFile(filepath.Join("csvimport", "testdata", name)); err == nil {
			f.Add(b, uint8(0))
		}
	}
	db := sqlstore.OpenTest(f)
	svc := contacts.NewService(contacts.Config{Store: db, Logger: slog.New(slog.DiscardHandler)})
	f.Cleanup(svc.Close)
	actor := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "fuzz", Role: contacts.RoleAdmin}
	dir := f.TempDir()
	n := 0
	policies := []string{contacts.OnDuplicateSkip, contacts.OnDuplicateUpdate, contacts.OnDuplicateCreate}
	f.Fuzz(func(t *testing.T, data []byte, policy uint8) {
		ctx := context.Background()
		n++
		p, err := svc.CreateProject(ctx, "fuzz-"+strconv.Itoa(n))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "in-"+strconv.Itoa(n)+".csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		stored := func() int {
			res, err := svc.ListContacts(ctx, contacts.ListQuery{ProjectID: p.ID, PerPage: 1})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		opts := contacts.ImportOptions{OnDuplicate: policies[int(policy)%len(policies)], CustomUnmapped: policy&4 != 0}
		imp, err := svc.RunImport(ctx, actor, p.ID, contacts.ImportFile{Name: "in.csv", Path: path}, opts, nil)
		var ve *contacts.ValidationError
		if errors.As(err, &ve) {
			if got := stored(); got != 0 {
				t.Fatalf("a refused file wrote %d contacts", got)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status != contacts.JobDone {
			t.Fatalf("status %s: %s", imp.Status, imp.Error)
		}
		if imp.Counts.Sum() != imp.Counts.Rows {
			t.Fatalf("counts %+v do not add up", imp.Counts)
		}
		if got := stored(); got != imp.Counts.Created {
			t.Fatalf("%d contacts stored, %d counted as created (%+v)", got, imp.Counts.Created, imp.Counts)
		}
		if imp.ErrorRows < imp.Counts.Failed {
			t.Fatalf("%d failed rows but %d report lines", imp.Counts.Failed, imp.ErrorRows)
		}
		again, err := svc.RunImport(ctx, actor, p.ID, contacts.ImportFile{Name: "in.csv", Path: path},
			contacts.ImportOptions{CustomUnmapped: opts.CustomUnmapped}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Counts.Created != 0 || again.Counts.Updated != 0 || stored() != imp.Counts.Created {
			t.Fatalf("re-run with skip changed something: %+v after %+v", again.Counts, imp.Counts)
		}
	})
}
