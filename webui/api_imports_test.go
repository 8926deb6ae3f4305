package webui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// upload posts a multipart form: the file (when name is not empty) and
// the fields.
func (e *testEnv) upload(path, name string, data []byte, fields map[string]string) *response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			e.t.Fatal(err)
		}
		fw.Write(data)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, e.base+path, &body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.key)
	return e.send(req)
}

// waitImport polls an import until it leaves running.
func (e *testEnv) waitImport(id int64) *response {
	e.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r := e.do("GET", "/api/v1/imports/"+strconv.FormatInt(id, 10), nil).must(e.t, http.StatusOK)
		if r.body["status"] != contacts.JobRunning {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("import %d still running: %s", id, r.raw)
		}
	}
}

func counts(r *response) map[string]any { return r.body["counts"].(map[string]any) }

func TestImportAPI(t *testing.T) {
	e := newEnv(t)
	file := "Full Name,E-mail,Phone,Shoe Size\nAna Silva,ana@example.com,+1 415 555 0100,38\nBad Row,not-an-email,,\nBob,bob@example.com,,44\n,,,\n"
	r := e.upload("/api/v1/imports", "people.csv", []byte(file), map[string]string{"on_duplicate": "skip", "custom_unmapped": "true"}).
		must(t, http.StatusAccepted)
	id := r.id()
	if r.header.Get("Location") != "/api/v1/imports/"+strconv.FormatInt(id, 10) || r.body["job_id"].(float64) != float64(id) ||
		r.body["file_name"] != "people.csv" {
		t.Fatalf("accepted: %s %v", r.raw, r.header)
	}
	done := e.waitImport(id)
	c := counts(done)
	if done.body["status"] != contacts.JobDone || c["rows"] != 3.0 || c["created"] != 2.0 || c["failed"] != 1.0 || done.body["progress"] != 1.0 {
		t.Fatalf("done: %s", done.raw)
	}
	job := e.do("GET", "/api/v1/jobs/"+strconv.FormatInt(id, 10), nil).must(t, http.StatusOK)
	if job.body["kind"] != "import" || job.body["status"] != "done" || job.body["total"] != 3.0 || job.body["failed"] != 1.0 {
		t.Fatalf("job: %s", job.raw)
	}
	list := e.do("GET", "/api/v1/contacts?q=ana", nil).must(t, http.StatusOK).list("contacts")
	if len(list) != 1 || list[0]["custom"].(map[string]any)["shoe_size"] != "38" || list[0]["phone"] != "+14155550100" {
		t.Fatalf("imported contact: %v", list)
	}

	rep := e.do("GET", "/api/v1/imports/"+strconv.FormatInt(id, 10)+"/errors", nil).must(t, http.StatusOK)
	if !strings.HasPrefix(rep.header.Get("Content-Type"), "text/csv") || !strings.Contains(rep.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("report headers %v", rep.header)
	}
	recs, err := csv.NewReader(bytes.NewReader(rep.raw)).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != "3" || recs[1][2] != "E-mail" || recs[1][5] != "is not a valid email address" {
		t.Fatalf("report %q %v", recs, err)
	}

	imports := e.do("GET", "/api/v1/imports", nil).must(t, http.StatusOK).list("imports")
	if len(imports) != 1 || imports[0]["id"].(float64) != float64(id) {
		t.Fatalf("list %v", imports)
	}
	e.do("POST", "/api/v1/imports/"+strconv.FormatInt(id, 10)+"/cancel", nil).mustError(t, http.StatusConflict, codeConflict)
	e.do("POST", "/api/v1/imports/"+strconv.FormatInt(id, 10)+"/resume", nil).mustError(t, http.StatusConflict, codeConflict)
	e.do("GET", "/api/v1/imports/999", nil).mustError(t, http.StatusNotFound, codeNotFound)
	e.do("GET", "/api/v1/imports/999/errors", nil).mustError(t, http.StatusNotFound, codeNotFound)

	// Another project sees none of it.
	_, other := e.newProject("Other")
	if r := e.doAs(other, "GET", "/api/v1/imports/"+strconv.FormatInt(id, 10), nil); r.status != http.StatusNotFound {
		t.Fatalf("other project: %d", r.status)
	}

	// The same file again with skip changes nothing.
	again := e.upload("/api/v1/imports", "people.csv", []byte(file), map[string]string{"options": `{"custom_unmapped": true}`}).
		must(t, http.StatusAccepted)
	c = counts(e.waitImport(again.id()))
	if c["created"] != 0.0 || c["skipped_existing"] != 2.0 || c["skipped"] != 2.0 || c["failed"] != 1.0 {
		t.Fatalf("re-run counts %v", c)
	}
}

