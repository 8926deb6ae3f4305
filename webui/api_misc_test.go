package webui

import (
	"fmt"
	"net/http"
	"testing"
)

func TestSavedFilters(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/saved-filters", nil).must(t, http.StatusOK)
	if fs, ok := r.body["filters"].([]any); !ok || len(fs) != 0 {
		t.Errorf("no filters: %s", r.raw)
	}
	f := e.do("POST", "/api/v1/saved-filters", map[string]any{"name": " VIPs ", "query": "?tags=vip&sort=-created_at"}).
		must(t, http.StatusCreated).body
	if f["name"] != "VIPs" || f["query"] != "tags=vip&sort=-created_at" || f["id"] == nil || f["created_at"] == nil {
		t.Errorf("filter: %v", f)
	}
	fs := e.do("GET", "/api/v1/saved-filters", nil).must(t, http.StatusOK).list("filters")
	if len(fs) != 1 || fs[0]["name"] != "VIPs" {
		t.Errorf("filters: %v", fs)
	}
	r = e.do("POST", "/api/v1/saved-filters", map[string]any{"name": "bad", "query": "per_page=0"}).mustError(t, 422, "validation_failed")
	if _, ok := r.errFields()["query.per_page"]; !ok {
		t.Errorf("fields: %v", r.errFields())
	}
	e.do("POST", "/api/v1/saved-filters", map[string]any{"name": "", "query": "q=x"}).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/saved-filters", map[string]any{"name": "bad escape", "query": "q=%zz"}).mustError(t, 422, "validation_failed")

	p := fmt.Sprintf("/api/v1/saved-filters/%d", idOf(f))
	e.do("DELETE", p, nil).must(t, http.StatusNoContent)
	e.do("DELETE", p, nil).mustError(t, 404, "not_found")

	// Filters belong to the key that saved them.
	e.do("POST", "/api/v1/saved-filters", map[string]any{"name": "mine", "query": ""}).must(t, http.StatusCreated)
	_, other, err := e.svc.CreateAPIKey(t.Context(), e.project.ID, "other")
	if err != nil {
		t.Fatal(err)
	}
	if fs := e.doAs(other, "GET", "/api/v1/saved-filters", nil).must(t, http.StatusOK).list("filters"); len(fs) != 0 {
		t.Errorf("another key sees %v", fs)
	}
}

func TestStats(t *testing.T) {
	e := newEnv(t)
	e.createContact(map[string]any{"name": "S1", "email": "s1@example.com"})
	e.createContact(map[string]any{"name": "S2", "channel": "telegram"})
	r := e.do("GET", "/api/v1/stats", nil).must(t, http.StatusOK)
	for _, k := range []string{"total_contacts", "new_this_month", "by_channel", "by_lead_status",
		"avg_conversations_per_contact", "share_with_email", "share_with_phone"} {
		if _, ok := r.body[k]; !ok {
			t.Errorf("stats lack %q: %s", k, r.raw)
		}
	}
	if r.body["total_contacts"] != 2.0 || r.body["share_with_email"] != 0.5 {
		t.Errorf("stats: %s", r.raw)
	}
	if bc := r.body["by_channel"].(map[string]any); bc["telegram"] != 1.0 || bc["api"] != 1.0 {
		t.Errorf("by_channel: %v", bc)
	}
}

func TestAudit(t *testing.T) {
	e := newEnv(t)
	a := e.createContact(map[string]any{"name": "Audited"})
	e.createContact(map[string]any{"name": "Other"})
	e.do("PATCH", "/api/v1/contacts/"+idStr(a), map[string]any{"company": "Acme"}).must(t, http.StatusOK)

	entries := e.do("GET", "/api/v1/audit?contact_id="+idStr(a), nil).must(t, http.StatusOK).list("entries")
	if len(entries) != 2 {
		t.Fatalf("entries: %v", entries)
	}
	actions := map[string]bool{}
	for _, en := range entries {
		actions[en["action"].(string)] = true
		if en["contact_id"] != float64(idOf(a)) || en["actor_kind"] != "api_key" || en["at"] == nil {
			t.Errorf("entry: %v", en)
		}
	}
	if !actions["contact.create"] || !actions["contact.update"] {
		t.Errorf("actions: %v", actions)
	}
	if es := e.do("GET", "/api/v1/audit?action=contact.update", nil).must(t, http.StatusOK).list("entries"); len(es) != 1 {
		t.Errorf("by action: %v", es)
	}
	if es := e.do("GET", "/api/v1/audit?limit=1", nil).must(t, http.StatusOK).list("entries"); len(es) != 1 {
		t.Errorf("limit: %v", es)
	}
	for _, q := range []string{"limit=abc", "limit=0", "limit=1001", "contact_id=abc", "contact_id=0"} {
		e.do("GET", "/api/v1/audit?"+q, nil).mustError(t, 422, "validation_failed")
	}
}
