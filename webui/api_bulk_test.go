package webui

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestBulkWithIDs(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Bulk A"}))
	b := idOf(e.createContact(map[string]any{"name": "Bulk B"}))
	c := idOf(e.createContact(map[string]any{"name": "Bulk C"}))

	r := e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{a, b, 999999}, "action": "add_tags", "tags": []string{"VIP"}}).
		must(t, http.StatusOK)
	if r.body["matched"] != 3.0 || r.body["affected"] != 2.0 || r.body["failed"] != 1.0 {
		t.Errorf("add_tags: %s", r.raw)
	}
	if _, ok := r.body["job_id"]; ok {
		t.Errorf("a job id for a synchronous action: %s", r.raw)
	}
	if got := e.do("GET", "/api/v1/contacts?tags=vip", nil).must(t, http.StatusOK).body["total"]; got != 2.0 {
		t.Errorf("tagged: %v", got)
	}

	e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{a, c}, "action": "set", "set": map[string]any{"company": "Acme"}}).
		must(t, http.StatusOK)
	if got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", c), nil).body["company"]; got != "Acme" {
		t.Errorf("set: company %v", got)
	}
	e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{b}, "action": "set_do_not_contact", "do_not_contact": true}).
		must(t, http.StatusOK)
	if got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", b), nil).body["do_not_contact"]; got != true {
		t.Errorf("do_not_contact: %v", got)
	}
	r = e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{c}, "action": "delete", "keep_history": true}).must(t, http.StatusOK)
	if r.body["affected"] != 1.0 {
		t.Errorf("delete: %s", r.raw)
	}
	e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", c), nil).mustError(t, 404, "not_found")

	for name, body := range map[string]map[string]any{
		"no action":         {"ids": []int64{a}},
		"bad action":        {"ids": []int64{a}, "action": "explode"},
		"no target":         {"action": "delete"},
		"ids and query":     {"ids": []int64{a}, "query": "tags=vip", "action": "delete"},
		"no tags":           {"ids": []int64{a}, "action": "add_tags"},
		"bad set":           {"ids": []int64{a}, "action": "set", "set": map[string]any{"email": "nope"}},
		"dnc without value": {"ids": []int64{a}, "action": "set_do_not_contact"},
		"bad query":         {"query": "per_page=0&sort=bogus", "action": "delete"},
	} {
		r := e.do("POST", "/api/v1/contacts/bulk", body)
		if r.status != 422 || r.errCode() != "validation_failed" {
			t.Errorf("%s: status %d: %s", name, r.status, r.raw)
		}
	}
	r = e.do("POST", "/api/v1/contacts/bulk", map[string]any{"query": "sort=bogus", "action": "delete"})
	if _, ok := r.errFields()["query.sort"]; !ok {
		t.Errorf("query problems are not named: %s", r.raw)
	}
}

func TestBulkWithQuery(t *testing.T) {
	e := newEnv(t)
	for i := range 4 {
		tags := []string{"lead"}
		if i%2 == 0 {
			tags = append(tags, "eu")
		}
		e.createContact(map[string]any{"name": fmt.Sprintf("Query %d", i), "tags": tags})
	}
	e.createContact(map[string]any{"name": "Untagged"})

	// The query selects every match, not one page: per_page and page are ignored.
	r := e.do("POST", "/api/v1/contacts/bulk", map[string]any{"query": "?tags=eu&per_page=1&page=7", "action": "add_tags", "tags": []string{"promo"}}).
		must(t, http.StatusOK)
	if r.body["matched"] != 2.0 || r.body["affected"] != 2.0 {
		t.Errorf("bulk by query: %s", r.raw)
	}
	if got := e.do("GET", "/api/v1/contacts?tags=promo", nil).body["total"]; got != 2.0 {
		t.Errorf("promo: %v", got)
	}
	r = e.do("POST", "/api/v1/contacts/bulk", map[string]any{"query": "tags=lead", "action": "remove_tags", "tags": []string{"lead"}}).
		must(t, http.StatusOK)
	if r.body["matched"] != 4.0 {
		t.Errorf("remove by query: %s", r.raw)
	}
	// An empty query is every contact of the project.
	r = e.do("POST", "/api/v1/contacts/bulk", map[string]any{"query": "", "action": "set_do_not_contact", "do_not_contact": true}).
		must(t, http.StatusOK)
	if r.body["matched"] != 5.0 {
		t.Errorf("empty query: %s", r.raw)
	}
}

func TestBulkAsJob(t *testing.T) {
	e := newEnv(t)
	e.svc.BulkSyncLimit = 2
	var ids []int64
	for i := range 5 {
		ids = append(ids, idOf(e.createContact(map[string]any{"name": fmt.Sprintf("Job %d", i)})))
	}
	r := e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": ids, "action": "add_tags", "tags": []string{"batch"}}).
		must(t, http.StatusAccepted)
	jobID := int64(r.body["job_id"].(float64))
	if jobID == 0 || r.header.Get("Location") != fmt.Sprintf("/api/v1/jobs/%d", jobID) {
		t.Fatalf("job answer: %v %s", r.header, r.raw)
	}
	deadline := time.Now().Add(10 * time.Second)
	var job map[string]any
	for time.Now().Before(deadline) {
		job = e.do("GET", fmt.Sprintf("/api/v1/jobs/%d", jobID), nil).must(t, http.StatusOK).body
		if job["status"] == "done" || job["status"] == "failed" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if job["status"] != "done" || job["total"] != 5.0 || job["done"] != 5.0 || job["failed"] != 0.0 || job["kind"] != "bulk.add_tags" {
		t.Errorf("job: %v", job)
	}
	if got := e.do("GET", "/api/v1/contacts?tags=batch", nil).body["total"]; got != 5.0 {
		t.Errorf("tagged by the job: %v", got)
	}
	e.do("GET", "/api/v1/jobs/999999", nil).mustError(t, 404, "not_found")
	_, keyB := e.newProject("Other")
	e.doAs(keyB, "GET", fmt.Sprintf("/api/v1/jobs/%d", jobID), nil).mustError(t, 404, "not_found")
}

// A bulk delete without keep_history takes the project's erasure default,
// and the grace period holds the contacts restorable as for one delete.
func TestBulkDeleteFollowsPrivacySettings(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Grace A"}))
	b := idOf(e.createContact(map[string]any{"name": "Grace B"}))
	e.do("PUT", "/api/v1/privacy", map[string]any{"erasure_grace_days": 30, "erasure_default": "anonymize"}).must(t, http.StatusOK)

	r := e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{a, b}, "action": "delete"}).must(t, http.StatusOK)
	if r.body["affected"] != 2.0 {
		t.Fatalf("delete: %s", r.raw)
	}
	es := e.do("GET", "/api/v1/erasures", nil).must(t, http.StatusOK).list("erasures")
	if len(es) != 2 || es[0]["mode"] != "anonymize" || es[1]["mode"] != "anonymize" {
		t.Fatalf("pending erasures: %v", es)
	}
	e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", a), nil).mustError(t, 404, "not_found")
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/restore", a), nil).must(t, http.StatusOK)

	// An explicit keep_history=false still waits out the grace period, in delete mode.
	e.do("POST", "/api/v1/contacts/bulk", map[string]any{"ids": []int64{a}, "action": "delete", "keep_history": false}).must(t, http.StatusOK)
	for _, er := range e.do("GET", "/api/v1/erasures", nil).must(t, http.StatusOK).list("erasures") {
		if idOf(map[string]any{"id": er["contact_id"]}) == a && er["mode"] != "delete" {
			t.Errorf("keep_history=false: %v", er)
		}
	}
}