func TestImportPreviewAPI(t *testing.T) {
	e := newEnv(t)
	e.createContact(map[string]any{"name": "Old Ben", "email": "ben@example.com"})
	file := "name;email\nAnn;ann@example.com\nBen;ben@example.com\nBad;x\n"
	r := e.upload("/api/v1/imports/preview", "p.csv", []byte(file), map[string]string{"on_duplicate": "update"}).must(t, http.StatusOK)
	if r.body["delimiter"] != "semicolon" || r.body["encoding"] != "utf-8" {
		t.Fatalf("preview %s", r.raw)
	}
	rows := r.list("rows")
	if len(rows) != 3 || rows[0]["action"] != "create" || rows[1]["action"] != "update" || rows[2]["action"] != "fail" {
		t.Fatalf("rows %s", r.raw)
	}
	if rows[1]["contact"].(map[string]any)["first_name"] != "Ben" || rows[2]["contact"] != nil || len(rows[2]["errors"].([]any)) != 1 {
		t.Fatalf("rows %s", r.raw)
	}
	if n := len(e.do("GET", "/api/v1/contacts", nil).must(t, http.StatusOK).list("contacts")); n != 1 {
		t.Fatalf("a preview wrote contacts: %d", n)
	}
}

func TestImportAPIBadRequests(t *testing.T) {
	e := newEnv(t)
	ok := []byte("name,email\nA,a@example.com\n")
	e.upload("/api/v1/imports", "", nil, map[string]string{"on_duplicate": "skip"}).mustError(t, http.StatusBadRequest, codeBadRequest)
	e.do("POST", "/api/v1/imports", map[string]any{"file": "x"}).mustError(t, http.StatusBadRequest, codeBadRequest)
	e.upload("/api/v1/imports", "a.csv", ok, map[string]string{"options": `{"on_duplicate": "skip", "bogus": 1}`}).
		mustError(t, http.StatusBadRequest, codeBadRequest)
	e.upload("/api/v1/imports", "a.csv", ok, map[string]string{"mapping": `["email"]`}).mustError(t, http.StatusBadRequest, codeBadRequest)
	e.upload("/api/v1/imports", "a.csv", ok, map[string]string{"dry_run": "maybe"}).mustError(t, http.StatusBadRequest, codeBadRequest)
	r := e.upload("/api/v1/imports", "a.csv", ok, map[string]string{"mapping": `{"email": "emial"}`}).
		mustError(t, http.StatusUnprocessableEntity, codeValidation)
	if r.errFields()["map.email"] == nil {
		t.Fatalf("fields %s", r.raw)
	}
	r = e.upload("/api/v1/imports", "a.csv", ok, map[string]string{"on_duplicate": "merge"}).mustError(t, http.StatusUnprocessableEntity, codeValidation)
	if r.errFields()["on_duplicate"] == nil {
		t.Fatalf("fields %s", r.raw)
	}
	e.upload("/api/v1/imports", "a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), nil).mustError(t, http.StatusUnprocessableEntity, codeValidation)
	e.upload("/api/v1/imports/preview", "a.csv", []byte("x,y\n1,2\n"), nil).mustError(t, http.StatusUnprocessableEntity, codeValidation)
	e.do("POST", "/api/v1/imports/abc/cancel", nil).mustError(t, http.StatusNotFound, codeNotFound)
	entries, _ := os.ReadDir(mustImportDir(t, e.srv))
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".csv") {
			if info, _ := en.Info(); info != nil && time.Since(info.ModTime()) < time.Minute {
				// Rejected uploads are not kept. (Other tests' finished
				// imports remove their own.)
				b, _ := os.ReadFile(mustImportDir(t, e.srv) + "/" + en.Name())
				if bytes.Equal(b, ok) {
					t.Errorf("rejected upload kept: %s", en.Name())
				}
			}
		}
	}
}

