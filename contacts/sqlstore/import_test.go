package sqlstore

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

const fixtures = "../csvimport/testdata/"

// importText writes content to a file and imports it synchronously.
func (f *fixture) importText(t *testing.T, content string, opts contacts.ImportOptions) *contacts.Import {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return f.importFile(t, path, opts)
}

func (f *fixture) importFile(t *testing.T, path string, opts contacts.ImportOptions) *contacts.Import {
	t.Helper()
	imp, err := f.svc.RunImport(context.Background(), f.actor, f.project, contacts.ImportFile{Name: filepath.Base(path), Path: path}, opts, nil)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	checkCounts(t, imp)
	if imp.Status != contacts.JobDone {
		t.Fatalf("import %s: status %s (%s)", path, imp.Status, imp.Error)
	}
	stored, err := f.svc.GetImport(context.Background(), f.project, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Counts != imp.Counts || stored.Status != imp.Status {
		t.Fatalf("stored import %+v %s differs from the run's %+v %s", stored.Counts, stored.Status, imp.Counts, imp.Status)
	}
	return imp
}

// checkCounts asserts the counts add up to the rows read.
func checkCounts(t *testing.T, imp *contacts.Import) {
	t.Helper()
	if imp.Counts.Sum() != imp.Counts.Rows {
		t.Fatalf("counts %+v add up to %d, not the %d rows read", imp.Counts, imp.Counts.Sum(), imp.Counts.Rows)
	}
}

// byEmail loads the project's contact holding an email.
func (f *fixture) byEmail(t *testing.T, email string) *contacts.Contact {
	t.Helper()
	var id int64
	if err := f.db.r.Get(&id, f.db.q(`SELECT id FROM contacts WHERE project_id = ? AND email = ?`), f.project, email); err != nil {
		t.Fatalf("no contact with email %s: %v", email, err)
	}
	c, err := f.svc.GetContact(context.Background(), f.project, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// all lists every contact of the project, oldest first.
func (f *fixture) all(t *testing.T) []*contacts.Contact {
	t.Helper()
	var ids []int64
	if err := f.db.r.Select(&ids, f.db.q(`SELECT id FROM contacts WHERE project_id = ? ORDER BY id`), f.project); err != nil {
		t.Fatal(err)
	}
	out := make([]*contacts.Contact, len(ids))
	for i, id := range ids {
		c, err := f.svc.GetContact(context.Background(), f.project, id)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

func (f *fixture) byName(t *testing.T, first string) *contacts.Contact {
	t.Helper()
	for _, c := range f.all(t) {
		if c.FirstName == first {
			return c
		}
	}
	t.Fatalf("no contact named %s", first)
	return nil
}

func identity(c *contacts.Contact, ch contacts.Channel) string {
	id, _ := c.Identity(ch)
	return id.ExternalID
}

func TestImportFixtures(t *testing.T) {
	type check func(t *testing.T, f *fixture)
	tests := []struct {
		file    string
		created int
		check   check
	}{
		{"simple.csv", 4, func(t *testing.T, f *fixture) {
			ana := f.byEmail(t, "ana@example.com")
			if ana.FirstName != "Ana" || ana.LastName != "Silva" || ana.Phone != "+14155550100" || ana.Company != "Acme Inc" ||
				ana.Notes != "Met at the fair.\nWants a demo, soon." || !reflect.DeepEqual(ana.Tags, []string{"vip", "lead"}) ||
				ana.Channel != contacts.ChannelImport || ana.Sources["email"].Source != contacts.SourceImport {
				t.Errorf("ana %+v", ana)
			}
			if bob := f.byEmail(t, "bob@example.com"); bob.Phone != "+14155550101" {
				t.Errorf("bob %+v", bob)
			}
			if d := f.byEmail(t, "dmitri@example.org"); d.Company != "Globex, Ltd" || d.Notes != `He said "hello"` || d.Phone != "+442079460958" {
				t.Errorf("dmitri %+v", d)
			}
			// A contact with only a name is as visible as any other.
			res, err := f.svc.ListContacts(context.Background(), contacts.ListQuery{ProjectID: f.project, Q: "carla"})
			if err != nil || len(res.Contacts) != 1 || res.Contacts[0].LastName != "Only" {
				t.Errorf("search carla: %v %+v", err, res)
			}
		}},
		{"google.csv", 2, func(t *testing.T, f *fixture) {
			z := f.byEmail(t, "zoe@example.fr")
			if z.FirstName != "Zoë" || z.LastName != "Dubois" || z.Phone != "+33612345678" || z.Company != "Aperture Labs" ||
				z.City != "Paris" || z.Region != "Île-de-France" || z.Country != "FR" || !reflect.DeepEqual(z.Tags, []string{"friends"}) {
				t.Errorf("zoe %+v", z)
			}
			if j := f.byEmail(t, "jose.garcia@example.es"); j.Phone != "+34612345678" || j.Country != "ES" || j.City != "Madrid" {
				t.Errorf("jose %+v", j)
			}
		}},
		{"outlook.csv", 2, func(t *testing.T, f *fixture) {
			j := f.byEmail(t, "jurgen.mueller@example.de")
			if j.FirstName != "Jürgen" || j.LastName != "Müller" || j.Phone != "+4915123456789" || j.Company != "Müller & Söhne GmbH" ||
				j.City != "Berlin" || j.Country != "DE" || j.Notes != "Café meeting €50" || !reflect.DeepEqual(j.Tags, []string{"vip", "partners"}) {
				t.Errorf("jurgen %+v", j)
			}
			if r := f.byEmail(t, "renee@example.fr"); r.FirstName != "Renée" || r.Phone != "+33142685300" {
				t.Errorf("renee %+v", r)
			}
		}},
		{"hubspot.csv", 2, func(t *testing.T, f *fixture) {
			p := f.byEmail(t, "priya@example.in")
			if p.ExternalID != "1501" || p.Phone != "+919876543210" || p.Company != "Tata Example" || p.Region != "Maharashtra" || p.Country != "IN" {
				t.Errorf("priya %+v", p)
			}
			if l := f.byEmail(t, "liam@example.ie"); l.ExternalID != "1502" || l.LastName != "O'Brien" {
				t.Errorf("liam %+v", l)
			}
		}},
		{"social.csv", 4, func(t *testing.T, f *fixture) {
			for first, want := range map[string]struct {
				ch contacts.Channel
				id string
			}{
				"Tele": {contacts.ChannelTelegram, "123456789"}, "Insta": {contacts.ChannelInstagram, "insta_user_1"},
				"Face": {contacts.ChannelMessenger, "1000200030004000"}, "Whats": {contacts.ChannelWhatsApp, "5511912345678"},
			} {
				if got := identity(f.byName(t, first), want.ch); got != want.id {
					t.Errorf("%s: %s id %q, want %q", first, want.ch, got, want.id)
				}
			}
		}},
		{"export.csv", 2, func(t *testing.T, f *fixture) {
			a := f.byEmail(t, "ana@example.com")
			if a.Channel != contacts.ChannelTelegram || a.ExternalID != "crm-17" || a.Context != "Prefers email" ||
				!reflect.DeepEqual(a.Custom, map[string]string{"plan": "gold", "seats": "12"}) || a.City != "San Francisco" ||
				identity(a, contacts.ChannelTelegram) != "99887766" || a.DoNotContact || !reflect.DeepEqual(a.Tags, []string{"vip", "lead"}) {
				t.Errorf("ana %+v", a)
			}
			b := f.byName(t, "Bob")
			if b.Phone != "+14155550101" || b.Notes != "=1+2" || !b.DoNotContact {
				t.Errorf("bob %+v", b)
			}
		}},
		{"utf16le.tsv", 2, func(t *testing.T, f *fixture) {
			if l := f.byEmail(t, "lukasz@example.pl"); l.FirstName != "Łukasz" || l.Phone != "+48512345678" {
				t.Errorf("lukasz %+v", l)
			}
			if e := f.byEmail(t, "eleni@example.gr"); e.FirstName != "Ελένη" {
				t.Errorf("eleni %+v", e)
			}
		}},
		{"utf16be.csv", 1, func(t *testing.T, f *fixture) {
			if h := f.byEmail(t, "hana@example.jp"); h.LastName != "Tanaka" {
				t.Errorf("hana %+v", h)
			}
		}},
		{"messy.csv", 3, func(t *testing.T, f *fixture) {
			f.byEmail(t, "eve@example.com")
			f.byEmail(t, "frank@example.com")
			f.byName(t, "Gina")
		}},
	}
	eachStore(t, func(t *testing.T, db *DB) {
		base := newFixture(t, db)
		for _, tc := range tests {
			t.Run(tc.file, func(t *testing.T) {
				f := &fixture{}
				*f = *base
				p, err := f.svc.CreateProject(context.Background(), "p-"+tc.file)
				if err != nil {
					t.Fatal(err)
				}
				f.project = p.ID
				imp := f.importFile(t, fixtures+tc.file, contacts.ImportOptions{})
				if imp.Counts.Created != tc.created || imp.Counts.Rows != tc.created {
					t.Fatalf("counts %+v, want %d created of %d rows", imp.Counts, tc.created, tc.created)
				}
				if n := len(f.all(t)); n != tc.created {
					t.Fatalf("%d contacts stored, %d reported created", n, tc.created)
				}
				tc.check(t, f)
			})
		}
	})
}

const dupFile = `email,phone,name,tags
a@example.com,+14155550100,Ann One,x
b@example.com,,Ben Two,
A@Example.com,,Ann Again,y
,+1 415 555 0100,Ann by Phone,
,,Name Only,
,,Name Only,
bad-email,,Broken,
c@example.com,not a phone,Broken Too,
,,,
`

func TestImportCountsAndRerun(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		imp := f.importText(t, dupFile, contacts.ImportOptions{})
		want := contacts.ImportCounts{Rows: 8, Created: 3, SkippedInFile: 3, Failed: 2}
		if imp.Counts != want {
			t.Fatalf("counts %+v, want %+v", imp.Counts, want)
		}
		before := f.all(t)
		if len(before) != 3 {
			t.Fatalf("%d contacts", len(before))
		}
		again := f.importText(t, dupFile, contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateSkip})
		if want := (contacts.ImportCounts{Rows: 8, SkippedExisting: 6, Failed: 2}); again.Counts != want {
			t.Fatalf("re-run counts %+v, want %+v", again.Counts, want)
		}
		if after := f.all(t); !reflect.DeepEqual(after, before) {
			t.Fatalf("re-running with skip changed contacts:\n%+v\n%+v", before, after)
		}
		// Failed rows are in the error report, with row, column and reason.
		var buf bytes.Buffer
		if err := f.svc.WriteImportErrors(context.Background(), f.project, again.ID, &buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want2 := [][]string{contacts.ImportReportHeader,
			{"8", "8", "email", "email", "bad-email", "is not a valid email address"},
			{"9", "9", "phone", "phone", "not a phone", "is not a valid phone number"}}
		if !reflect.DeepEqual(recs, want2) {
			t.Fatalf("report %q", recs)
		}
		// Each import is audited once, with its counts.
		entries, err := f.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditImport})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit %v %d", err, len(entries))
		}
		var summary struct {
			Counts contacts.ImportCounts `json:"counts"`
		}
		if err := json.Unmarshal(entries[0].After, &summary); err != nil || summary.Counts != again.Counts {
			t.Fatalf("audit summary %s", entries[0].After)
		}
		job, err := f.svc.GetJob(context.Background(), f.project, again.ID)
		if err != nil || job.Kind != contacts.JobKindImport || job.Status != contacts.JobDone || job.Total != 8 || job.Failed != 2 || job.Done != 6 {
			t.Fatalf("job %+v %v", job, err)
		}
	})
}

