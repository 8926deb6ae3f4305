package webui

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestContactCRUD(t *testing.T) {
	e := newEnv(t)
	res := e.do("POST", "/api/v1/contacts", map[string]any{
		"first_name": "Ana", "last_name": "Silva", "email": " Ana@Example.COM ", "phone": "+1 415 555 2671",
		"company": "Acme", "tags": []string{"VIP", "lead"}, "custom": map[string]any{"plan": "pro"},
	}).must(t, http.StatusCreated)
	id := res.id()
	if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/contacts/%d", id); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	c := res.body
	for k, want := range map[string]any{
		"name": "Ana Silva", "email": "ana@example.com", "phone": "+14155552671", "company": "Acme", "channel": "api",
	} {
		if c[k] != want {
			t.Errorf("%s = %v, want %v", k, c[k], want)
		}
	}
	if fmt.Sprint(c["tags"]) != "[vip lead]" {
		t.Errorf("tags = %v", c["tags"])
	}

	got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", id), nil).must(t, http.StatusOK).body
	if got["email"] != "ana@example.com" || got["custom"].(map[string]any)["plan"] != "pro" {
		t.Errorf("get: %v", got)
	}

	upd := e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", id), map[string]any{"company": "Globex", "email": ""}).
		must(t, http.StatusOK).body
	if upd["company"] != "Globex" || upd["email"] != nil || upd["first_name"] != "Ana" {
		t.Errorf("patch: company %v email %v first_name %v", upd["company"], upd["email"], upd["first_name"])
	}

	e.do("DELETE", fmt.Sprintf("/api/v1/contacts/%d?keep_history=maybe", id), nil).mustError(t, 422, "validation_failed")
	r := e.do("DELETE", fmt.Sprintf("/api/v1/contacts/%d?keep_history=true", id), nil).must(t, http.StatusNoContent)
	if len(r.raw) != 0 {
		t.Errorf("204 with a body: %s", r.raw)
	}
	e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", id), nil).mustError(t, 404, "not_found")
	e.do("DELETE", fmt.Sprintf("/api/v1/contacts/%d", id), nil).mustError(t, 404, "not_found")
	e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", id), map[string]any{"company": "X"}).mustError(t, 404, "not_found")
}

func TestContactJSONShape(t *testing.T) {
	e := newEnv(t)
	c := e.createContact(map[string]any{"name": "Solo"})
	keys := []string{"id", "name", "first_name", "last_name", "email", "phone", "company", "channel", "external_id",
		"telegram_id", "instagram_id", "facebook_id", "whatsapp_id", "identities", "do_not_contact", "tags", "notes",
		"context", "memories", "learned_context", "country", "region", "city", "custom", "conflicts", "sources",
		"lead_status", "lead_score", "conversation_count", "created_at", "updated_at", "last_seen_at"}
	for _, k := range keys {
		if _, ok := c[k]; !ok {
			t.Errorf("contact JSON lacks %q", k)
		}
	}
	for _, k := range []string{"email", "phone", "external_id", "telegram_id", "instagram_id", "facebook_id", "whatsapp_id", "last_seen_at"} {
		if c[k] != nil {
			t.Errorf("%s = %v, want null", k, c[k])
		}
	}
	for _, k := range []string{"tags", "memories", "conflicts", "identities"} {
		if arr, ok := c[k].([]any); !ok || len(arr) != 0 {
			t.Errorf("%s = %#v, want []", k, c[k])
		}
	}
	for _, k := range []string{"learned_context", "custom"} {
		if m, ok := c[k].(map[string]any); !ok || len(m) != 0 {
			t.Errorf("%s = %#v, want {}", k, c[k])
		}
	}
	created, err := time.Parse(time.RFC3339, c["created_at"].(string))
	if err != nil || created.Location() != time.UTC || !strings.HasSuffix(c["created_at"].(string), "Z") {
		t.Errorf("created_at %v is not RFC 3339 UTC: %v", c["created_at"], err)
	}
	if c["name"] != "Solo" || c["first_name"] != "Solo" || c["lead_status"] != "new" {
		t.Errorf("name %v first_name %v lead_status %v", c["name"], c["first_name"], c["lead_status"])
	}

	social := e.createContact(map[string]any{
		"telegram_id": "12345", "facebook_id": "fb-1", "whatsapp_id": "+49 151 2345 6789", "instagram_id": "ig-1",
		"identities": []map[string]any{{"channel": "widget", "external_id": "visitor-9", "handle": "Vis"}},
	})
	for k, want := range map[string]string{"telegram_id": "12345", "facebook_id": "fb-1", "whatsapp_id": "4915123456789", "instagram_id": "ig-1"} {
		if social[k] != want {
			t.Errorf("%s = %v, want %v", k, social[k], want)
		}
	}
	chans := map[string]string{}
	for _, x := range social["identities"].([]any) {
		id := x.(map[string]any)
		chans[id["channel"].(string)] = id["external_id"].(string)
	}
	if chans["messenger"] != "fb-1" || chans["widget"] != "visitor-9" || len(chans) != 5 {
		t.Errorf("identities: %v", chans)
	}
	if social["name"] != "Vis" {
		t.Errorf("name from handle = %v", social["name"])
	}
}

