package webui

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestPrivacySettingsAPI(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/privacy", nil).must(t, http.StatusOK)
	ret, _ := r.body["retention"].(map[string]any)
	if r.body["erasure_default"] != "delete" || r.body["erasure_grace_days"] != 0.0 || r.body["updated_at"] != nil ||
		ret["archive_inactive_months"] != 0.0 || ret["purge_archived_months"] != 0.0 || ret["purge_message_bodies_days"] != 0.0 {
		t.Errorf("defaults: %s", r.raw)
	}
	for body, field := range map[string]string{
		`{"erasure_grace_days": 366}`:                      "erasure_grace_days",
		`{"erasure_default": "shred"}`:                     "erasure_default",
		`{"retention": {"purge_archived_months": 3}}`:      "retention.purge_archived_months",
		`{"retention": {"purge_message_bodies_days": -1}}`: "retention.purge_message_bodies_days",
	} {
		r := e.do("PUT", "/api/v1/privacy", body).mustError(t, 422, "validation_failed")
		if r.errFields()[field] == nil {
			t.Errorf("%s: fields %v", body, r.errFields())
		}
	}
	e.do("PUT", "/api/v1/privacy", `{"grace": 1}`).mustError(t, 400, "bad_request")
	e.do("PUT", "/api/v1/privacy", `{"erasure_grace_days": "30"}`).mustError(t, 400, "bad_request")
	e.do("PUT", "/api/v1/privacy", "").mustError(t, 400, "bad_request")

	r = e.do("PUT", "/api/v1/privacy", map[string]any{"erasure_default": "anonymize",
		"retention": map[string]any{"archive_inactive_months": 12, "purge_archived_months": 24}}).must(t, http.StatusOK)
	ret, _ = r.body["retention"].(map[string]any)
	if r.body["erasure_default"] != "anonymize" || ret["archive_inactive_months"] != 12.0 || ret["purge_archived_months"] != 24.0 || r.body["updated_at"] == nil {
		t.Errorf("saved: %s", r.raw)
	}
	// Fields left out keep their value.
	r = e.do("PUT", "/api/v1/privacy", map[string]any{"erasure_grace_days": 30}).must(t, http.StatusOK)
	if r.body["erasure_default"] != "anonymize" || r.body["erasure_grace_days"] != 30.0 {
		t.Errorf("partial PUT: %s", r.raw)
	}
	entries := e.do("GET", "/api/v1/audit?action=privacy.update", nil).must(t, http.StatusOK).list("entries")
	if len(entries) != 2 {
		t.Errorf("settings changes audited: %v", entries)
	}
}

func TestErasureGracePeriodAPI(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Erin Gone", "email": "erin@example.com"}))
	path := fmt.Sprintf("/api/v1/contacts/%d", id)
	e.do("PUT", "/api/v1/privacy", map[string]any{"erasure_grace_days": 30, "erasure_default": "anonymize"}).must(t, http.StatusOK)

	r := e.do("DELETE", path, nil).must(t, http.StatusAccepted)
	after, err := time.Parse(time.RFC3339, fmt.Sprint(r.body["erase_after"]))
	if err != nil || r.body["mode"] != "anonymize" || idOf(map[string]any{"id": r.body["contact_id"]}) != id || r.body["name"] != "Erin Gone" ||
		after.Sub(time.Now()) < 29*24*time.Hour {
		t.Errorf("pending erasure: %v %s", err, r.raw)
	}
	e.do("GET", path, nil).mustError(t, 404, "not_found")
	e.do("GET", path+"/export", nil).mustError(t, 404, "not_found")
	e.do("PATCH", path, map[string]any{"company": "x"}).mustError(t, 404, "not_found")
	e.do("DELETE", path, nil).mustError(t, 404, "not_found")
	if cs := e.do("GET", "/api/v1/contacts?q=erin", nil).must(t, http.StatusOK).list("contacts"); len(cs) != 0 {
		t.Errorf("hidden contact in search: %v", cs)
	}
	if n := e.do("GET", "/api/v1/stats", nil).must(t, http.StatusOK).body["total_contacts"]; n != 0.0 {
		t.Errorf("stats count %v", n)
	}
	es := e.do("GET", "/api/v1/erasures", nil).must(t, http.StatusOK).list("erasures")
	if len(es) != 1 || es[0]["contact_id"] != float64(id) || es[0]["requested_by_kind"] != "api_key" {
		t.Fatalf("erasures: %v", es)
	}

	c := e.do("POST", path+"/restore", nil).must(t, http.StatusOK).body
	if c["email"] != "erin@example.com" {
		t.Errorf("restored: %v", c)
	}
	e.do("GET", path, nil).must(t, http.StatusOK)
	e.do("POST", path+"/restore", nil).mustError(t, 404, "not_found")
	e.do("POST", "/api/v1/contacts/abc/restore", nil).mustError(t, 404, "not_found")
	if es := e.do("GET", "/api/v1/erasures", nil).must(t, http.StatusOK).list("erasures"); len(es) != 0 {
		t.Errorf("erasures after restore: %v", es)
	}

	// Without a grace period the erasure is immediate.
	e.do("PUT", "/api/v1/privacy", map[string]any{"erasure_grace_days": 0}).must(t, http.StatusOK)
	e.do("DELETE", path+"?keep_history=false", nil).must(t, http.StatusNoContent)
	e.do("POST", path+"/restore", nil).mustError(t, 404, "not_found")
	actions := []string{}
	for _, en := range e.do("GET", fmt.Sprintf("/api/v1/audit?contact_id=%d", id), nil).must(t, http.StatusOK).list("entries") {
		actions = append(actions, en["action"].(string))
		if en["before"] != nil || en["after"] != nil && en["action"] != "contact.delete" {
			t.Errorf("erased contact's audit keeps a snapshot: %v", en)
		}
	}
	if fmt.Sprint(actions) != "[contact.delete contact.restore contact.erase_request contact.create]" {
		t.Errorf("audit trail: %v", actions)
	}
}