func TestImportUpdateNeverBlanks(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		orig := f.create(t, contacts.ContactInput{Name: str("Old Name"), Email: str("u@example.com"), Company: str("Keep Co"),
			Notes: str("keep me"), Tags: &[]string{"old"}})
		imp := f.importText(t, "email,name,company,phone,notes,tags\nu@example.com,,,+14155550123,,new\n",
			contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateUpdate})
		if want := (contacts.ImportCounts{Rows: 1, Updated: 1}); imp.Counts != want {
			t.Fatalf("counts %+v", imp.Counts)
		}
		c := f.byEmail(t, "u@example.com")
		if c.ID != orig.ID || c.FirstName != "Old" || c.Company != "Keep Co" || c.Notes != "keep me" || c.Phone != "+14155550123" ||
			!reflect.DeepEqual(c.Tags, []string{"old", "new"}) || c.Sources["phone"].Source != contacts.SourceImport ||
			c.Sources["company"].Source != contacts.SourceAPI {
			t.Fatalf("updated %+v", c)
		}
		entries, _ := f.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: f.project, ContactID: c.ID, Action: contacts.AuditContactUpdate})
		if len(entries) != 1 {
			t.Fatalf("%d update audit entries, want 1", len(entries))
		}
		// The same file again changes nothing: unchanged.
		again := f.importText(t, "email,name,company,phone,notes,tags\nu@example.com,,,+14155550123,,new\n",
			contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateUpdate})
		if want := (contacts.ImportCounts{Rows: 1, Unchanged: 1}); again.Counts != want {
			t.Fatalf("second update counts %+v", again.Counts)
		}
	})
}

