package webui

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
	"github.com/switchboard-oss/switchboard/contacts/filestore/s3test"
)

// exportTestEnv is a server whose exporter keeps files in a temp dir (or
// the given store) and reads a clock the test moves.
type exportTestEnv struct {
	*testEnv
	mu  sync.Mutex
	now time.Time
}

func (e *exportTestEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *exportTestEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// testAgentRole marks requests that act as an agent of the env's project.
const testAgentRole = "X-Test-Agent"

func newExportTestEnv(t *testing.T, files contacts.FileStore) *exportTestEnv {
	t.Helper()
	ee := &exportTestEnv{now: contacts.SystemClock()}
	dir := t.TempDir()
	if files == nil {
		files = filestore.NewLocal(dir)
	}
	var project int64
	ee.testEnv = newEnv(t, func(s *Server) {
		s.exports = contacts.NewExporter(contacts.ExporterConfig{Service: s.svc, Files: files,
			TempDir: filepath.Join(dir, "tmp"), Clock: ee.clock, Logger: s.log})
		// Staff sessions come later; an agent is faked by a header.
		s.auth = append([]authenticator{func(c *fiber.Ctx) (*principal, error) {
			if c.Get(testAgentRole) == "" {
				return nil, nil
			}
			return &principal{Actor: contacts.Actor{Kind: contacts.ActorUser, ID: 42, Name: "agent@example.com", Role: contacts.RoleAgent},
				ProjectID: project}, nil
		}}, s.auth...)
	})
	project = ee.project.ID
	return ee
}

// startExport posts an export and waits for it to finish.
func (e *exportTestEnv) startExport(body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do("POST", "/api/v1/exports", body).must(e.t, http.StatusAccepted)
	id := r.id()
	if loc := r.header.Get("Location"); loc != "/api/v1/exports/"+strconv.FormatInt(id, 10) {
		e.t.Errorf("Location %q", loc)
	}
	if st := r.body["status"]; st != "queued" && st != "running" && st != "done" {
		e.t.Errorf("new export status %v", st)
	}
	return e.waitExport(id)
}

func (e *exportTestEnv) waitExport(id int64) map[string]any {
	e.t.Helper()
	for range 1000 {
		r := e.do("GET", fmt.Sprintf("/api/v1/exports/%d", id), nil).must(e.t, http.StatusOK)
		switch r.body["status"] {
		case "done":
			return r.body
		case "failed":
			e.t.Fatalf("export failed: %s", r.raw)
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.t.Fatalf("export %d did not finish", id)
	return nil
}

func (e *exportTestEnv) download(ex map[string]any) *response {
	e.t.Helper()
	url, _ := ex["download_url"].(string)
	if url == "" {
		e.t.Fatalf("no download url: %v", ex)
	}
	return e.do("GET", url, nil).must(e.t, http.StatusOK)
}

func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Errorf("CSV without a BOM: %q", raw[:min(len(raw), 20)])
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// listedIDs lists the ids GET /api/v1/contacts gives for a query, in id
// order.
func (e *exportTestEnv) listedIDs(query string) []string {
	e.t.Helper()
	r := e.do("GET", "/api/v1/contacts?per_page=200&"+query, nil).must(e.t, http.StatusOK)
	var out []int64
	for _, c := range r.list("contacts") {
		out = append(out, idOf(c))
	}
	slices.Sort(out)
	ids := make([]string, len(out))
	for i, id := range out {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return ids
}

func (e *exportTestEnv) seedExportContacts() {
	e.t.Helper()
	e.createContact(map[string]any{"name": "Ana Silva", "email": "ana@example.com", "phone": "+5511987654321", "company": "Acme, Inc.",
		"tags": []string{"vip", "eu"}, "custom": map[string]any{"plan": "pro"}, "telegram_id": "1001", "notes": "line one\nline \"two\"",
		"memories": []string{"likes tea", "asked about invoices, twice"}, "country": "BR"})
	e.createContact(map[string]any{"name": "=HYPERLINK(\"http://evil.test\") Bob", "email": "bob@example.com", "tags": []string{"vip"},
		"custom": map[string]any{"seats": "-3"}, "facebook_id": "fb-2"})
	e.createContact(map[string]any{"name": "Cy Anagram", "phone": "+14155550123", "country": "DE", "do_not_contact": true})
	e.createContact(map[string]any{"name": "Dee Nobody", "email": "dee@example.org", "tags": []string{"eu"}})
}

func TestExportCSVFollowsTheList(t *testing.T) {
	e := newExportTestEnv(t, nil)
	e.seedExportContacts()
	for _, query := range []string{"", "tags=vip", "q=ana", "tags=vip,eu&tags_mode=all", "has_email=true&sort=-name",
		"country=DE", "q=example&tags=eu", "q=zzzz", "channel=api&per_page=1&page=3&after=0"} {
		ex := e.startExport(map[string]any{"query": query})
		res := e.download(ex)
		if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%q: content type %q", query, ct)
		}
		if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="contacts-`) || !strings.HasSuffix(cd, `.csv"`) {
			t.Errorf("%q: content disposition %q", query, cd)
		}
		recs := readCSV(t, res.raw)
		var got []string
		for _, rec := range recs[1:] {
			got = append(got, rec[0])
		}
		// Paging and cursors do not apply to an export.
		listQuery := strings.ReplaceAll(strings.ReplaceAll(query, "&per_page=1&page=3&after=0", ""), "&sort=-name", "")
		if want := e.listedIDs(listQuery); !reflect.DeepEqual(orNone(got), orNone(want)) {
			t.Errorf("%q: exported %v, listed %v", query, got, want)
		}
		if ex["rows"] != float64(len(got)) || ex["total"] != float64(len(got)) || ex["progress"] != 1.0 || ex["query"] != query {
			t.Errorf("%q: export %v", query, ex)
		}
	}

	// Every column, quoted and neutralised; one custom.<key> per key.
	ex := e.startExport(map[string]any{"query": "tags=vip", "format": "csv"})
	recs := readCSV(t, e.download(ex).raw)
	wantHead := []string{"id", "first_name", "last_name", "email", "phone", "company", "external_id", "channel", "tags", "notes",
		"context", "country", "region", "city", "do_not_contact", "telegram_id", "instagram_id", "facebook_id", "whatsapp_id",
		"custom.plan", "custom.seats", "memories", "lead_status", "lead_score", "created_at", "updated_at", "last_seen_at"}
	if !reflect.DeepEqual(recs[0], wantHead) {
		t.Fatalf("header %v", recs[0])
	}
	cell := func(row int, col string) string { return recs[row][slices.Index(wantHead, col)] }
	for _, c := range []struct{ row, col, want string }{
		{"1", "first_name", "Ana"}, {"1", "company", "Acme, Inc."}, {"1", "phone", "'+5511987654321"}, {"1", "tags", "vip,eu"},
		{"1", "notes", "line one\nline \"two\""}, {"1", "telegram_id", "1001"}, {"1", "custom.plan", "pro"}, {"1", "memories", "likes tea\nasked about invoices, twice"},
		{"1", "do_not_contact", "false"}, {"1", "channel", "api"},
		{"2", "first_name", "'=HYPERLINK(\"http://evil.test\")"}, {"2", "custom.seats", "'-3"}, {"2", "facebook_id", "fb-2"},
		{"2", "custom.plan", ""},
	} {
		row, _ := strconv.Atoi(c.row)
		if got := cell(row, c.col); got != c.want {
			t.Errorf("row %s %s = %q, want %q", c.row, c.col, got, c.want)
		}
	}
	ana := e.do("GET", "/api/v1/contacts/"+cell(1, "id"), nil).must(t, http.StatusOK).body
	if cell(1, "created_at") != ana["created_at"] || cell(1, "lead_status") != ana["lead_status"] {
		t.Errorf("times and lead as the API writes them: %q %q, API %v %v", cell(1, "created_at"), cell(1, "lead_status"), ana["created_at"], ana["lead_status"])
	}

	// The job reports the same progress.
	job := e.do("GET", fmt.Sprintf("/api/v1/jobs/%v", ex["job_id"]), nil).must(t, http.StatusOK).body
	if job["kind"] != "export" || job["status"] != "done" || job["done"] != 2.0 || job["total"] != 2.0 {
		t.Errorf("job %v", job)
	}

	// Audited with the filter, format and row count, by who asked.
	audit, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Action: contacts.AuditContactExport})
	if err != nil || len(audit) != 10 {
		t.Fatalf("audit: %d entries, %v", len(audit), err)
	}
	var after map[string]any
	json.Unmarshal(audit[0].After, &after)
	if audit[0].ActorKind != contacts.ActorAPIKey || after["query"] != "tags=vip" || after["format"] != "csv" || after["rows"] != 2.0 ||
		after["export_id"] != ex["id"] {
		t.Errorf("audit entry %+v %s", audit[0], audit[0].After)
	}
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestExportColumnsAndFormats(t *testing.T) {
	e := newExportTestEnv(t, nil)
	e.seedExportContacts()

	ex := e.startExport(map[string]any{"query": "tags=vip", "columns": []string{"email", "id", "custom.seats"}})
	recs := readCSV(t, e.download(ex).raw)
	ids := e.listedIDs("tags=vip")
	want := [][]string{{"email", "id", "custom.seats"}, {"ana@example.com", ids[0], ""}, {"bob@example.com", ids[1], "'-3"}}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("chosen columns: %q", recs)
	}
	if cols := ex["columns"].([]any); len(cols) != 3 || cols[0] != "email" {
		t.Errorf("columns in the export: %v", ex["columns"])
	}

	// NDJSON: one object per line, each field as the contact JSON has it.
	ex = e.startExport(map[string]any{"format": "ndjson"})
	res := e.download(ex)
	if ct := res.header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("content type %q", ct)
	}
	lines := strings.Split(strings.TrimSuffix(string(res.raw), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines: %s", len(lines), res.raw)
	}
	for _, line := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if len(got) != len(contacts.ExportColumns) {
			t.Errorf("%d keys in %s", len(got), line)
		}
		api := e.do("GET", fmt.Sprintf("/api/v1/contacts/%.0f", got["id"]), nil).must(t, http.StatusOK).body
		for k, v := range got {
			if !reflect.DeepEqual(v, api[k]) {
				t.Errorf("contact %.0f %s: export %#v, API %#v", got["id"], k, v, api[k])
			}
		}
	}

	// XLSX opened back: the same cells as the CSV.
	csvRecs := readCSV(t, e.download(e.startExport(map[string]any{})).raw)
	ex = e.startExport(map[string]any{"format": "xlsx"})
	res = e.download(ex)
	if ct := res.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("content type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Contacts")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(csvRecs) {
		t.Fatalf("%d rows, CSV has %d", len(rows), len(csvRecs))
	}
	for i := range csvRecs {
		for j := range csvRecs[i] {
			var got string
			if j < len(rows[i]) {
				got = rows[i][j]
			}
			if got != csvRecs[i][j] {
				t.Errorf("xlsx row %d %s = %q, CSV %q", i, csvRecs[0][j], got, csvRecs[i][j])
			}
		}
	}
}

func TestExportBadRequests(t *testing.T) {
	e := newExportTestEnv(t, nil)
	for name, tc := range map[string]struct {
		body  any
		field string
	}{
		"format":         {map[string]any{"format": "pdf"}, "format"},
		"column":         {map[string]any{"columns": []string{"id", "password"}}, "columns"},
		"column twice":   {map[string]any{"columns": []string{"id", "id"}}, "columns"},
		"custom key":     {map[string]any{"columns": []string{"custom.no spaces"}}, "columns"},
		"query sort":     {map[string]any{"query": "sort=bogus"}, "query.sort"},
		"query value":    {map[string]any{"query": "has_email=maybe"}, "query.has_email"},
		"query encoding": {map[string]any{"query": "q=%zz"}, "query"},
	} {
		r := e.do("POST", "/api/v1/exports", tc.body).mustError(t, http.StatusUnprocessableEntity, "validation_failed")
		if _, ok := r.errFields()[tc.field]; !ok {
			t.Errorf("%s: no problem for %s: %s", name, tc.field, r.raw)
		}
	}
	for _, body := range []any{"", map[string]any{"filter": "x"}, map[string]any{"columns": "id"}} {
		e.do("POST", "/api/v1/exports", body).mustError(t, http.StatusBadRequest, "bad_request")
	}
	e.do("GET", "/api/v1/exports/999", nil).mustError(t, http.StatusNotFound, "not_found")
	e.do("GET", "/api/v1/exports/abc", nil).mustError(t, http.StatusNotFound, "not_found")
	e.do("GET", "/api/v1/exports/999/download", nil).mustError(t, http.StatusNotFound, "not_found")
	e.doAs("", "POST", "/api/v1/exports", map[string]any{}).mustError(t, http.StatusUnauthorized, "unauthorized")
}

func TestExportAccess(t *testing.T) {
	e := newExportTestEnv(t, nil)
	e.createContact(map[string]any{"name": "Ana"})
	ex := e.startExport(map[string]any{})
	id := strconv.FormatInt(int64(ex["id"].(float64)), 10)

	// Another project's key sees nothing of it.
	_, otherKey := e.newProject("Other")
	e.doAs(otherKey, "GET", "/api/v1/exports/"+id, nil).mustError(t, http.StatusNotFound, "not_found")
	e.doAs(otherKey, "GET", "/api/v1/exports/"+id+"/download", nil).mustError(t, http.StatusNotFound, "not_found")

	// Agents may not export, nor read exports.
	agent := func(method, path string) *response {
		req, _ := http.NewRequest(method, e.base+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(testAgentRole, "1")
		return e.send(req)
	}
	for _, r := range []*response{
		agent("POST", "/api/v1/exports"),
		agent("GET", "/api/v1/exports/"+id),
		agent("GET", "/api/v1/exports/"+id+"/download"),
	} {
		r.mustError(t, http.StatusForbidden, "forbidden")
	}
}

func TestExportExpiry(t *testing.T) {
	e := newExportTestEnv(t, nil)
	e.createContact(map[string]any{"name": "Ana"})
	ex := e.startExport(map[string]any{})
	url := ex["download_url"].(string)
	expires, _ := time.Parse(time.RFC3339, ex["expires_at"].(string))
	if created, _ := time.Parse(time.RFC3339, ex["finished_at"].(string)); expires.Sub(created) != 24*time.Hour {
		t.Errorf("expires %v after finishing, want 24h", expires.Sub(created))
	}
	e.advance(24*time.Hour - time.Second)
	e.download(ex)
	e.advance(time.Second)
	e.do("GET", url, nil).mustError(t, http.StatusGone, "gone")
	got := e.do("GET", fmt.Sprintf("/api/v1/exports/%.0f", ex["id"]), nil).must(t, http.StatusOK).body
	if got["status"] != "expired" || got["download_url"] != nil {
		t.Errorf("expired export: %v", got)
	}
	// The scheduler's purge deletes the file; the answer stays 410.
	if n, err := e.srv.exports.PurgeExpired(context.Background()); n != 1 || err != nil {
		t.Errorf("purge: %d %v", n, err)
	}
	e.do("GET", url, nil).mustError(t, http.StatusGone, "gone")
}

// blockingFiles holds every Put until release is closed.
type blockingFiles struct {
	contacts.FileStore
	release chan struct{}
}

func (b blockingFiles) PutFile(ctx context.Context, key, path string) error {
	<-b.release
	return b.FileStore.(contacts.FileMover).PutFile(ctx, key, path)
}

func TestExportNotReady(t *testing.T) {
	files := blockingFiles{FileStore: filestore.NewLocal(t.TempDir()), release: make(chan struct{})}
	e := newExportTestEnv(t, files)
	e.createContact(map[string]any{"name": "Ana"})
	r := e.do("POST", "/api/v1/exports", map[string]any{"format": "ndjson"}).must(t, http.StatusAccepted)
	e.do("GET", fmt.Sprintf("/api/v1/exports/%d/download", r.id()), nil).mustError(t, http.StatusConflict, "conflict")
	got := e.do("GET", fmt.Sprintf("/api/v1/exports/%d", r.id()), nil).must(t, http.StatusOK).body
	if got["download_url"] != nil || got["status"] == "done" {
		t.Errorf("unfinished export: %v", got)
	}
	close(files.release)
	e.download(e.waitExport(r.id()))
}

func TestExportToS3(t *testing.T) {
	fake := s3test.New(t, "secret")
	s3, err := filestore.NewS3(filestore.S3Config{Endpoint: fake.URL, Bucket: "sb", AccessKey: "AK", SecretKey: "secret", Prefix: "exports/"})
	if err != nil {
		t.Fatal(err)
	}
	e := newExportTestEnv(t, s3)
	e.createContact(map[string]any{"name": "Ana", "email": "ana@example.com"})
	ex := e.startExport(map[string]any{"columns": []string{"email"}})
	if got := string(e.download(ex).raw); got != "\ufeffemail\nana@example.com\n" {
		t.Errorf("download %q", got)
	}
	if fake.Objects() != 1 {
		t.Errorf("bucket requests %v", fake.Requests())
	}
}
