package webui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

var shownSecret = regexp.MustCompile(`<code id="secret-value" class="secret">([^<]+)</code>`)

func TestSettingsAPIKeys(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/settings/api-keys").mustContain(t, "default", "sb_", `<span class="badge ok">active</span>`)

	p := c.postForm("/settings/api-keys", url.Values{"name": {"HubSpot sync"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/settings/api-keys/created?id=") {
		t.Fatalf("create: %d %s", p.status, p.location)
	}
	shown := c.get(p.location)
	m := shownSecret.FindStringSubmatch(shown.body)
	if m == nil {
		t.Fatalf("the new key is not shown:\n%s", shown.body)
	}
	secret := m[1]
	shown.mustContain(t, "shown only this once", `data-copy="secret-value"`)
	// Shown once: a reload finds nothing; the list shows the prefix only.
	again := c.get(p.location)
	again.mustContain(t, "was shown once and is not kept")
	if strings.Contains(again.body, secret) {
		t.Fatal("the key was shown twice")
	}
	list := c.get("/settings/api-keys")
	list.mustContain(t, "HubSpot sync", secret[:11]+"…", "never")
	if strings.Contains(list.body, secret) {
		t.Fatal("the list shows the key")
	}
	if r := e.doAs(secret, "GET", "/api/v1/contacts", nil); r.status != http.StatusOK {
		t.Fatalf("the new key does not work: %d", r.status)
	}

	id := strings.TrimPrefix(p.location, "/settings/api-keys/created?id=")
	list.mustContain(t, `data-open-dialog="revoke-`+id+`"`, `action="/settings/api-keys/`+id+`/revoke"`)
	if p := c.postForm("/settings/api-keys/"+id+"/revoke", nil); p.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.status)
	}
	c.get("/settings/api-keys").mustContain(t, "revoked", "no longer works")
	if r := e.doAs(secret, "GET", "/api/v1/contacts", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("a revoked key answers %d", r.status)
	}
	if p := c.postForm("/settings/api-keys/"+id+"/revoke", nil); p.status != http.StatusNotFound {
		t.Fatalf("revoke twice: %d", p.status)
	}
	// Another project's key cannot be revoked from here.
	other, otherKey := e.newProject("Other")
	keys, _ := e.svc.ListAPIKeys(context.Background(), other)
	if p := c.postForm("/settings/api-keys/"+strconv.FormatInt(keys[0].ID, 10)+"/revoke", nil); p.status != http.StatusNotFound {
		t.Fatalf("revoke a foreign key: %d", p.status)
	}
	if r := e.doAs(otherKey, "GET", "/api/v1/contacts", nil); r.status != http.StatusOK {
		t.Fatalf("the foreign key stopped working: %d", r.status)
	}

	entries, _ := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID,
		Actions: []string{contacts.AuditAPIKeyCreate, contacts.AuditAPIKeyRevoke}})
	if len(entries) != 2 || entries[0].Action != contacts.AuditAPIKeyRevoke || entries[1].Action != contacts.AuditAPIKeyCreate ||
		!strings.Contains(string(entries[1].After), `"name":"HubSpot sync"`) {
		t.Fatalf("audit: %+v", entries)
	}
	for _, en := range entries {
		if strings.Contains(string(en.Before)+string(en.After), secret) || en.ActorName != "admin@localhost" {
			t.Errorf("%s: %s %s by %s", en.Action, en.Before, en.After, en.ActorName)
		}
	}
}