func TestImportDuplicatePolicies(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{Name: str("Ann"), Email: str("a@example.com")})
		b := f.create(t, contacts.ContactInput{Name: str("Bea"), Phone: str("+14155550100")})
		f.create(t, contacts.ContactInput{Name: str("Nora Name")})
		file := "email,phone,name\na@example.com,,Ann New\n,,Nora Name\na@example.com,+14155550100,Both\n"

		created := f.importText(t, file, contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateCreate})
		if want := (contacts.ImportCounts{Rows: 3, Created: 1, Failed: 2}); created.Counts != want {
			t.Fatalf("create counts %+v, want %+v", created.Counts, want)
		}
		updated := f.importText(t, file, contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateUpdate})
		// Ann is renamed; "Nora Name" now matches two contacts; "Both" matches Ann and Bea.
		if want := (contacts.ImportCounts{Rows: 3, Updated: 1, Failed: 2}); updated.Counts != want {
			t.Fatalf("update counts %+v, want %+v", updated.Counts, want)
		}
		if c := f.byEmail(t, "a@example.com"); c.ID != a.ID || c.LastName != "New" {
			t.Fatalf("ann %+v", c)
		}
		var reasons []string
		f.svc.ImportErrors(context.Background(), f.project, updated.ID, func(page []contacts.ImportRowError) error {
			for _, e := range page {
				reasons = append(reasons, e.Reason)
			}
			return nil
		})
		sort.Strings(reasons)
		if len(reasons) != 2 || !strings.Contains(reasons[0], "contact "+strconv.FormatInt(a.ID, 10)+" and contact "+strconv.FormatInt(b.ID, 10)) {
			t.Fatalf("reasons %q", reasons)
		}
	})
}

func TestImportDryRunWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		dry := f.importText(t, dupFile, contacts.ImportOptions{DryRun: true})
		if want := (contacts.ImportCounts{Rows: 8, Created: 3, SkippedInFile: 3, Failed: 2}); dry.Counts != want {
			t.Fatalf("dry counts %+v, want %+v", dry.Counts, want)
		}
		if n := len(f.all(t)); n != 0 {
			t.Fatalf("a dry run wrote %d contacts", n)
		}
		if dry.ErrorRows != 2 {
			t.Fatalf("dry run error report %d", dry.ErrorRows)
		}
	})
}

func TestImportPreview(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		f.create(t, contacts.ContactInput{Name: str("Old"), Email: str("b@example.com")})
		var b strings.Builder
		b.WriteString("Email,Full Name,Shoe\n")
		b.WriteString("a@example.com,Ann One,42\nb@example.com,Ben,43\nbad,Broken,1\n")
		for i := range 30 {
			b.WriteString("x" + strconv.Itoa(i) + "@example.com,X,1\n")
		}
		path := filepath.Join(t.TempDir(), "p.csv")
		os.WriteFile(path, []byte(b.String()), 0o600)
		pv, err := f.svc.PreviewImport(context.Background(), f.actor, f.project, path,
			contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateUpdate, CustomUnmapped: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(pv.Rows) != contacts.PreviewRows || pv.Columns[2].Field != "custom.shoe" {
			t.Fatalf("%d rows, columns %+v", len(pv.Rows), pv.Columns)
		}
		r0, r1, r2 := pv.Rows[0], pv.Rows[1], pv.Rows[2]
		if r0.Action != "create" || r0.Contact.FirstName != "Ann" || r0.Contact.Custom["shoe"] != "42" {
			t.Errorf("row 2: %+v", r0)
		}
		if r1.Action != "update" || r1.ExistingID == 0 || r1.Contact.FirstName != "Ben" {
			t.Errorf("row 3: %+v", r1)
		}
		if r2.Action != "fail" || len(r2.Errors) != 1 || r2.Errors[0].Column != "Email" {
			t.Errorf("row 4: %+v", r2)
		}
		if n := len(f.all(t)); n != 1 {
			t.Fatalf("a preview wrote contacts: %d", n)
		}
	})
}

