package webui

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uploadForm posts the wizard's upload form: the file (when name is not
// empty), the fields and the page's CSRF token.
func (c *uiClient) uploadForm(path, name string, data []byte, fields url.Values) page {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(data)
	}
	if _, ok := fields["_csrf"]; !ok {
		mw.WriteField("_csrf", c.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.env.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var draftPath = regexp.MustCompile(`^/imports/new/([0-9]{8}-[0-9]{6}-[0-9a-f]{24})$`)

// startWizard uploads a file through step 1 and returns its token.
func startWizard(t *testing.T, c *uiClient, name, content string, fields url.Values) string {
	t.Helper()
	c.get("/imports/new")
	p := c.uploadForm("/imports/new", name, []byte(content), fields)
	m := draftPath.FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: %d to %q: %s", p.status, p.location, p.body)
	}
	return m[1]
}

// The wizard's file: "Firma" is a company column no header alias knows,
// which the test maps in step 2; row 3 has a bad email, row 5 a bad phone,
// row 6 repeats an existing contact's email (skipped).
const wizardCSV = "Name,E-mail,Phone,Firma,Plan\n" +
	"Ada Lovelace,ada@example.com,+44 20 7946 0000,Analytical Engines,gold\n" +
	"Bad Email,not-an-email,,Nowhere Ltd,silver\n" +
	"Grace Hopper,grace@example.com,,Navy,gold\n" +
	"Bad Phone,badphone@example.com,12,Phoney Inc,\n" +
	"Old Friend,existing@example.com,,Again Corp,\n" +
	"Alan Turing,alan@example.com,+1 415 555 0199,Bletchley,bronze\n"

func TestUIImportWizard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "test", Role: contacts.RoleAdmin}
	if _, err := e.svc.CreateContact(ctx, admin, e.project.ID, contacts.ContactInput{FirstName: dashStrp("Existing"), Email: dashStrp("existing@example.com")}); err != nil {
		t.Fatal(err)
	}
	c := e.owner()

	// Step 1: the form, and its errors answered 200 next to the fields.
	c.get("/imports/new").mustContain(t, `enctype="multipart/form-data"`, `name="on_duplicate" value="skip" checked`, `aria-current="step">Upload`)
	p := c.uploadForm("/imports/new", "", nil, url.Values{"on_duplicate": {"merge"}, "region": {"Narnia"}})
	if p.status != http.StatusOK {
		t.Fatalf("empty upload: %d", p.status)
	}
	p.mustContain(t, "Choose a CSV file to upload.", "Choose what to do with rows", "Use a two-letter country code", `aria-invalid="true"`)
	p = c.uploadForm("/imports/new", "photo.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), url.Values{"on_duplicate": {"skip"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "not a text CSV file") {
		t.Fatalf("binary upload: %d %s", p.status, p.body)
	}

	token := startWizard(t, c, "people.csv", wizardCSV, url.Values{"on_duplicate": {"skip"}})
	dir, err := e.srv.importDir()
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := os.ReadFile(filepath.Join(dir, token+".csv")); err != nil || string(raw) != wizardCSV {
		t.Fatalf("the upload is not kept in the data directory: %v", err)
	}

	// Step 2: every column with its first values and its field; Firma is
	// not recognised.
	p = c.get("/imports/new/" + token)
	p.mustContain(t, "people.csv", `aria-current="step">Columns`, "Analytical Engines", "ada@example.com")
	selected := func(p page, col int) string {
		t.Helper()
		re := regexp.MustCompile(`(?s)<select id="col-` + strconv.Itoa(col) + `".*?</select>`)
		sel := re.FindString(p.body)
		m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(sel)
		if m == nil {
			t.Fatalf("column %d has no selected field: %s", col, sel)
		}
		return m[1]
	}
	for col, want := range []string{"name", "email", "phone", "", ""} {
		if got := selected(p, col); got != want {
			t.Errorf("column %d maps to %q, want %q", col, got, want)
		}
	}

	// Step 3 before the change: no company.
	p = c.get("/imports/new/" + token + "/preview")
	p.mustContain(t, `aria-current="step">Preview`, "Ada", "Fails", "Skipped: duplicate")
	if strings.Contains(p.body, "Analytical Engines") {
		t.Error("the unmapped Firma column shows in the preview")
	}

	// A field that does not exist is refused next to its column.
	form := url.Values{"col.0": {"name"}, "col.1": {"email"}, "col.2": {"phone"}, "col.3": {"bogus"}, "col.4": {""}}
	p = c.postForm("/imports/new/"+token, form)
	if p.status != http.StatusOK || !strings.Contains(p.body, `unknown field &#34;bogus&#34;`) || !strings.Contains(p.body, `id="col-3-error"`) {
		t.Fatalf("unknown field: %d %s", p.status, p.body)
	}
	// Nothing mapped at all is refused too.
	p = c.postForm("/imports/new/"+token, url.Values{"col.0": {""}, "col.1": {""}, "col.2": {""}, "col.3": {""}, "col.4": {""}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Choose a field for at least one column") {
		t.Fatalf("empty mapping: %d", p.status)
	}

	// Step 2 again: Firma fills the company, Plan stays out.
	form.Set("col.3", "company")
	p = c.postForm("/imports/new/"+token, form)
	if p.status != http.StatusSeeOther || p.location != "/imports/new/"+token+"/preview" {
		t.Fatalf("save mapping: %d %q %s", p.status, p.location, p.body)
	}
	if got := selected(c.get("/imports/new/"+token), 3); got != "company" {
		t.Errorf("the mapping page forgot the change: %q", got)
	}

	// Step 3: the change shows, with each row's outcome and problems.
	p = c.get("/imports/new/" + token + "/preview")
	p.mustContain(t, "Firma → Company", "Analytical Engines", "&#43;442079460000",
		`<strong>3</strong> New contact · <strong>1</strong> Skipped: duplicate · <strong>2</strong> Fails`)
	rowOf := func(n int) string {
		m := regexp.MustCompile(`(?s)<tr class="import-row-[a-z]+" data-row="` + strconv.Itoa(n) + `">.*?</tr>`).FindString(p.body)
		if m == "" {
			t.Fatalf("no preview row %d", n)
		}
		return m
	}
	if r := rowOf(3); !strings.Contains(r, "Fails") || !strings.Contains(r, "not-an-email") {
		t.Errorf("row 3: %s", r)
	}
	if r := rowOf(5); !strings.Contains(r, "Fails") || !strings.Contains(r, "phone") {
		t.Errorf("row 5: %s", r)
	}
	if r := rowOf(6); !strings.Contains(r, "Skipped") || !strings.Contains(r, `href="/contacts/1"`) {
		t.Errorf("row 6: %s", r)
	}

	// Step 4: start; the draft is gone, the import runs.
	p = c.postForm("/imports/new/"+token+"/start", url.Values{})
	m := regexp.MustCompile(`^/imports/([0-9]+)$`).FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("start: %d %q %s", p.status, p.location, p.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	if _, err := os.Stat(filepath.Join(dir, token+draftSuffix)); !os.IsNotExist(err) {
		t.Errorf("the draft outlived the start: %v", err)
	}
	if p := c.postForm("/imports/new/"+token+"/start", url.Values{}); p.status != http.StatusNotFound {
		t.Errorf("a second start: %d", p.status)
	}
	e.waitImport(id)

	// Step 5: the summary adds up, with the error report.
	p = c.get(m[0])
	p.mustContain(t, `aria-current="step">Summary`, "Done with errors",
		`data-count="rows">6<`, `data-count="created">3<`, `data-count="updated">0<`, `data-count="unchanged">0<`,
		`data-count="skipped">1<`, `data-count="failed">2<`,
		strings.ReplaceAll("3 created + 0 updated + 0 unchanged + 1 skipped + 2 failed = 6 rows: every row read is counted once.", "+", "&#43;"),
		`href="/api/v1/imports/`+m[1]+`/errors" download`, "Download the 2 error lines")
	if strings.Contains(p.body, "data-import-cancel") {
		t.Error("a finished import offers to cancel")
	}
	frag := c.fragment(m[0])
	if frag.status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(frag.body), `<section class="card import-status"`) || strings.Contains(frag.body, "<html") {
		t.Errorf("fragment: %d %s", frag.status, frag.body)
	}

	// The error report, read with the session as the page's link does.
	rep := c.get("/api/v1/imports/" + m[1] + "/errors")
	recs, err := csv.NewReader(strings.NewReader(rep.body)).ReadAll()
	if rep.status != http.StatusOK || err != nil || len(recs) != 3 || recs[0][0] != "row" {
		t.Fatalf("error report: %d %v %q", rep.status, err, recs)
	}
	if recs[1][0] != "3" || recs[1][4] != "not-an-email" || recs[2][0] != "5" || recs[2][4] != "12" {
		t.Errorf("error rows: %q", recs)
	}

	// The mapping change took effect in the import.
	list, err := e.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: e.project.ID, Q: "ada@example.com", Page: 1, PerPage: 5})
	if err != nil || len(list.Contacts) != 1 || list.Contacts[0].Company != "Analytical Engines" || list.Contacts[0].Custom["plan"] != "" {
		t.Fatalf("imported contact: %v %+v", err, list)
	}

	// The list of imports.
	p = c.get("/imports")
	p.mustContain(t, `<a href="/imports/`+m[1]+`">people.csv</a>`, "Done with errors", `<td class="num">6</td>`)

	// Cancelling a finished import is said on its page, not an error page.
	p = c.postForm("/imports/"+m[1]+"/cancel", url.Values{})
	if p.status != http.StatusSeeOther || p.location != m[0] {
		t.Fatalf("cancel a finished import: %d %q", p.status, p.location)
	}
	c.get(m[0]).mustContain(t, `class="flash"`, "This import is not running any more")
}

