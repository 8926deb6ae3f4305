package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway/webhooks"
)

// asAgent lets requests with X-Test-Agent act as an agent of the first
// project (staff sessions are not built yet).
func asAgent(s *Server) {
	s.auth = append([]authenticator{func(c *fiber.Ctx) (*principal, error) {
		if c.Get("X-Test-Agent") == "" {
			return nil, nil
		}
		return &principal{Actor: contacts.Actor{Kind: contacts.ActorUser, ID: 42, Name: "agent", Role: contacts.RoleAgent}, ProjectID: 1}, nil
	}}, s.auth...)
}

func TestWebhooksCRUD(t *testing.T) {
	e := newEnv(t)
	created := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://crm.example.com/hook",
		"events": []string{"contact.updated", "contact.created"}, "description": "HubSpot sync"}).must(t, http.StatusCreated).body
	secret, _ := created["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || created["active"] != true || fmt.Sprint(created["events"]) != "[contact.created contact.updated]" ||
		created["previous_secret_expires_at"] != nil {
		t.Fatalf("created %v", created)
	}
	id := idStr(created)
	got := e.do("GET", "/api/v1/webhooks/"+id, nil).must(t, http.StatusOK).body
	if _, shown := got["secret"]; shown || got["url"] != "https://crm.example.com/hook" || got["description"] != "HubSpot sync" {
		t.Fatalf("get shows %v", got)
	}
	list := e.do("GET", "/api/v1/webhooks", nil).must(t, http.StatusOK).list("webhooks")
	if len(list) != 1 || list[0]["secret"] != nil {
		t.Fatalf("list %v", list)
	}
	up := e.do("PATCH", "/api/v1/webhooks/"+id, map[string]any{"url": "https://crm.example.com/v2", "events": []string{"contact.deleted"},
		"active": false}).must(t, http.StatusOK).body
	if up["url"] != "https://crm.example.com/v2" || up["active"] != false || fmt.Sprint(up["events"]) != "[contact.deleted]" || up["description"] != "HubSpot sync" {
		t.Fatalf("updated %v", up)
	}
	rot := e.do("POST", "/api/v1/webhooks/"+id+"/rotate-secret", nil).must(t, http.StatusOK).body
	if s, _ := rot["secret"].(string); s == secret || !strings.HasPrefix(s, "whsec_") || rot["previous_secret_expires_at"] == nil {
		t.Fatalf("rotated %v", rot)
	}
	now := e.do("POST", "/api/v1/webhooks/"+id+"/rotate-secret", map[string]any{"previous_valid_seconds": 0}).must(t, http.StatusOK).body
	if now["previous_secret_expires_at"] != nil {
		t.Fatalf("an old secret retired at once still shows an expiry: %v", now)
	}
	e.do("POST", "/api/v1/webhooks/"+id+"/rotate-secret", map[string]any{"previous_valid_seconds": -1}).mustError(t, http.StatusUnprocessableEntity, "validation_failed")
	e.do("DELETE", "/api/v1/webhooks/"+id, nil).must(t, http.StatusNoContent)
	e.do("GET", "/api/v1/webhooks/"+id, nil).mustError(t, http.StatusNotFound, "not_found")
	e.do("DELETE", "/api/v1/webhooks/"+id, nil).mustError(t, http.StatusNotFound, "not_found")
}

