package webui

import (
	"context"
	"net/http"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestBotSettingsAPI(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/bot", nil).must(t, http.StatusOK)
	if r.body["enabled"] != true || r.body["collect_email"] != "after:1" {
		t.Fatalf("defaults: %s", r.raw)
	}
	in := map[string]any{"enabled": true, "persona": "You are Ana from Acme Dental.", "knowledge": "Q: Parking? A: Free parking behind the clinic.",
		"collect_email": "start", "collect": []string{"name"}, "handoff_keywords": []string{"refund"}}
	e.do("PUT", "/api/v1/bot", in).must(t, http.StatusOK)
	r = e.do("GET", "/api/v1/bot", nil).must(t, http.StatusOK)
	if r.body["collect_email"] != "start" || r.body["persona"] != in["persona"] {
		t.Fatalf("saved: %s", r.raw)
	}
	for name, bad := range map[string]map[string]any{
		"collect_email": {"enabled": true, "collect_email": "after:zero"},
		"collect":       {"enabled": true, "collect_email": "off", "collect": []string{"ssn"}},
	} {
		r := e.do("PUT", "/api/v1/bot", bad).must(t, http.StatusUnprocessableEntity)
		errBody, _ := r.body["error"].(map[string]any)
		if fields, _ := errBody["fields"].(map[string]any); fields[name] == nil {
			t.Errorf("%s: the error names the field: %s", name, r.raw)
		}
	}
	e.do("PUT", "/api/v1/bot", map[string]any{"enabled": true, "surprise": 1}).must(t, http.StatusBadRequest)
	if r := e.do("GET", "/api/v1/bot", nil).must(t, http.StatusOK); r.body["collect_email"] != "start" {
		t.Fatalf("a rejected update changed the settings: %s", r.raw)
	}
}

func TestSuggestionsAPI(t *testing.T) {
	e := newEnv(t)
	c := e.createContact(map[string]any{"first_name": "Robert", "company": "Acme"})
	id := int64(c["id"].(float64))
	_, _, err := e.svc.ApplyEnrichment(context.Background(), e.project.ID, id, contacts.Enrichment{Values: []contacts.ProposedValue{
		{Field: "first_name", Value: "Bob", Confidence: 0.8, MessageIDs: []int64{4}},
		{Field: "company", Value: "Initech", Confidence: 0.7}}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/contacts/" + idStr(c) + "/suggestions"
	list := e.do("GET", path, nil).must(t, http.StatusOK).list("suggestions")
	if len(list) != 2 {
		t.Fatalf("suggestions: %v", list)
	}
	byField := map[string]map[string]any{}
	for _, m := range list {
		byField[m["field"].(string)] = m
	}
	bob := byField["first_name"]
	if bob["value"] != "Bob" || bob["current"] != "Robert" || bob["status"] != "pending" {
		t.Fatalf("suggestion: %v", bob)
	}
	r := e.do("POST", path+"/"+idStr(bob)+"/accept", nil).must(t, http.StatusOK)
	if contact := r.body["contact"].(map[string]any); contact["first_name"] != "Bob" {
		t.Fatalf("accepted: %s", r.raw)
	}
	e.do("POST", path+"/"+idStr(bob)+"/accept", nil).must(t, http.StatusConflict)
	e.do("POST", path+"/"+idStr(byField["company"])+"/reject", nil).must(t, http.StatusOK)
	if left := e.do("GET", path, nil).must(t, http.StatusOK).list("suggestions"); len(left) != 0 {
		t.Fatalf("pending after deciding both: %v", left)
	}
	if all := e.do("GET", path+"?status=all", nil).must(t, http.StatusOK).list("suggestions"); len(all) != 2 {
		t.Fatalf("all: %v", all)
	}
	e.do("GET", path+"?status=maybe", nil).must(t, http.StatusUnprocessableEntity)
	e.do("GET", "/api/v1/contacts/999999/suggestions", nil).must(t, http.StatusNotFound)
	e.do("POST", path+"/999999/accept", nil).must(t, http.StatusNotFound)
	e.do("POST", path+"/abc/reject", nil).must(t, http.StatusNotFound)
	_, key := e.newProject("Other")
	e.doAs(key, "GET", path, nil).must(t, http.StatusNotFound)
}
