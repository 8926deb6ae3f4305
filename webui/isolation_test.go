package webui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestCrossProjectIsolation: a key of project B gets 404 for every one of
// project A's resources, learns none of its data, and changes nothing.
func TestCrossProjectIsolation(t *testing.T) {
	e := newEnv(t)
	const secret = "secret-a@example.com"
	a := idOf(e.createContact(map[string]any{"name": "Alice Private", "email": secret, "tags": []string{"a-only"}}))
	a2 := idOf(e.createContact(map[string]any{"name": "Alice Two"}))
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", a), map[string]any{"body": "private note"}).must(t, http.StatusCreated)
	conv := e.addConversation(e.project.ID, a, "private message")
	filter := e.do("POST", "/api/v1/saved-filters", map[string]any{"name": "A filter", "query": "tags=a-only"}).must(t, http.StatusCreated).id()
	m := e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a), map[string]any{"contact_ids": []int64{a2}}).must(t, http.StatusOK)
	mergeID := int64(m.body["merge"].(map[string]any)["id"].(float64))

	_, keyB := e.newProject("Project B")
	b := idOf(e.doAs(keyB, "POST", "/api/v1/contacts", map[string]any{"name": "Bob"}).must(t, http.StatusCreated).body)

	for _, rq := range []struct {
		method, path string
		body         any
	}{
		{"GET", fmt.Sprintf("/api/v1/contacts/%d", a), nil},
		{"PATCH", fmt.Sprintf("/api/v1/contacts/%d", a), map[string]any{"first_name": "Hacked"}},
		{"DELETE", fmt.Sprintf("/api/v1/contacts/%d", a), nil},
		{"GET", fmt.Sprintf("/api/v1/contacts/%d/export", a), nil},
		{"GET", fmt.Sprintf("/api/v1/contacts/%d/notes", a), nil},
		{"POST", fmt.Sprintf("/api/v1/contacts/%d/notes", a), map[string]any{"body": "intrusion"}},
		{"GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", a), nil},
		{"GET", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), nil},
		{"POST", fmt.Sprintf("/api/v1/contacts/%d/tags", a), map[string]any{"tags": []string{"x"}}},
		{"DELETE", fmt.Sprintf("/api/v1/contacts/%d/tags?tags=a-only", a), nil},
		{"POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a), map[string]any{"contact_ids": []int64{b}}},
		{"POST", fmt.Sprintf("/api/v1/contacts/%d/merge", b), map[string]any{"contact_ids": []int64{a}}},
		{"POST", fmt.Sprintf("/api/v1/merges/%d/undo", mergeID), nil},
		{"DELETE", fmt.Sprintf("/api/v1/saved-filters/%d", filter), nil},
	} {
		r := e.doAs(keyB, rq.method, rq.path, rq.body)
		if r.status != 404 || r.errCode() != "not_found" {
			t.Errorf("%s %s as B: status %d: %s", rq.method, rq.path, r.status, r.raw)
		}
		if body := string(r.raw); strings.Contains(body, secret) || strings.Contains(body, "Alice") || strings.Contains(body, "private") {
			t.Errorf("%s %s as B leaks A's data: %s", rq.method, rq.path, body)
		}
	}
	// The same 404 as for an id that exists nowhere.
	missing := e.doAs(keyB, "GET", "/api/v1/contacts/999999", nil)
	foreign := e.doAs(keyB, "GET", fmt.Sprintf("/api/v1/contacts/%d", a), nil)
	if string(missing.raw) != string(foreign.raw) {
		t.Errorf("a foreign id answers differently from a missing one: %s vs %s", foreign.raw, missing.raw)
	}

	// B's lists hold none of A's data.
	for _, p := range []string{"/api/v1/contacts", "/api/v1/contacts?q=alice", "/api/v1/contacts?tags=a-only",
		"/api/v1/contacts?after=0", "/api/v1/contacts/duplicates", "/api/v1/saved-filters", "/api/v1/audit", "/api/v1/stats"} {
		r := e.doAs(keyB, "GET", p, nil).must(t, http.StatusOK)
		if body := string(r.raw); strings.Contains(body, secret) || strings.Contains(body, "Alice") || strings.Contains(body, "a-only") {
			t.Errorf("GET %s as B leaks A's data: %s", p, body)
		}
	}
	if r := e.doAs(keyB, "GET", "/api/v1/contacts", nil); r.body["total"] != 1.0 {
		t.Errorf("B sees %v contacts", r.body["total"])
	}
	if r := e.doAs(keyB, "GET", "/api/v1/stats", nil); r.body["total_contacts"] != 1.0 {
		t.Errorf("B's stats count %v contacts", r.body["total_contacts"])
	}
	// B's bulk actions do not reach A's contacts.
	r := e.doAs(keyB, "POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{a}, "action": "delete"}).must(t, http.StatusOK)
	if r.body["affected"] != 0.0 {
		t.Errorf("B's bulk delete by id: %s", r.raw)
	}
	r = e.doAs(keyB, "POST", "/api/v1/contacts/bulk", map[string]any{"query": "", "action": "add_tags", "tags": []string{"b"}}).must(t, http.StatusOK)
	if r.body["matched"] != 1.0 {
		t.Errorf("B's bulk by query matched %v", r.body["matched"])
	}

	// A's data is untouched.
	got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", a), nil).must(t, http.StatusOK).body
	if got["first_name"] != "Alice" || fmt.Sprint(got["tags"]) != "[a-only]" {
		t.Errorf("A's contact changed: %v", got)
	}
	if notes := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/notes", a), nil).list("notes"); len(notes) != 1 {
		t.Errorf("A's notes: %v", notes)
	}
	if fs := e.do("GET", "/api/v1/saved-filters", nil).list("filters"); len(fs) != 1 {
		t.Errorf("A's filters: %v", fs)
	}

	// Unique values are unique per project: B may hold A's email, and a
	// clash inside B names no contact of A.
	r = e.doAs(keyB, "POST", "/api/v1/contacts", map[string]any{"name": "Bob Two", "email": secret}).must(t, http.StatusCreated)
	e.doAs(keyB, "POST", "/api/v1/contacts", map[string]any{"name": "Bob Three", "email": secret}).mustError(t, http.StatusConflict, "conflict")
	if got := e.doAs(keyB, "POST", "/api/v1/contacts", map[string]any{"email": secret}).body["error"].(map[string]any)["existing_id"]; got != float64(r.id()) {
		t.Errorf("existing_id %v, want B's own %d", got, r.id())
	}
}
