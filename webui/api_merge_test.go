package webui

import (
	"fmt"
	"net/http"
	"testing"
)

func TestMergeAndUndo(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Ana Silva", "email": "ana@example.com", "tags": []string{"a"}}))
	b := idOf(e.createContact(map[string]any{"name": "Ana S.", "email": "ana.s@example.com", "phone": "+14155552671", "tags": []string{"b"}}))
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", b), map[string]any{"body": "note on b"}).must(t, http.StatusCreated)

	r := e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/merge", a), map[string]any{
		"contact_ids": []int64{b}, "fields": map[string]int64{"email": b},
	}).must(t, http.StatusOK)
	c := r.body["contact"].(map[string]any)
	m := r.body["merge"].(map[string]any)
	if idOf(c) != a || c["email"] != "ana.s@example.com" || c["phone"] != "+14155552671" || fmt.Sprint(c["tags"]) != "[a b]" {
		t.Errorf("merged contact: %v", c)
	}
	if conflicts, _ := c["conflicts"].([]any); len(conflicts) == 0 {
		t.Errorf("the losing email is not kept as a conflict: %v", c["conflicts"])
	}
	if m["primary_id"] != float64(a) || fmt.Sprint(m["merged_ids"]) != fmt.Sprint([]any{float64(b)}) || m["undone_at"] != nil {
		t.Errorf("merge: %v", m)
	}
	e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", b), nil).mustError(t, 404, "not_found")
	notes := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/notes", a), nil).must(t, http.StatusOK).list("notes")
	if len(notes) != 1 {
		t.Errorf("notes moved to the primary: %v", notes)
	}

	mergeID := int64(m["id"].(float64))
	r = e.do("POST", fmt.Sprintf("/api/v1/merges/%d/undo", mergeID), nil).must(t, http.StatusOK)
	restored := r.list("contacts")
	if len(restored) != 2 {
		t.Fatalf("undo: %s", r.raw)
	}
	got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", b), nil).must(t, http.StatusOK).body
	if got["email"] != "ana.s@example.com" || got["phone"] != "+14155552671" {
		t.Errorf("restored b: %v", got)
	}
	got = e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", a), nil).must(t, http.StatusOK).body
	if got["email"] != "ana@example.com" || got["phone"] != nil {
		t.Errorf("restored a: %v", got)
	}
	e.do("POST", fmt.Sprintf("/api/v1/merges/%d/undo", mergeID), nil).mustError(t, 409, "conflict")
	e.do("POST", "/api/v1/merges/999999/undo", nil).mustError(t, 404, "not_found")

	// Bad requests.
	p := fmt.Sprintf("/api/v1/contacts/%d/merge", a)
	e.do("POST", p, map[string]any{"contact_ids": []int64{}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"contact_ids": []int64{a}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"contact_ids": []int64{b}, "fields": map[string]int64{"password": b}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"contact_ids": []int64{b}, "fields": map[string]int64{"email": 424242}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"contact_ids": []int64{999999}}).mustError(t, 404, "not_found")
	e.do("POST", "/api/v1/contacts/999999/merge", map[string]any{"contact_ids": []int64{b}}).mustError(t, 404, "not_found")
}