func TestDuplicateEmail(t *testing.T) {
	e := newEnv(t)
	first := idOf(e.createContact(map[string]any{"name": "First", "email": "dup@example.com"}))
	r := e.do("POST", "/api/v1/contacts", map[string]any{"name": "Second", "email": "DUP@example.com"}).
		mustError(t, http.StatusConflict, "conflict")
	errObj := r.body["error"].(map[string]any)
	if int64(errObj["existing_id"].(float64)) != first {
		t.Errorf("existing_id %v, want %d", errObj["existing_id"], first)
	}
	if _, ok := r.errFields()["email"]; !ok {
		t.Errorf("fields %v lack email", r.errFields())
	}

	second := idOf(e.createContact(map[string]any{"name": "Second", "email": "other@example.com"}))
	r = e.do("PATCH", fmt.Sprintf("/api/v1/contacts/%d", second), map[string]any{"email": "dup@example.com"}).
		mustError(t, http.StatusConflict, "conflict")
	if int64(r.body["error"].(map[string]any)["existing_id"].(float64)) != first {
		t.Errorf("patch: %s", r.raw)
	}
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Tagged", "tags": []string{"a"}}))
	p := fmt.Sprintf("/api/v1/contacts/%d/tags", id)
	r := e.do("POST", p, map[string]any{"tags": []string{"B", "c", "a"}}).must(t, http.StatusOK)
	if fmt.Sprint(r.body["tags"]) != "[a b c]" {
		t.Errorf("after add: %v", r.body["tags"])
	}
	r = e.do("DELETE", p, map[string]any{"tags": []string{"b"}}).must(t, http.StatusOK)
	if fmt.Sprint(r.body["tags"]) != "[a c]" {
		t.Errorf("after delete with body: %v", r.body["tags"])
	}
	r = e.do("DELETE", p+"?tags=a,c", nil).must(t, http.StatusOK)
	if tags, ok := r.body["tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("after delete with query: %#v", r.body["tags"])
	}
	e.do("DELETE", p, nil).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"tags": []string{}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{"tags": []string{"has,comma"}}).mustError(t, 422, "validation_failed")
	e.do("POST", p, `{"tags": "a"}`).mustError(t, 400, "bad_request")
	e.do("POST", "/api/v1/contacts/999999/tags", map[string]any{"tags": []string{"x"}}).mustError(t, 404, "not_found")
}

func TestDuplicates(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Ana Silva", "company": "Acme"}))
	b := idOf(e.createContact(map[string]any{"name": "ana silva", "company": "ACME"}))
	e.createContact(map[string]any{"name": "Someone Else", "company": "Acme"})
	r := e.do("GET", "/api/v1/contacts/duplicates", nil).must(t, http.StatusOK)
	groups := r.list("groups")
	if len(groups) != 1 {
		t.Fatalf("groups: %s", r.raw)
	}
	g := groups[0]
	if g["reason"] != "name_company" || g["value"] == "" {
		t.Errorf("group: %v", g)
	}
	var ids []int64
	for _, c := range g["contacts"].([]any) {
		ids = append(ids, idOf(c.(map[string]any)))
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if fmt.Sprint(ids) != fmt.Sprint([]int64{a, b}) {
		t.Errorf("group contacts %v, want %d and %d", ids, a, b)
	}
	e.do("GET", "/api/v1/contacts/duplicates?limit=0", nil).mustError(t, 422, "validation_failed")

	// An email typed in a chat that another contact holds: a suggestion.
	holder := idOf(e.createContact(map[string]any{"name": "Bea", "email": "bea@example.com"}))
	res, err := e.svc.RecordInbound(context.Background(), contacts.Inbound{ProjectID: e.project.ID, Channel: contacts.ChannelWidget,
		ExternalID: "visitor-1", Hints: contacts.Hints{Email: "bea@example.com"}, ChannelMessageID: "visitor-1:1", Text: "hi"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	r = e.do("GET", "/api/v1/contacts/duplicates", nil).must(t, http.StatusOK)
	claimed := 0
	for _, g := range r.list("groups") {
		if g["reason"] != "claimed" {
			continue
		}
		claimed++
		var ids []int64
		for _, c := range g["contacts"].([]any) {
			ids = append(ids, idOf(c.(map[string]any)))
		}
		if g["value"] != "email: bea@example.com" || fmt.Sprint(ids) != fmt.Sprint([]int64{holder, res.Contact.ID}) {
			t.Errorf("claimed group %v, want %d and %d over bea@example.com", g, holder, res.Contact.ID)
		}
	}
	if claimed != 1 {
		t.Errorf("%d claimed groups: %s", claimed, r.raw)
	}
}

func TestExport(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Export Me", "email": "ex@example.com"}))
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", id), map[string]any{"body": "called them"}).must(t, http.StatusCreated)
	conv := e.addConversation(e.project.ID, id, "hello", "hi there")

	r := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/export", id), nil).must(t, http.StatusOK)
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, fmt.Sprintf("contact-%d.json", id)) {
		t.Errorf("Content-Disposition %q", cd)
	}
	c := r.body["contact"].(map[string]any)
	if c["name"] != "Export Me" || c["email"] != "ex@example.com" {
		t.Errorf("contact: %v", c)
	}
	if _, ok := c["telegram_id"]; !ok {
		t.Errorf("export does not use the contact JSON: %v", c)
	}
	notes := r.list("team_notes")
	if len(notes) != 1 || notes[0]["body"] != "called them" {
		t.Errorf("team_notes: %v", notes)
	}
	convs := r.list("conversations")
	if len(convs) != 1 || idOf(convs[0]) != conv {
		t.Fatalf("conversations: %v", convs)
	}
	msgs := convs[0]["messages"].([]any)
	if len(msgs) != 2 || msgs[0].(map[string]any)["text"] != "hello" {
		t.Errorf("messages: %v", msgs)
	}
	if _, err := time.Parse(time.RFC3339, r.body["exported_at"].(string)); err != nil {
		t.Errorf("exported_at: %v", err)
	}
	e.do("GET", "/api/v1/contacts/999999/export", nil).mustError(t, 404, "not_found")
}
