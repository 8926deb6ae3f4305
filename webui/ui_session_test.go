package webui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestUILoginFlow(t *testing.T) {
	e := newEnv(t)
	c := e.uiClient()

	if p := c.get("/account?tab=1"); p.status != http.StatusSeeOther || p.location != "/login?next="+url.QueryEscape("/account?tab=1") {
		t.Fatalf("anonymous page: %d to %q", p.status, p.location)
	}
	c.get("/login")
	token := c.csrf
	if p := c.postForm("/login", url.Values{"_csrf": {"forged"}, "email": {"admin@localhost"}, "password": {e.password}}); p.status != http.StatusForbidden {
		t.Fatalf("login with a forged CSRF token: %d", p.status)
	}
	p := c.postForm("/login", url.Values{"email": {"admin@localhost"}, "password": {"wrong password"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Wrong email or password") || strings.Contains(strings.Join(p.header.Values("Set-Cookie"), ";"), sessionCookie) {
		t.Fatalf("wrong password: %d %s", p.status, p.body)
	}
	if c.csrf == token {
		t.Error("the login form's token was not renewed")
	}
	p = c.postForm("/login", url.Values{"email": {"admin@localhost"}, "password": {e.password}, "next": {"/contacts?q=ann"}})
	if p.status != http.StatusSeeOther || p.location != "/contacts?q=ann" {
		t.Fatalf("login: %d to %q", p.status, p.location)
	}
	var cookie string
	for _, v := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") {
			cookie = v
		}
	}
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(strings.ToLower(cookie), "samesite=lax") {
		t.Errorf("session cookie flags: %q", cookie)
	}
	home := c.get("/")
	home.mustContain(t, "admin@localhost", "Default", `aria-current="page">Dashboard`)
	if csp := home.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP: %q", csp)
	}

	if p := c.postForm("/logout", url.Values{"_csrf": {"forged"}}); p.status != http.StatusForbidden {
		t.Fatalf("logout with a forged token: %d", p.status)
	}
	if p := c.postForm("/logout", url.Values{}); p.status != http.StatusSeeOther || p.location != "/login" {
		t.Fatalf("logout: %d to %q", p.status, p.location)
	}
	if p := c.get("/"); p.status != http.StatusSeeOther {
		t.Fatalf("after logout: %d", p.status)
	}

	audit, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Action: contacts.AuditLogin})
	if err != nil || len(audit) != 1 || audit[0].ActorName != "admin@localhost" {
		t.Fatalf("login audit: %v %+v", err, audit)
	}
}

func TestUILoginNextStaysOnSite(t *testing.T) {
	for next, want := range map[string]string{
		"/contacts?q=1":        "/contacts?q=1",
		"//evil.example/x":     "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
		"":                     "/",
	} {
		e := newEnv(t)
		c := e.uiClient()
		c.get("/login")
		p := c.postForm("/login", url.Values{"email": {"admin@localhost"}, "password": {e.password}, "next": {next}})
		if p.location != want {
			t.Errorf("next %q: redirected to %q, want %q", next, p.location, want)
		}
	}
}

func TestUILoginRateLimited(t *testing.T) {
	e := newEnv(t)
	c := e.uiClient()
	c.get("/login")
	var last page
	for range loginAttempts + 1 {
		last = c.postForm("/login", url.Values{"email": {"admin@localhost"}, "password": {"not the password"}})
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Too many sign-in attempts") {
		t.Fatalf("attempt %d: %d", loginAttempts+1, last.status)
	}
	// Even the right password waits now.
	if p := c.postForm("/login", url.Values{"email": {"admin@localhost"}, "password": {e.password}}); p.status != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d", p.status)
	}
}

func TestUISessionCallsTheAPIWithCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	if p := c.api("GET", "/contacts", "", false); p.status != http.StatusOK {
		t.Fatalf("GET with the cookie: %d %s", p.status, p.body)
	}
	if p := c.api("POST", "/contacts", `{"first_name":"Ann"}`, false); p.status != http.StatusForbidden {
		t.Fatalf("POST without the CSRF header: %d %s", p.status, p.body)
	}
	if p := c.api("POST", "/contacts", `{"first_name":"Ann"}`, true); p.status != http.StatusCreated {
		t.Fatalf("POST with the CSRF header: %d %s", p.status, p.body)
	}
	audit, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Action: contacts.AuditContactCreate})
	if err != nil || len(audit) != 1 || audit[0].ActorKind != contacts.ActorUser || audit[0].ActorName != "admin@localhost" {
		t.Fatalf("the API call is not audited as the user: %v %+v", err, audit)
	}
}

