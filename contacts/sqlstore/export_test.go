package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
	"github.com/switchboard-oss/switchboard/contacts/filestore/s3test"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// exportIDs runs ExportContacts and returns the ids, total and keys it gave.
func exportIDs(t *testing.T, db *DB, q contacts.ListQuery) ([]int64, int, []string, []*contacts.Contact) {
	t.Helper()
	var (
		got   []int64
		total = -1
		keys  []string
		all   []*contacts.Contact
	)
	err := db.ExportContacts(context.Background(), q, true, func(n int, k []string) error {
		total, keys = n, k
		return nil
	}, func(c *contacts.Contact) error {
		got = append(got, c.ID)
		all = append(all, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, total, keys, all
}

// listIDs walks the contact list's cursor mode over q.
func listIDs(t *testing.T, f *fixture, q contacts.ListQuery) []int64 {
	t.Helper()
	q.Cursor, q.PerPage = true, contacts.MaxPerPage
	var out []int64
	for {
		res, err := f.svc.ListContacts(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ids(res.Contacts)...)
		if res.NextAfter == 0 {
			return out
		}
		q.After = res.NextAfter
	}
}

func TestExportContactsMatchesList(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ana := f.create(t, contacts.ContactInput{Name: str("Ana Silva"), Email: str("ana@example.com"), Tags: &[]string{"vip", "eu"},
			TelegramID: str("1001"), WhatsAppID: str("+5511987654321"), Custom: map[string]*string{"plan": str("pro"), "seats": str("3")},
			Memories: &[]string{"likes tea"}, Country: str("BR")})
		bob := f.create(t, contacts.ContactInput{Name: str("Bob Stone"), Phone: str("+14155550123"), Tags: &[]string{"vip"},
			Custom: map[string]*string{"a.b-c": str("x")}})
		cy := f.create(t, contacts.ContactInput{Name: str("Cy Anagram"), Email: str("cy@example.org"), Country: str("DE"), FacebookID: str("fb-9")})
		f.create(t, contacts.ContactInput{Name: str("Dee Nobody")})
		other, err := f.svc.CreateProject(context.Background(), "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateContact(context.Background(), f.actor, other.ID, contacts.ContactInput{Name: str("Ana Elsewhere"),
			Tags: &[]string{"vip"}, Custom: map[string]*string{"secret": str("no")}}); err != nil {
			t.Fatal(err)
		}

		for name, q := range map[string]contacts.ListQuery{
			"all":        {},
			"search":     {Q: "ana"},
			"short":      {Q: "bo"},
			"tag":        {Tags: []string{"vip"}},
			"tags all":   {Tags: []string{"vip", "eu"}, TagsAll: true},
			"has email":  {HasEmail: bptr(true)},
			"no phone":   {HasPhone: bptr(false)},
			"country":    {Countries: []string{"DE"}},
			"channel":    {Channels: []contacts.Channel{contacts.ChannelManual}},
			"search+tag": {Q: "example", Tags: []string{"vip"}},
			"nothing":    {Q: "zzzz-nobody"},
			"sorted":     {Sort: "name", Desc: true, Tags: []string{"vip"}},
		} {
			q.ProjectID = f.project
			got, total, _, _ := exportIDs(t, db, q)
			want := listIDs(t, f, q)
			if !reflect.DeepEqual(got, want) || total != len(want) {
				t.Errorf("%s: export %v (total %d), list %v", name, got, total, want)
			}
		}

		got, total, keys, all := exportIDs(t, db, contacts.ListQuery{ProjectID: f.project})
		if total != 4 || len(got) != 4 || got[0] != ana.ID || got[1] != bob.ID || got[2] != cy.ID {
			t.Fatalf("all: %v total %d", got, total)
		}
		if want := []string{"a.b-c", "plan", "seats"}; !reflect.DeepEqual(keys, want) {
			t.Errorf("custom keys %v, want %v (the other project's are not ours)", keys, want)
		}
		a := all[0]
		if a.Email != "ana@example.com" || !reflect.DeepEqual(a.Tags, []string{"vip", "eu"}) || a.Custom["plan"] != "pro" ||
			!reflect.DeepEqual(a.Memories, []string{"likes tea"}) || a.ProjectID != f.project || a.Country != "BR" ||
			!a.CreatedAt.Equal(f.now) || a.LeadStatus == "" {
			t.Errorf("ana as exported: %+v", a)
		}
		if tg, ok := a.Identity(contacts.ChannelTelegram); !ok || tg.ExternalID != "1001" {
			t.Errorf("ana's identities: %+v", a.Identities)
		}
		if len(a.Identities) != 2 || len(all[1].Identities) != 0 || len(all[2].Identities) != 1 {
			t.Errorf("identities per contact: %d %d %d", len(a.Identities), len(all[1].Identities), len(all[2].Identities))
		}
		// Only the matching contacts' keys.
		if _, _, keys, _ := exportIDs(t, db, contacts.ListQuery{ProjectID: f.project, Countries: []string{"DE"}}); len(keys) != 0 {
			t.Errorf("keys of a contact without custom values: %v", keys)
		}

		// Errors from head and fn stop the scan and come back as they are.
		stop := errors.New("stop")
		n := 0
		err = db.ExportContacts(context.Background(), contacts.ListQuery{ProjectID: f.project}, false,
			func(int, []string) error { return nil }, func(*contacts.Contact) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("fn error: %v after %d", err, n)
		}
		err = db.ExportContacts(context.Background(), contacts.ListQuery{ProjectID: f.project}, false,
			func(int, []string) error { return stop }, func(*contacts.Contact) error { n++; return nil })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("head error: %v after %d", err, n)
		}
	})
}