func TestPortableExportDownload(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Port Able", "email": "port@example.com"}))
	r := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/export", id), nil).must(t, http.StatusOK)
	if cd, want := r.header.Get("Content-Disposition"), fmt.Sprintf(`attachment; filename="contact-%d.json"`, id); cd != want {
		t.Errorf("Content-Disposition %q, want %q", cd, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestAuditIsReadOnly(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Kept"}))
	for _, m := range []string{"PUT", "PATCH", "DELETE", "POST"} {
		for _, p := range []string{"/api/v1/audit", "/api/v1/audit/1", fmt.Sprintf("/api/v1/audit?contact_id=%d", id)} {
			if r := e.do(m, p, map[string]any{"action": "x"}); r.status != http.StatusMethodNotAllowed && r.status != http.StatusNotFound {
				t.Errorf("%s %s answered %d", m, p, r.status)
			}
		}
	}
	if es := e.do("GET", fmt.Sprintf("/api/v1/audit?contact_id=%d", id), nil).must(t, http.StatusOK).list("entries"); len(es) != 1 || es[0]["action"] != "contact.create" {
		t.Errorf("audit changed: %v", es)
	}
}

func TestAuditFiltersAPI(t *testing.T) {
	e := newEnv(t)
	start := time.Now().UTC().Add(-time.Second).Truncate(time.Second)
	var ids []int64
	for i := range 3 {
		id := idOf(e.createContact(map[string]any{"name": fmt.Sprintf("Audit %d", i)}))
		e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", id), map[string]any{"company": "Acme"}).must(t, http.StatusOK)
		ids = append(ids, id)
	}
	get := func(q string) ([]map[string]any, any) {
		t.Helper()
		r := e.do("GET", "/api/v1/audit?"+q, nil).must(t, http.StatusOK)
		return r.list("entries"), r.body["next_before_id"]
	}
	if es, next := get("action=contact.create,contact.update"); len(es) != 6 || next != nil {
		t.Errorf("two actions: %d entries, next %v", len(es), next)
	}
	if es, _ := get("action=contact.create&action=contact.update"); len(es) != 6 {
		t.Errorf("repeated action: %d", len(es))
	}
	if es, _ := get("actor_kind=api_key&action=contact.update"); len(es) != 3 {
		t.Errorf("by actor kind: %d", len(es))
	}
	if es, _ := get("actor_kind=user"); len(es) != 0 {
		t.Errorf("by another kind: %d", len(es))
	}
	name := e.do("GET", "/api/v1/audit?limit=1", nil).must(t, http.StatusOK).list("entries")[0]["actor_name"].(string)
	if es, _ := get("actor=" + url.QueryEscape(name)); len(es) != 6 {
		t.Errorf("by actor name %q: %d", name, len(es))
	}
	from := url.QueryEscape(start.Format(time.RFC3339))
	if es, _ := get("from=" + from + "&to=" + url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))); len(es) != 6 {
		t.Errorf("time window: %d", len(es))
	}
	if es, _ := get("to=" + from); len(es) != 0 {
		t.Errorf("before the window: %d", len(es))
	}
	// Keyset pages: every entry once, newest first.
	seen := map[float64]bool{}
	q := "limit=4"
	for pages := 0; ; pages++ {
		es, next := get(q)
		for _, en := range es {
			seen[en["id"].(float64)] = true
		}
		if next == nil {
			if pages != 1 {
				t.Errorf("%d pages", pages+1)
			}
			break
		}
		q = fmt.Sprintf("limit=4&before_id=%d", int64(next.(float64)))
	}
	if len(seen) != 6 {
		t.Errorf("pages saw %d entries", len(seen))
	}
	for _, bad := range []string{"before_id=x", "before_id=0", "actor_id=3", "actor_kind=robot", "action=DROP%20TABLE",
		"from=yesterday", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"} {
		e.do("GET", "/api/v1/audit?"+bad, nil).mustError(t, 422, "validation_failed")
	}
}