func TestWebhooksValidation(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		body   any
		status int
		field  string
	}{
		{map[string]any{"events": []string{"contact.created"}}, 422, "url"},
		{map[string]any{"url": "https://crm.example.com/"}, 422, "events"},
		{map[string]any{"url": "ftp://crm.example.com/", "events": []string{"contact.created"}}, 422, "url"},
		{map[string]any{"url": "https://me:pw@crm.example.com/", "events": []string{"contact.created"}}, 422, "url"},
		{map[string]any{"url": "https://crm.example.com/", "events": []string{}}, 422, "events"},
		{map[string]any{"url": "https://crm.example.com/", "events": []string{"contact.sneezed"}}, 422, "events"},
		{map[string]any{"url": "https://crm.example.com/", "events": []string{"contact.created"}, "description": strings.Repeat("x", 501)}, 422, "description"},
		{map[string]any{"url": "https://crm.example.com/", "events": "contact.created"}, 400, ""},
		{map[string]any{"url": "https://crm.example.com/", "events": []string{"contact.created"}, "secret": "mine"}, 400, ""},
		{`{"url":`, 400, ""},
	} {
		r := e.do("POST", "/api/v1/webhooks", tc.body)
		if tc.status == 422 {
			r.mustError(t, 422, "validation_failed")
			if _, ok := r.errFields()[tc.field]; !ok {
				t.Errorf("%v: fields %v, want %s", tc.body, r.errFields(), tc.field)
			}
		} else {
			r.mustError(t, 400, "bad_request")
		}
	}
	id := idStr(e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://crm.example.com/", "events": []string{"contact.created"}}).must(t, 201).body)
	e.do("PATCH", "/api/v1/webhooks/"+id, map[string]any{"events": []string{"nope"}}).mustError(t, 422, "validation_failed")
	e.do("PATCH", "/api/v1/webhooks/"+id, map[string]any{"url": ""}).mustError(t, 422, "validation_failed")
	e.do("PATCH", "/api/v1/webhooks/999", map[string]any{"active": true}).mustError(t, 404, "not_found")
	e.do("GET", "/api/v1/webhooks/abc", nil).mustError(t, 404, "not_found")
	e.do("GET", "/api/v1/webhooks/999/deliveries", nil).mustError(t, 404, "not_found")
	e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=0", nil).mustError(t, 422, "validation_failed")
	e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?before=x", nil).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/webhooks/"+id+"/deliveries/999/redeliver", nil).mustError(t, 404, "not_found")

	// Another project sees none of it.
	_, otherKey := e.newProject("Other")
	e.doAs(otherKey, "GET", "/api/v1/webhooks/"+id, nil).mustError(t, 404, "not_found")
	e.doAs(otherKey, "DELETE", "/api/v1/webhooks/"+id, nil).mustError(t, 404, "not_found")
	if l := e.doAs(otherKey, "GET", "/api/v1/webhooks", nil).must(t, 200).list("webhooks"); len(l) != 0 {
		t.Fatalf("another project lists %v", l)
	}
	for i := 1; i < contacts.MaxWebhooksPerProject; i++ {
		e.do("POST", "/api/v1/webhooks", map[string]any{"url": fmt.Sprintf("https://crm.example.com/%d", i), "events": []string{"contact.created"}}).must(t, 201)
	}
	e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://crm.example.com/x", "events": []string{"contact.created"}}).mustError(t, 409, "conflict")
}

func TestWebhooksForbiddenToAgents(t *testing.T) {
	e := newEnv(t, asAgent)
	id := idStr(e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://crm.example.com/", "events": []string{"contact.created"}}).must(t, 201).body)
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1/webhooks"}, {"POST", "/api/v1/webhooks"}, {"GET", "/api/v1/webhooks/" + id},
		{"PATCH", "/api/v1/webhooks/" + id}, {"DELETE", "/api/v1/webhooks/" + id}, {"POST", "/api/v1/webhooks/" + id + "/rotate-secret"},
		{"GET", "/api/v1/webhooks/" + id + "/deliveries"}, {"POST", "/api/v1/webhooks/" + id + "/deliveries/1/redeliver"},
	} {
		req, _ := http.NewRequest(r.method, e.base+r.path, strings.NewReader(`{"url":"https://evil.example.com/","events":["contact.created"],"active":true}`))
		req.Header.Set("X-Test-Agent", "1")
		req.Header.Set("Content-Type", "application/json")
		e.send(req).mustError(t, http.StatusForbidden, "forbidden")
	}
}