// TestExportContactsPages crosses several keyset pages, with identities on
// page edges and another project's contacts interleaved.
func TestExportContactsPages(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		other, _ := f.svc.CreateProject(ctx, "Other")
		var mine []*contacts.Contact
		var batch []*contacts.Contact
		for i := range 2*exportPageSize + 300 {
			p := f.project
			if i%7 == 3 {
				p = other.ID
			}
			c := synth.Contact(p, i, f.now)
			c.Identities = []contacts.Identity{{Channel: contacts.ChannelTelegram, ExternalID: fmt.Sprint("tg", i), CreatedAt: f.now}}
			batch = append(batch, c)
			if p == f.project {
				mine = append(mine, c)
			}
		}
		if err := db.BulkInsertContacts(ctx, batch); err != nil {
			t.Fatal(err)
		}
		got, total, _, all := exportIDs(t, db, contacts.ListQuery{ProjectID: f.project})
		if total != len(mine) || len(got) != len(mine) {
			t.Fatalf("exported %d of %d (total %d)", len(got), len(mine), total)
		}
		for i, c := range all {
			if c.ID != mine[i].ID || len(c.Identities) != 1 || c.Identities[0].ExternalID != mine[i].Identities[0].ExternalID {
				t.Fatalf("row %d: %d %+v, want %d %+v", i, c.ID, c.Identities, mine[i].ID, mine[i].Identities)
			}
		}
		tagged := contacts.ListQuery{ProjectID: f.project, Tags: []string{"vip"}}
		got, _, _, _ = exportIDs(t, db, tagged)
		if want := listIDs(t, f, tagged); !reflect.DeepEqual(got, want) {
			t.Errorf("tagged: %d ids, list %d", len(got), len(want))
		}
	})
}

// exportEnv is an Exporter over a store with a clock the test moves.
type exportEnv struct {
	*fixture
	x     *contacts.Exporter
	files contacts.FileStore
	tmp   string
	now   time.Time
}

