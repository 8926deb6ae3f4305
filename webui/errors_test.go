package webui

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMalformedBodies(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Body Test"}))
	cases := []struct {
		name, body, want string
	}{
		{"syntax", `{"first_name": "a",`, "malformed JSON"},
		{"bad token", `{first_name: "a"}`, "malformed JSON"},
		{"unknown field", `{"first_name": "a", "nickname": "b"}`, `unknown field "nickname"`},
		{"wrong type", `{"email": 42}`, `"email" must be a string`},
		{"wrong nested type", `{"tags": [1]}`, `must be a string`},
		{"not an object", `["a"]`, "must be an object"},
		{"trailing data", `{"first_name": "a"} {"x": 1}`, "unexpected data"},
		{"empty", ``, "empty"},
		{"null", `null`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []*response{
				e.do("POST", "/api/v1/contacts", tc.body),
				e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", id), tc.body),
			} {
				if tc.name == "null" {
					// null decodes to an empty input: no identifier on
					// create, no change on update.
					if r.status != 422 && r.status != 200 {
						t.Errorf("null body: status %d: %s", r.status, r.raw)
					}
					continue
				}
				r.mustError(t, 400, "bad_request")
				msg := r.body["error"].(map[string]any)["message"].(string)
				if !strings.Contains(msg, tc.want) {
					t.Errorf("message %q does not mention %q", msg, tc.want)
				}
			}
		})
	}
	e.do("POST", "/api/v1/contacts/bulk", `{"action": "delete", "ids": [1], "oops": true}`).mustError(t, 400, "bad_request")
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", id), `{"body": 5}`).mustError(t, 400, "bad_request")
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/merge", id), `{"contact_ids": "all"}`).mustError(t, 400, "bad_request")
	e.do("POST", "/api/v1/saved-filters", `{"name": "x", "query": "a=b", "extra": 1}`).mustError(t, 400, "bad_request")
}

func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/api/v1/contacts", "/api/v1/contacts/bulk", "/api/v1/contacts/1/notes"} {
		status, header, body := rawRequest(t, e, "POST", p, BodyLimit+1)
		record("POST", p, status)
		if status != http.StatusRequestEntityTooLarge {
			t.Fatalf("POST %s: status %d: %s", p, status, body)
		}
		if !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
			t.Errorf("Content-Type %q", header.Get("Content-Type"))
		}
		var got struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(body, &got); err != nil || got.Error.Code != "payload_too_large" || got.Error.Message == "" {
			t.Errorf("body %s: %v", body, err)
		}
	}
	// Exactly the limit is fine (and then fails validation, not size).
	status, _, body := rawRequest(t, e, "POST", "/api/v1/contacts", BodyLimit)
	if status == http.StatusRequestEntityTooLarge {
		t.Errorf("a body of exactly BodyLimit was refused: %s", body)
	}
	// The server still serves afterwards.
	e.do("GET", "/api/v1/contacts", nil).must(t, http.StatusOK)
}

// rawRequest sends a request whose JSON body has n bytes over a plain TCP
// connection and reads the answer. Over the limit, the server answers 413
// from the Content-Length alone and closes the connection, so the body is
// not sent: net/http's client would send it and report the connection reset
// of its unfinished upload instead of the answer.
func rawRequest(t *testing.T, e *testEnv, method, path string, n int) (int, http.Header, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	payload := `{"notes": "` + strings.Repeat("x", n-len(`{"notes": ""}`)) + `"}`
	head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		method, path, e.key, len(payload))
	if n > BodyLimit {
		payload = ""
	}
	if _, err := io.WriteString(conn, head+payload); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

func TestValidationErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"name": "A", "email": "not-an-email"}, "email"},
		{map[string]any{"name": "A", "email": "Ana <ana@example.com>"}, "email"},
		{map[string]any{"name": "A", "email": "ana@localhost"}, "email"},
		{map[string]any{"name": "A", "phone": "12"}, "phone"},
		{map[string]any{"name": "A", "phone": "call me maybe"}, "phone"},
		{map[string]any{"name": "A", "channel": "fax"}, "channel"},
		{map[string]any{"name": "A", "custom": map[string]any{"bad key!": "x"}}, "custom"},
		{map[string]any{"first_name": "", "last_name": ""}, "contact"},
		{map[string]any{"name": "A", "identities": []map[string]any{{"channel": "pager", "external_id": "1"}}}, "identities"},
	} {
		r := e.do("POST", "/api/v1/contacts", tc.body).mustError(t, 422, "validation_failed")
		if _, ok := r.errFields()[tc.field]; !ok {
			t.Errorf("%v: fields %v lack %q", tc.body, r.errFields(), tc.field)
		}
	}

	id := idOf(e.createContact(map[string]any{"name": "Valid"}))
	r := e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", id), map[string]any{"email": "nope", "phone": "x"}).
		mustError(t, 422, "validation_failed")
	if len(r.errFields()) != 2 {
		t.Errorf("want both problems at once: %v", r.errFields())
	}

	for _, tc := range []struct{ query, field string }{
		{"per_page=-1", "per_page"},
		{"per_page=0", "per_page"},
		{"per_page=201", "per_page"},
		{"per_page=ten", "per_page"},
		{"page=abc", "page"},
		{"page=0", "page"},
		{"page=-3", "page"},
		{"sort=bogus", "sort"},
		{"sort=-password", "sort"},
		{"tags_mode=some", "tags_mode"},
		{"created=yesterday", "created"},
		{"created_from=last+week", "created_from"},
		{"created_from=2025-02-01&created_to=2025-01-01", "created_to"},
		{"last_seen_to=2025-13-01", "last_seen_to"},
		{"has_email=maybe", "has_email"},
		{"has_phone=2", "has_phone"},
		{"do_not_contact=yes", "do_not_contact"},
		{"conversations_min=-1", "conversations_min"},
		{"conversations_min=5&conversations_max=2", "conversations_max"},
		{"lead_status=hot", "lead_status"},
		{"channel=fax", "channel"},
		{"after=-1", "after"},
		{"after=x", "after"},
		{"q=" + strings.Repeat("a", 201), "q"},
	} {
		r := e.do("GET", "/api/v1/contacts?"+tc.query, nil).mustError(t, 422, "validation_failed")
		if _, ok := r.errFields()[tc.field]; !ok {
			t.Errorf("%s: fields %v lack %q", tc.query, r.errFields(), tc.field)
		}
	}
	// Several problems are reported together; unknown parameters are ignored.
	r = e.do("GET", "/api/v1/contacts?page=abc&sort=bogus&per_page=-1&whatever=1", nil).mustError(t, 422, "validation_failed")
	if len(r.errFields()) != 3 {
		t.Errorf("fields %v, want page, sort and per_page", r.errFields())
	}
	e.do("GET", "/api/v1/contacts?whatever=1&utm_source=x", nil).must(t, http.StatusOK)
}

func TestPathIDs(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"abc", "0", "-1", "1.5", "99999999999999999999999", "9223372036854775807", "1e3"} {
		e.do("GET", "/api/v1/contacts/"+p, nil).mustError(t, 404, "not_found")
		e.do("PATCH", "/api/v1/contacts/"+p, map[string]any{"name": "x"}).mustError(t, 404, "not_found")
		e.do("GET", "/api/v1/contacts/"+p+"/notes", nil).mustError(t, 404, "not_found")
		e.do("GET", "/api/v1/jobs/"+p, nil).mustError(t, 404, "not_found")
		e.do("POST", "/api/v1/merges/"+p+"/undo", nil).mustError(t, 404, "not_found")
	}
}