func mustImportDir(t *testing.T, s *Server) string {
	t.Helper()
	d, err := s.importDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tooLarge announces a multipart upload of size bytes and reads the
// answer without sending the body: the server decides from the headers,
// and a client still writing a refused body may see the connection reset
// before it reads the answer.
func (e *testEnv) tooLarge(size int, key string) int {
	e.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	req := "POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
		"Content-Length: " + strconv.Itoa(size) + "\r\n"
	if key != "" {
		req += "Authorization: Bearer " + key + "\r\n"
	}
	if _, err := conn.Write([]byte(req + "\r\n")); err != nil {
		e.t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	record("POST", "/api/v1/imports", res.StatusCode)
	return res.StatusCode
}

// Uploads above the import limit answer 413; so do large bodies without
// credentials, which never get the import limit.
func TestImportAPITooLarge(t *testing.T) {
	e := newEnv(t)
	defer func(n int) { importBodyLimit = n }(importBodyLimit)
	importBodyLimit = 2 << 20
	if got := e.tooLarge(3<<20, e.key); got != http.StatusRequestEntityTooLarge {
		t.Fatalf("3 MiB upload: %d", got)
	}
	if got := e.tooLarge(ImportBodyLimit+1, e.key); got != http.StatusRequestEntityTooLarge {
		t.Fatalf("upload over the limit: %d", got)
	}
	if got := e.tooLarge(1536<<10, ""); got != http.StatusRequestEntityTooLarge {
		t.Fatalf("1.5 MiB without credentials: %d", got)
	}
	mid := []byte("name\n" + strings.Repeat("Some Body\n", 150_000)) // 1.5 MB: over the default, under the import limit
	r := e.upload("/api/v1/imports", "mid.csv", mid, nil).must(t, http.StatusAccepted)
	if c := counts(e.waitImport(r.id())); c["rows"] != 150000.0 || c["created"] != 1.0 || c["skipped_in_file"] != 149999.0 {
		t.Fatalf("counts %v", c)
	}
}

// Agents may not import: the service refuses, and the refusal is a 403.
func TestImportAgentForbidden(t *testing.T) {
	e := newEnv(t)
	// A request first: the server must be serving before the test ends
	// and shuts it down.
	e.do("GET", "/api/v1/imports", nil).must(t, http.StatusOK)
	agent := contacts.Actor{Kind: contacts.ActorUser, ID: 5, Name: "agent", Role: contacts.RoleAgent}
	path := t.TempDir() + "/a.csv"
	os.WriteFile(path, []byte("name\nA\n"), 0o600)
	_, err := e.svc.StartImport(context.Background(), agent, e.project.ID, contacts.ImportFile{Name: "a.csv", Path: path}, contacts.ImportOptions{})
	if status, body := errorResponse(err); status != http.StatusForbidden || body.Error.Code != codeForbidden {
		t.Fatalf("agent import: %v -> %d", err, status)
	}
	_, err = e.svc.CancelImport(context.Background(), agent, e.project.ID, 1)
	if status, _ := errorResponse(err); status != http.StatusForbidden {
		t.Fatalf("agent cancel: %v -> %d", err, status)
	}
}