func TestImportRejectsBadFilesAndOptions(t *testing.T) {
	f := newFixture(t, OpenTest(t))
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i * 7919 % 251)
	}
	wide := strings.Repeat("c,", 100_000) + "email\n"
	tests := []struct {
		name  string
		path  string
		opts  contacts.ImportOptions
		field string
	}{
		{"binary junk", write("junk.bin", junk), contacts.ImportOptions{}, "file"},
		{"empty", write("empty.csv", nil), contacts.ImportOptions{}, "file"},
		{"no known column", write("x.csv", []byte("foo,bar\n1,2\n")), contacts.ImportOptions{}, "file"},
		{"100,000 columns", write("wide.csv", []byte(wide)), contacts.ImportOptions{}, "file"},
		{"unknown field in map", write("ok.csv", []byte("a\n1\n")), contacts.ImportOptions{Map: map[string]string{"a": "emial"}}, "map.a"},
		{"map names a missing column", write("ok2.csv", []byte("email\n1\n")), contacts.ImportOptions{Map: map[string]string{"zz": "email"}}, "map.zz"},
		{"bad on-duplicate", write("ok3.csv", []byte("email\n1\n")), contacts.ImportOptions{OnDuplicate: "merge"}, "on_duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.StartImport(context.Background(), f.actor, f.project, contacts.ImportFile{Name: "x", Path: tc.path}, tc.opts)
			var ve *contacts.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
				t.Fatalf("err %v, want a validation error on %s", err, tc.field)
			}
		})
	}
	agent := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Role: contacts.RoleAgent}
	if _, err := f.svc.StartImport(context.Background(), agent, f.project, contacts.ImportFile{Path: fixtures + "simple.csv"},
		contacts.ImportOptions{}); !errors.Is(err, contacts.ErrForbidden) {
		t.Fatalf("agent import: %v", err)
	}
	if _, err := f.svc.PreviewImport(context.Background(), agent, f.project, fixtures+"simple.csv", contacts.ImportOptions{}); !errors.Is(err, contacts.ErrForbidden) {
		t.Fatalf("agent preview: %v", err)
	}
	if n := len(f.all(t)); n != 0 {
		t.Fatalf("rejected imports wrote %d contacts", n)
	}
}

// Memories come in one per line, as the export writes them, and an update
// adds to the contact's memories rather than replacing them.
func TestImportMemories(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		f.importText(t, "name,email,memories\nAnn Lee,ann@example.com,\"likes tea\r\nprefers email\"\n", contacts.ImportOptions{})
		imp := f.importText(t, "email,memories\nann@example.com,\"prefers email\nbirthday in May\"\n", contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateUpdate})
		if imp.Counts.Updated != 1 {
			t.Fatalf("counts %+v", imp.Counts)
		}
		list, err := f.svc.ListContacts(context.Background(), contacts.ListQuery{ProjectID: f.project, Q: "ann@example.com"})
		if err != nil || len(list.Contacts) != 1 {
			t.Fatalf("%v %+v", err, list)
		}
		if got := strings.Join(list.Contacts[0].Memories, "|"); got != "likes tea|prefers email|birthday in May" {
			t.Errorf("memories %q", got)
		}
	})
}