func TestUIImportCustomAndDiscard(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	// With unrecognised columns kept, Plan becomes a custom attribute in
	// step 2 already; the upload can be thrown away.
	token := startWizard(t, c, "plans.csv", "Email,Plan\nzoe@example.com,gold\n", url.Values{"on_duplicate": {"update"}, "custom_unmapped": {"true"}})
	p := c.get("/imports/new/" + token)
	p.mustContain(t, `<option value="custom.plan" selected>Custom attribute “plan”</option>`, "kept as a custom attribute")
	p = c.get("/imports/new/" + token + "/preview")
	p.mustContain(t, "Rows matching a contact update it; unrecognised columns become custom attributes", "Plan → Custom attribute “plan”",
		"<dt>plan</dt><dd>gold</dd>")
	p = c.postForm("/imports/new/"+token+"/discard", url.Values{})
	if p.status != http.StatusSeeOther || p.location != "/imports/new" {
		t.Fatalf("discard: %d %q", p.status, p.location)
	}
	dir, _ := e.srv.importDir()
	if _, err := os.Stat(filepath.Join(dir, token+".csv")); !os.IsNotExist(err) {
		t.Errorf("the discarded upload is still there: %v", err)
	}
	if p := c.get("/imports/new/" + token); p.status != http.StatusNotFound || !strings.Contains(p.body, "upload the file again") {
		t.Errorf("a discarded draft: %d", p.status)
	}
}