func newExportEnv(t *testing.T, db *DB, files contacts.FileStore) *exportEnv {
	f := newFixture(t, db)
	e := &exportEnv{fixture: f, files: files, tmp: filepath.Join(t.TempDir(), "tmp"), now: f.now}
	e.x = contacts.NewExporter(contacts.ExporterConfig{Service: f.svc, Files: files, TempDir: e.tmp,
		Clock: func() time.Time { return e.now }, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(f.svc.Close)
	return e
}

func (e *exportEnv) run(t *testing.T, req contacts.ExportRequest) *contacts.Export {
	t.Helper()
	ex, err := e.x.Start(context.Background(), e.actor, e.project, req)
	if err != nil {
		t.Fatal(err)
	}
	return waitExport(t, e.x, e.actor, e.project, ex.ID)
}

func (e *exportEnv) download(t *testing.T, id int64) string {
	t.Helper()
	_, rc, _, err := e.x.Open(context.Background(), e.actor, e.project, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExporter(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		dir := t.TempDir()
		e := newExportEnv(t, db, filestore.NewLocal(dir))
		e.create(t, contacts.ContactInput{Name: str("Ana Silva"), Email: str("ana@example.com"), Tags: &[]string{"vip"}})
		e.create(t, contacts.ContactInput{Name: str("=cmd|' /C calc'!A0"), Email: str("bob@example.com")})
		e.create(t, contacts.ContactInput{Name: str("Cy"), Tags: &[]string{"vip"}})

		done := e.run(t, contacts.ExportRequest{Query: contacts.ListQuery{Tags: []string{"vip"}}, RawQuery: "tags=vip",
			Format: "csv", Columns: []string{"first_name", "email", "tags"}})
		if done.Rows != 2 || done.Job.Total != 2 || done.Job.Done != 2 || done.Size == 0 || done.FileKey == "" ||
			!done.ExpiresAt.Equal(e.now.Add(contacts.DefaultExportTTL)) || done.Status(e.now) != contacts.JobDone {
			t.Errorf("finished export: %+v", done)
		}
		if got, want := e.download(t, done.ID), "\ufefffirst_name,email,tags\nAna,ana@example.com,vip\nCy,,vip\n"; got != want {
			t.Errorf("file %q, want %q", got, want)
		}
		all := e.run(t, contacts.ExportRequest{Columns: []string{"first_name"}})
		if got := e.download(t, all.ID); !strings.Contains(got, "\n'=cmd|' /C\n") {
			t.Errorf("formula not neutralised: %q", got)
		}

		// The audit log has who exported what.
		audit, err := e.svc.Audit(ctx, contacts.AuditQuery{ProjectID: e.project, Action: contacts.AuditContactExport})
		if err != nil || len(audit) != 2 {
			t.Fatalf("audit: %v %v", audit, err)
		}
		if a := audit[1]; a.ActorName != "test" || a.ActorKind != contacts.ActorAPIKey ||
			!strings.Contains(string(a.After), `"query":"tags=vip"`) || !strings.Contains(string(a.After), `"rows":2`) ||
			!strings.Contains(string(a.After), `"format":"csv"`) {
			t.Errorf("audit entry: %+v %s", a, a.After)
		}

		// Agents may not export, see or download exports; other projects
		// see nothing.
		agent := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Name: "agent", Role: contacts.RoleAgent}
		if _, err := e.x.Start(ctx, agent, e.project, contacts.ExportRequest{}); !errors.Is(err, contacts.ErrForbidden) {
			t.Errorf("agent start: %v", err)
		}
		if _, err := e.x.Get(ctx, agent, e.project, done.ID); !errors.Is(err, contacts.ErrForbidden) {
			t.Errorf("agent get: %v", err)
		}
		if _, _, _, err := e.x.Open(ctx, agent, e.project, done.ID); !errors.Is(err, contacts.ErrForbidden) {
			t.Errorf("agent open: %v", err)
		}
		if _, _, _, err := e.x.Open(ctx, e.actor, e.project+1000, done.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("other project: %v", err)
		}

		// Expiry: gone for downloads at once, files deleted by the purge.
		e.now = e.now.Add(contacts.DefaultExportTTL - time.Millisecond)
		e.download(t, done.ID)
		e.now = e.now.Add(time.Millisecond)
		if _, _, _, err := e.x.Open(ctx, e.actor, e.project, done.ID); !errors.Is(err, contacts.ErrExportExpired) {
			t.Errorf("open after expiry: %v", err)
		}
		got, _ := e.x.Get(ctx, e.actor, e.project, done.ID)
		if got.Status(e.now) != contacts.ExportExpired {
			t.Errorf("status after expiry: %s", got.Status(e.now))
		}
		n, err := e.x.PurgeExpired(ctx)
		if err != nil || n != 2 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if _, _, err := e.files.Open(ctx, done.FileKey); err == nil {
			t.Error("expired file still kept")
		}
		got, _ = e.x.Get(ctx, e.actor, e.project, done.ID)
		if got.FileKey != "" || got.Status(e.now) != contacts.ExportExpired || got.Rows != 2 {
			t.Errorf("purged export: %+v", got)
		}
		if n, err := e.x.PurgeExpired(ctx); err != nil || n != 0 {
			t.Errorf("second purge: %d %v", n, err)
		}
	})
}

// failingFiles refuses to keep anything.
type failingFiles struct{ contacts.FileStore }

func (failingFiles) Put(context.Context, string, io.ReadSeeker, int64) error {
	return errors.New("disk full")
}

func TestExporterFailures(t *testing.T) {
	db := OpenTest(t)
	e := newExportEnv(t, db, failingFiles{filestore.NewLocal(t.TempDir())})
	e.create(t, contacts.ContactInput{Name: str("Ana")})
	ex, err := e.x.Start(context.Background(), e.actor, e.project, contacts.ExportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var got *contacts.Export
	for range 500 {
		if got, err = e.x.Get(context.Background(), e.actor, e.project, ex.ID); err != nil || got.Job.Status == contacts.JobFailed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got == nil || got.Job.Status != contacts.JobFailed || got.Job.Error == "" || strings.Contains(got.Job.Error, "disk") {
		t.Fatalf("failed export: %+v", got)
	}
	if _, _, _, err := e.x.Open(context.Background(), e.actor, e.project, ex.ID); !errors.Is(err, contacts.ErrConflict) {
		t.Errorf("open of a failed export: %v", err)
	}
	audit, _ := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project, Action: contacts.AuditContactExport})
	if len(audit) != 0 {
		t.Errorf("a failed export was audited: %+v", audit)
	}
	// Nothing is left in the temp directory.
	if left, _ := os.ReadDir(e.tmp); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	for _, req := range []contacts.ExportRequest{{Format: "pdf"}, {Columns: []string{"nope"}}, {Query: contacts.ListQuery{Sort: "bogus"}}} {
		var ve *contacts.ValidationError
		if _, err := e.x.Start(context.Background(), e.actor, e.project, req); !errors.As(err, &ve) {
			t.Errorf("%+v: %v", req, err)
		}
	}
}

func TestExporterS3(t *testing.T) {
	fake := s3test.New(t, "secret")
	s3, err := filestore.NewS3(filestore.S3Config{Endpoint: fake.URL, Bucket: "exports", AccessKey: "AK", SecretKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	e := newExportEnv(t, OpenTest(t), s3)
	e.create(t, contacts.ContactInput{Name: str("Ana"), Email: str("ana@example.com")})
	done := e.run(t, contacts.ExportRequest{Format: "ndjson", Columns: []string{"email"}})
	want := `{"email":"ana@example.com"}` + "\n"
	if got := e.download(t, done.ID); got != want {
		t.Errorf("download %q", got)
	}
	obj, ok := fake.Object("/exports/" + done.FileKey)
	if !ok || !bytes.Equal(obj, []byte(want)) {
		t.Errorf("bucket holds %q (%v); requests %v", obj, ok, fake.Requests())
	}
	e.now = e.now.Add(25 * time.Hour)
	if n, err := e.x.PurgeExpired(context.Background()); n != 1 || err != nil || fake.Objects() != 0 {
		t.Errorf("purge: %d %v, %d objects left", n, err, fake.Objects())
	}
}

func TestExporterRemovesStaleTemp(t *testing.T) {
	dir := t.TempDir()
	f := newFixture(t, OpenTest(t))
	x := contacts.NewExporter(contacts.ExporterConfig{Service: f.svc, Files: filestore.NewLocal(dir), TempDir: dir})
	stale, fresh := filepath.Join(dir, "switchboard-export-1.part"), filepath.Join(dir, "switchboard-export-2.part")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-25 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := x.PurgeExpired(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}

// holdFiles keeps every finished file waiting until release is closed.
type holdFiles struct {
	*filestore.Local
	release chan struct{}
}

func (h holdFiles) PutFile(ctx context.Context, key, path string) error {
	<-h.release
	return h.Local.PutFile(ctx, key, path)
}

func TestExporterRunsFewAtOnce(t *testing.T) {
	f := newFixture(t, OpenTest(t))
	t.Cleanup(f.svc.Close)
	files := holdFiles{filestore.NewLocal(t.TempDir()), make(chan struct{})}
	x := contacts.NewExporter(contacts.ExporterConfig{Service: f.svc, Files: files, TempDir: t.TempDir(), Parallel: 1,
		Logger: slog.New(slog.DiscardHandler)})
	f.create(t, contacts.ContactInput{Name: str("Ana")})
	first, err := x.Start(context.Background(), f.actor, f.project, contacts.ExportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := x.Start(context.Background(), f.actor, f.project, contacts.ExportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// Either may take the one slot; the other waits, queued.
	status := func(id int64) string {
		e, err := x.Get(context.Background(), f.actor, f.project, id)
		if err != nil {
			t.Fatal(err)
		}
		return e.Job.Status
	}
	for i := 0; i < 200 && status(first.ID) != contacts.JobRunning && status(second.ID) != contacts.JobRunning; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	got := []string{status(first.ID), status(second.ID)}
	slices.Sort(got)
	if want := []string{contacts.JobQueued, contacts.JobRunning}; !slices.Equal(got, want) {
		t.Errorf("statuses %v while one export holds the slot, want %v", got, want)
	}
	close(files.release)
	waitExport(t, x, f.actor, f.project, first.ID)
	waitExport(t, x, f.actor, f.project, second.ID)
}

func TestDecodeStringList(t *testing.T) {
	for _, raw := range []string{``, `[]`, `["vip"]`, `["vip","eu"]`, `["a,b","c"]`, `["say \"hi\"","x"]`, `["ü","😀"]`,
		`[ "spaced" , "x" ]`, `["a\\b"]`, `[""]`, `["a", "b"]`, `["a",",","b"]`, `["",""]`, `["\u003c"]`} {
		var got []string
		if err := decodeStringList(raw, &got); err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		var want []string
		if raw != "" {
			json.Unmarshal([]byte(raw), &want)
		}
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
	var got []string
	if err := decodeStringList(`["broken`, &got); err == nil {
		t.Error("broken JSON accepted")
	}
}

// A value holding the packing separator (written past validation) is read
// again column by column, and comes out whole.
func TestExportContactsSeparatorInData(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		odd := synth.Contact(f.project, 1, f.now)
		odd.Notes, odd.City = "a\x1fb", "x\x1f"
		plain := synth.Contact(f.project, 2, f.now)
		if err := db.BulkInsertContacts(context.Background(), []*contacts.Contact{odd, plain}); err != nil {
			t.Fatal(err)
		}
		_, _, _, all := exportIDs(t, db, contacts.ListQuery{ProjectID: f.project})
		if len(all) != 2 || all[0].Notes != "a\x1fb" || all[0].City != "x\x1f" || all[0].Email != odd.Email ||
			all[1].Email != plain.Email || all[1].FirstName != plain.FirstName || !reflect.DeepEqual(all[1].Tags, plain.Tags) {
			t.Errorf("exported %+v\n%+v", all[0], all[1])
		}
	})
}

func TestExportRawUnpack(t *testing.T) {
	parts := []string{"Ana", "Silva", "ana@x.io", "", "Acme", "", "api", "n", "c", "[]", `["vip"]`, "BR", "", "", "{}", "new", "cold"}
	var r exportRaw
	if !r.unpack(strings.Join(parts, exportSep)) || r.FirstName != "Ana" || r.Email.String != "ana@x.io" || r.Phone.Valid ||
		r.Tags != `["vip"]` || r.LeadScore != "cold" || r.Country != "BR" || r.Custom != "{}" {
		t.Errorf("unpacked %+v", r)
	}
	for _, bad := range []string{strings.Join(parts[:16], exportSep), strings.Join(append(parts, "extra"), exportSep), ""} {
		if r.unpack(bad) {
			t.Errorf("%q unpacked", bad)
		}
	}
}
