package webui

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	e := newEnv(t)
	for name, key := range map[string]string{
		"no key":          "",
		"unknown key":     "sb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"not a key":       "hello",
		"key with spaces": "sb_ x y",
		"overlong":        "sb_" + strings.Repeat("a", 200),
	} {
		r := e.doAs(key, "GET", "/api/v1/contacts", nil)
		if r.status != 401 || r.errCode() != "unauthorized" {
			t.Errorf("%s: status %d: %s", name, r.status, r.raw)
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
		}
	}
	for name, header := range map[string]string{
		"basic scheme": "Basic " + e.key,
		"no scheme":    e.key,
		"empty bearer": "Bearer ",
	} {
		req, _ := http.NewRequest("GET", e.base+"/api/v1/contacts", nil)
		req.Header.Set("Authorization", header)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		record("GET", "/api/v1/contacts", res.StatusCode)
		if res.StatusCode != 401 {
			t.Errorf("%s: status %d", name, res.StatusCode)
		}
	}
	// The scheme is case-insensitive.
	req, _ := http.NewRequest("GET", e.base+"/api/v1/contacts", nil)
	req.Header.Set("Authorization", "bearer "+e.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("lower-case bearer: status %d", res.StatusCode)
	}

	// Every route needs the key, except the OpenAPI document and health.
	for _, rt := range [][2]string{
		{"GET", "/api/v1/contacts/1"}, {"POST", "/api/v1/contacts"}, {"GET", "/api/v1/stats"},
		{"POST", "/api/v1/contacts/bulk"}, {"GET", "/api/v1/audit"}, {"GET", "/api/v1/jobs/1"},
		{"DELETE", "/api/v1/saved-filters/1"}, {"POST", "/api/v1/merges/1/undo"},
	} {
		e.doAs("", rt[0], rt[1], nil).mustError(t, 401, "unauthorized")
	}
	e.doAs("", "GET", "/api/v1/openapi.json", nil).must(t, 200)
	e.doAs("", "GET", "/healthz", nil).must(t, 200)
}

func TestRevokedKey(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	k, secret, err := e.svc.CreateAPIKey(ctx, e.project.ID, "temp")
	if err != nil {
		t.Fatal(err)
	}
	c := e.doAs(secret, "POST", "/api/v1/contacts", map[string]any{"name": "By Temp"}).must(t, http.StatusCreated).body
	e.doAs(secret, "GET", "/api/v1/contacts", nil).must(t, 200)
	if err := e.svc.RevokeAPIKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	e.doAs(secret, "GET", "/api/v1/contacts", nil).mustError(t, 401, "unauthorized")
	// The other key of the project still works, and sees what the revoked one made.
	e.do("GET", "/api/v1/contacts/"+idStr(c), nil).must(t, 200)

	// The audit log names the key that acted.
	entries := e.do("GET", "/api/v1/audit?contact_id="+idStr(c), nil).must(t, 200).list("entries")
	if len(entries) == 0 || entries[0]["actor_kind"] != "api_key" || entries[0]["actor_name"] != "temp" {
		t.Errorf("audit: %v", entries)
	}
}