// End to end: a contact made through the API reaches the receiver as the
// API's own contact JSON, and the delivery log and redelivery work over
// HTTP.
func TestWebhookDeliveriesAPI(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var bodies [][]byte
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer rcv.Close()
	d := webhooks.New(webhooks.Config{Service: e.svc, Worker: e.srv.router.Worker(), RenderContact: ContactJSON,
		RenderConversation: ConversationJSON, Spacing: -1, Logger: e.srv.log})
	hook := e.do("POST", "/api/v1/webhooks", map[string]any{"url": rcv.URL, "events": []string{"contact.created", "contact.updated"}}).must(t, 201).body
	id := idStr(hook)
	c := e.createContact(map[string]any{"name": "Ada Lovelace", "email": "ada@example.com", "tags": []string{"vip"}})
	e.do("PATCH", "/api/v1/contacts/"+idStr(c), map[string]any{"company": "Engines"}).must(t, 200)
	run := func() {
		t.Helper()
		ctx := context.Background()
		if _, err := d.FanOut(ctx); err != nil {
			t.Fatal(err)
		}
		for {
			ran, err := e.srv.router.Worker().RunOne(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				return
			}
		}
	}
	run()
	mu.Lock()
	if len(bodies) != 2 {
		t.Fatalf("%d deliveries", len(bodies))
	}
	var first struct {
		Type string `json:"type"`
		Data struct {
			Contact map[string]any `json:"contact"`
		} `json:"data"`
	}
	if err := json.Unmarshal(bodies[0], &first); err != nil {
		t.Fatal(err)
	}
	mu.Unlock()
	api := e.do("GET", "/api/v1/contacts/"+idStr(c), nil).must(t, 200).body
	if first.Type != "contact.created" || !reflect.DeepEqual(first.Data.Contact, api) {
		t.Fatalf("webhook contact\n%v\nAPI contact\n%v", first.Data.Contact, api)
	}

	page := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=1", nil).must(t, 200)
	ds := page.list("deliveries")
	if len(ds) != 1 || ds[0]["event"] != "contact.updated" || ds[0]["status_code"] != float64(200) || ds[0]["outcome"] != "delivered" ||
		ds[0]["contact_id"] != c["id"] || !strings.HasPrefix(ds[0]["event_id"].(string), "evt_") {
		t.Fatalf("first page %v", ds)
	}
	next := page.body["next_before"]
	rest := e.do("GET", fmt.Sprintf("/api/v1/webhooks/%s/deliveries?limit=1&before=%v", id, next), nil).must(t, 200)
	if l := rest.list("deliveries"); len(l) != 1 || l[0]["event"] != "contact.created" {
		t.Fatalf("second page %v", l)
	}
	last := e.do("GET", fmt.Sprintf("/api/v1/webhooks/%s/deliveries?limit=1&before=%v", id, rest.body["next_before"]), nil).must(t, 200)
	if len(last.list("deliveries")) != 0 || last.body["next_before"] != nil {
		t.Fatalf("past the end %v", last.body)
	}

	did := fmt.Sprint(ds[0]["id"])
	re := e.do("POST", "/api/v1/webhooks/"+id+"/deliveries/"+did+"/redeliver", nil).must(t, http.StatusAccepted).body
	if re["event_id"] != ds[0]["event_id"] {
		t.Fatalf("redeliver %v", re)
	}
	run()
	latest := e.do("GET", "/api/v1/webhooks/"+id+"/deliveries", nil).must(t, 200).list("deliveries")
	if len(latest) != 3 || latest[0]["manual"] != true || latest[0]["event_id"] != ds[0]["event_id"] {
		t.Fatalf("after redelivery %v", latest)
	}
	e.do("PATCH", "/api/v1/webhooks/"+id, map[string]any{"active": false}).must(t, 200)
	e.do("POST", "/api/v1/webhooks/"+id+"/deliveries/"+did+"/redeliver", nil).mustError(t, http.StatusConflict, "conflict")
}