func TestUIPasswordChange(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	other := e.owner()
	cases := []struct {
		current, next, confirm, wantErr string
	}{
		{e.password, "new password 1", "something else", "does not match"},
		{"not it at all", "new password 1", "new password 1", "is not your current password"},
		{e.password, "short", "short", "at least 8 characters"},
	}
	for _, tc := range cases {
		p := c.postForm("/account/password", url.Values{"current_password": {tc.current}, "new_password": {tc.next}, "confirm_password": {tc.confirm}})
		if p.status != http.StatusOK || !strings.Contains(p.body, tc.wantErr) || strings.Contains(p.body, "has been changed") {
			t.Fatalf("%+v: %d, want the error %q:\n%s", tc, p.status, tc.wantErr, p.body)
		}
	}
	p := c.postForm("/account/password", url.Values{"current_password": {e.password}, "new_password": {"new password 1"}, "confirm_password": {"new password 1"}})
	p.mustContain(t, "Your password has been changed")
	if p := other.get("/"); p.status != http.StatusSeeOther {
		t.Errorf("the other session survived the change: %d", p.status)
	}
	if p := c.get("/"); p.status != http.StatusOK {
		t.Errorf("this session ended: %d", p.status)
	}
	e.loginAs("admin@localhost", "new password 1")
}

func TestUIProjectSwitchAndRoles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	second, _ := e.newProject("Second")
	third, _ := e.newProject("Third")
	if _, _, err := e.svc.AddUser(ctx, e.project.ID, "agent@example.com", contacts.RoleAgent, "agent password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.AddUser(ctx, second, "agent@example.com", contacts.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	c := e.loginAs("agent@example.com", "agent password")
	home := c.get("/")
	home.mustContain(t, `<span class="role">agent</span>`, `<option value="`)
	if strings.Contains(home.body, `href="/settings"`) {
		t.Error("an agent sees the settings link")
	}
	if p := c.postForm("/project", url.Values{"project_id": {strconv.FormatInt(third, 10)}, "next": {"/contacts/5"}}); p.status != http.StatusNotFound {
		t.Fatalf("switch to a project the user is not in: %d", p.status)
	}
	p := c.postForm("/project", url.Values{"project_id": {strconv.FormatInt(second, 10)}, "next": {"/contacts/5?tab=x"}})
	if p.status != http.StatusSeeOther || p.location != "/contacts" {
		t.Fatalf("switch: %d to %q", p.status, p.location)
	}
	c.get("/").mustContain(t, `<span class="role">admin</span>`, `href="/settings"`)
	if p := c.api("GET", "/contacts", "", false); p.status != http.StatusOK {
		t.Fatal(p.status)
	}
}

func TestUIStaticAssets(t *testing.T) {
	e := newEnv(t)
	u, err := assetURL("app.css")
	if err != nil {
		t.Fatal(err)
	}
	c := e.uiClient()
	p := c.get(u)
	if p.status != http.StatusOK || !strings.Contains(p.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/css") {
		t.Fatalf("%s: %d %v", u, p.status, p.header)
	}
	if p := c.get("/static/app.css"); p.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unversioned asset cached: %q", p.header.Get("Cache-Control"))
	}
	if p := c.get("/static/nope.js"); p.status != http.StatusNotFound {
		t.Errorf("missing asset: %d", p.status)
	}
}

func TestInitialsAndThousands(t *testing.T) {
	for in, want := range map[string]string{"Ann Lee": "AL", "  ann  ": "A", "": "?", "<img src=x>": "S", "élan vital x": "ÉV", "42 Co": "4C"} {
		if got := initials(in); got != want {
			t.Errorf("initials(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "48213": "48,213", "1000000": "1,000,000", "-1234": "-1,234"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUIUnknownPageIsHTML(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("GET", e.base+"/no/such/page", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	p := e.owner().do(req)
	if p.status != http.StatusNotFound || !strings.Contains(p.body, "There is no page at this address.") {
		t.Fatalf("unknown page: %d %s", p.status, p.body)
	}
	// API clients keep the JSON error.
	e.do("GET", "/api/v1/no-such-thing", nil).mustError(t, http.StatusNotFound, "not_found")
}