func TestUIImportDraftsStayInTheirProject(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.owner()
	token := startWizard(t, c, "mine.csv", "Email\na@example.com\n", url.Values{"on_duplicate": {"skip"}})
	other, _ := e.newProject("Other")
	if _, _, err := e.svc.AddUser(ctx, other, "other@example.com", contacts.RoleOwner, "other password"); err != nil {
		t.Fatal(err)
	}
	o := e.loginAs("other@example.com", "other password")
	for _, path := range []string{"/imports/new/" + token, "/imports/new/" + token + "/preview"} {
		if p := o.get(path); p.status != http.StatusNotFound {
			t.Errorf("another project's %s: %d", path, p.status)
		}
	}
	if p := o.postForm("/imports/new/"+token+"/start", url.Values{}); p.status != http.StatusNotFound {
		t.Errorf("another project starts the draft: %d", p.status)
	}
	for _, bad := range []string{"../../etc/passwd", "..%2F..%2Fx", "20250101-000000-zz"} {
		if p := c.get("/imports/new/" + bad); p.status != http.StatusNotFound {
			t.Errorf("token %q: %d", bad, p.status)
		}
	}

	// A draft left for more than a day is swept with its file at the next
	// upload; an import's file (no draft beside it) stays.
	dir, _ := e.srv.importDir()
	keep := filepath.Join(dir, "20200101-000000-000000000000000000000000.csv")
	if err := os.WriteFile(keep, []byte("Email\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-25 * time.Hour)
	os.Chtimes(keep, old, old)
	os.Chtimes(filepath.Join(dir, token+draftSuffix), old, old)
	startWizard(t, c, "next.csv", "Email\nb@example.com\n", url.Values{"on_duplicate": {"skip"}})
	if _, err := os.Stat(filepath.Join(dir, token+".csv")); !os.IsNotExist(err) {
		t.Errorf("an old draft's upload was not swept: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("an import's file was swept: %v", err)
	}
	os.Remove(keep)
}

func TestUIImportAgentRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.svc.AddUser(ctx, e.project.ID, "agent@example.com", contacts.RoleAgent, "agent password"); err != nil {
		t.Fatal(err)
	}
	owner := e.owner()
	token := startWizard(t, owner, "team.csv", "Email\na@example.com\n", url.Values{"on_duplicate": {"skip"}})

	a := e.loginAs("agent@example.com", "agent password")
	dir, _ := e.srv.importDir()
	before, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, path := range []string{"/imports", "/imports/new", "/imports/new/" + token, "/imports/new/" + token + "/preview", "/imports/1"} {
		if p := a.get(path); p.status != http.StatusForbidden || !strings.Contains(p.body, "agents cannot import") {
			t.Errorf("agent GET %s: %d", path, p.status)
		}
	}
	if p := a.uploadForm("/imports/new", "x.csv", []byte("Email\nb@example.com\n"), url.Values{"on_duplicate": {"skip"}}); p.status != http.StatusForbidden {
		t.Errorf("agent upload: %d", p.status)
	}
	for _, path := range []string{"/imports/new/" + token, "/imports/new/" + token + "/start", "/imports/new/" + token + "/discard", "/imports/1/cancel", "/imports/1/resume"} {
		if p := a.postForm(path, url.Values{"col.0": {"email"}}); p.status != http.StatusForbidden {
			t.Errorf("agent POST %s: %d", path, p.status)
		}
	}
	after, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(after) != len(before) {
		t.Errorf("an agent's upload was kept: %v -> %v", before, after)
	}
	// The service refuses agents too, whatever the route: the API's
	// preview with the agent's session.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.csv")
	fw.Write([]byte("Email\nb@example.com\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/imports/preview", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(csrfHeader, a.csrf)
	if p := a.do(req); p.status != http.StatusForbidden {
		t.Errorf("agent API preview: %d %s", p.status, p.body)
	}
	if !strings.Contains(owner.get("/").body, `href="/imports/new"`) || strings.Contains(a.get("/").body, `href="/imports/new"`) {
		t.Error("the import link shows to the wrong role")
	}
}

// TestUIImportEscapes sends hostile names through every step: the file
// name, a header and the values.
func TestUIImportEscapes(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)>`
	e := newEnv(t)
	c := e.owner()
	content := "Name,Email," + evil + "\n" + "\"" + evil + "\",x@example.com,\"" + evil + "\"\n"
	token := startWizard(t, c, evil+".csv", content, url.Values{"on_duplicate": {"skip"}, "custom_unmapped": {"true"}})
	check := func(label string, p page) {
		t.Helper()
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d %s", label, p.status, p.body)
		}
		if strings.Contains(p.body, "<img") {
			t.Errorf("%s renders a raw <img>:\n%s", label, p.body)
		}
		p.mustContain(t, "&lt;img src=x onerror=alert(1)&gt;")
	}
	check("mapping", c.get("/imports/new/"+token))
	check("preview", c.get("/imports/new/"+token+"/preview"))
	p := c.postForm("/imports/new/"+token+"/start", url.Values{})
	id, _ := strconv.ParseInt(strings.TrimPrefix(p.location, "/imports/"), 10, 64)
	if id == 0 {
		t.Fatalf("start: %d %q %s", p.status, p.location, p.body)
	}
	e.waitImport(id)
	check("summary", c.get(p.location))
	check("list", c.get("/imports"))
}

// TestUIImportLargeUpload sends more than the UI's usual body limit
// through the wizard's upload, which takes files as large as the API's.
func TestUIImportLargeUpload(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	var b strings.Builder
	b.WriteString("Email,Name\n")
	for i := 0; b.Len() < 2*BodyLimit; i++ {
		fmt.Fprintf(&b, "person%d@example.com,Person Number %d\n", i, i)
	}
	token := startWizard(t, c, "big.csv", b.String(), url.Values{"on_duplicate": {"skip"}})
	c.get("/imports/new/"+token).mustContain(t, "big.csv", "person0@example.com")
	// Without a session the large body is refused before it is read.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "big.csv")
	fw.Write([]byte(b.String()))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.base+"/imports/new", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("anonymous large upload: %d", res.StatusCode)
		}
	}
}

// TestUIImportStatusRunning renders a running import's page: the bar at
// the share of the file read, the cancel button, and a refresh for
// browsers without scripts.
func TestUIImportStatusRunning(t *testing.T) {
	imp := &contacts.Import{ID: 7, FileName: "big.csv", Size: 1000, BytesRead: 420, Status: contacts.JobRunning,
		Options: contacts.ImportOptions{OnDuplicate: contacts.OnDuplicateSkip}, CreatedAt: time.Now(),
		Counts: contacts.ImportCounts{Rows: 10, Created: 8, Failed: 2}}
	v := uiView{Title: "Import", Session: &contacts.Session{Email: "a@example.com", Role: contacts.RoleAdmin}, CSRF: "tok", Data: newImportStatus(imp)}
	var buf bytes.Buffer
	if err := uiPages()["import_status"].ExecuteTemplate(&buf, "layout", v); err != nil {
		t.Fatal(err)
	}
	p := page{body: buf.String()}
	p.mustContain(t, "4. Importing", `aria-current="step">Import<`, `aria-valuenow="42"`, `style="width: 42%"`, `data-import-percent>42%<`,
		`<form method="post" action="/imports/7/cancel" data-import-cancel>`, `name="_csrf" value="tok"`,
		`<noscript><meta http-equiv="refresh" content="3"></noscript>`, `data-count="created">8<`, `data-count="failed">2<`, ">Running<")
	if strings.Contains(p.body, "data-import-errors") || strings.Contains(p.body, "5. Summary") {
		t.Error("a running import shows its summary")
	}
	imp.CancelRequested = true
	if d := newImportStatus(imp); d.Status != "Cancelling" {
		t.Errorf("cancel requested: %q", d.Status)
	}
}