func TestSettingsUsers(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	users := c.get("/settings/users")
	users.mustContain(t, "admin@localhost", `<span class="badge">you</span>`, "the only owner")
	// The only owner's role cannot be changed nor the owner removed.
	if strings.Contains(users.body, `data-open-dialog="remove-1"`) || !strings.Contains(users.body, `id="role-1" name="role" disabled`) {
		t.Error("the last owner is offered a demotion or removal")
	}
	if p := c.postForm("/settings/users/1/role", url.Values{"role": {"admin"}}); p.status != http.StatusOK || !strings.Contains(p.body, "needs an owner") {
		t.Fatalf("demote the last owner: %d", p.status)
	}
	if p := c.postForm("/settings/users/1/remove", nil); p.status != http.StatusOK || !strings.Contains(p.body, "needs an owner") {
		t.Fatalf("remove the last owner: %d", p.status)
	}

	// Bad input stays on the form with 200.
	p := c.postForm("/settings/users", url.Values{"email": {"not-an-email"}, "role": {"agent"}, "password": {"short"}})
	if p.status != http.StatusOK {
		t.Fatalf("invalid: %d", p.status)
	}
	p.mustContain(t, "is not a valid email address", "at least 8 characters", `value="not-an-email"`)

	// A new agent gets a generated password, shown once, that signs in.
	p = c.postForm("/settings/users", url.Values{"email": {"Agent@Example.com"}, "role": {"agent"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/settings/users/added?id=") {
		t.Fatalf("add: %d %s %s", p.status, p.location, p.body)
	}
	m := shownSecret.FindStringSubmatch(c.get(p.location).body)
	if m == nil {
		t.Fatal("the generated password is not shown")
	}
	if strings.Contains(c.get(p.location).body, m[1]) {
		t.Fatal("the password was shown twice")
	}
	agent := e.loginAs("agent@example.com", m[1])
	if p := agent.get("/settings"); p.status != http.StatusForbidden {
		t.Fatalf("the new agent opens settings: %d", p.status)
	}

	// An admin with a chosen password; then roles change.
	if p := c.postForm("/settings/users", url.Values{"email": {"boss@example.com"}, "role": {"admin"}, "password": {"boss password"}}); p.status != http.StatusSeeOther || p.location != "/settings/users" {
		t.Fatalf("add with a password: %d %s", p.status, p.location)
	}
	c.get("/settings/users").mustContain(t, "boss@example.com added as admin", "agent@example.com")
	if p := c.postForm("/settings/users", url.Values{"email": {"boss@example.com"}, "role": {"owner"}}); p.status != http.StatusOK || !strings.Contains(p.body, "is a member already") {
		t.Fatalf("add a member again: %d", p.status)
	}
	boss := e.loginAs("boss@example.com", "boss password")
	if p := boss.get("/settings/users"); p.status != http.StatusForbidden {
		t.Fatalf("an admin opens users: %d", p.status)
	}
	bossID := memberID(t, e, "boss@example.com")
	if p := c.postForm("/settings/users/"+bossID+"/role", url.Values{"role": {"owner"}}); p.status != http.StatusSeeOther {
		t.Fatalf("promote: %d %s", p.status, p.body)
	}
	if p := boss.get("/settings/users"); p.status != http.StatusOK {
		t.Fatalf("the new owner opens users: %d", p.status)
	}
	// With two owners the first may step down, and is sent where they may go.
	if p := c.postForm("/settings/users/1/role", url.Values{"role": {"admin"}}); p.status != http.StatusSeeOther || p.location != "/settings" {
		t.Fatalf("step down: %d %s", p.status, p.location)
	}
	if p := c.get("/settings/users"); p.status != http.StatusForbidden {
		t.Fatalf("a former owner opens users: %d", p.status)
	}

	agentID := memberID(t, e, "agent@example.com")
	boss.get("/settings/users").mustContain(t, `action="/settings/users/`+agentID+`/remove"`)
	if p := boss.postForm("/settings/users/"+agentID+"/remove", nil); p.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", p.status)
	}
	if p := agent.get("/account"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("a removed agent still works: %d %s", p.status, p.location)
	}

	entries, _ := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID,
		Actions: []string{contacts.AuditUserAdd, contacts.AuditUserRole, contacts.AuditUserRemove}})
	var got []string
	for _, en := range entries {
		got = append(got, en.Action+":"+en.ActorName)
		if strings.Contains(string(en.Before)+string(en.After), m[1]) || strings.Contains(string(en.After), "boss password") {
			t.Errorf("%s audits a password", en.Action)
		}
	}
	want := "user.remove:boss@example.com user.role:admin@localhost user.role:admin@localhost user.add:admin@localhost user.add:admin@localhost"
	if strings.Join(got, " ") != want {
		t.Fatalf("audited %v, want %s", got, want)
	}
}

func memberID(t *testing.T, e *testEnv, email string) string {
	t.Helper()
	ms, err := e.svc.Members(context.Background(), contacts.SystemActor, e.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Email == email {
			return strconv.FormatInt(m.UserID, 10)
		}
	}
	t.Fatalf("%s is not a member", email)
	return ""
}
