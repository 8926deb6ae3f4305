package webui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

// staff adds a user with role to the env's project and signs them in.
func (e *testEnv) staff(email string, role contacts.Role) *uiClient {
	e.t.Helper()
	if _, _, err := e.svc.AddUser(context.Background(), e.project.ID, email, role, "staff password"); err != nil {
		e.t.Fatal(err)
	}
	return e.loginAs(email, "staff password")
}

// settingsGets are the settings pages (ids that exist in the tests that
// use them: channel 1, webhook 1).
var settingsGets = []string{"/settings", "/settings/channels", "/settings/channels/new?type=widget", "/settings/channels/1",
	"/settings/channels/1/preview", "/settings/bot", "/settings/privacy", "/settings/webhooks", "/settings/webhooks/1",
	"/settings/webhooks/secret?id=1", "/settings/audit", "/settings/api-keys", "/settings/api-keys/created?id=1",
	"/settings/users", "/settings/users/added?id=1"}

// settingsPosts are the settings forms, with a body that would work for
// an owner.
var settingsPosts = map[string]url.Values{
	"/settings/channels":                          {"type": {"widget"}, "name": {"Sneaky"}},
	"/settings/channels/1":                        {"name": {"Renamed"}},
	"/settings/channels/1/delete":                 {},
	"/settings/bot":                               {"enabled": {"on"}, "collect_email": {"off"}},
	"/settings/privacy":                           {"erasure_default": {"delete"}},
	"/settings/privacy/erasures/1/restore":        {},
	"/settings/webhooks":                          {"url": {"https://example.com/h"}, "events": {"contact.created"}},
	"/settings/webhooks/1":                        {"url": {"https://example.com/x"}, "events": {"contact.created"}},
	"/settings/webhooks/1/rotate":                 {"previous_valid_seconds": {"0"}},
	"/settings/webhooks/1/delete":                 {},
	"/settings/webhooks/1/deliveries/1/redeliver": {},
	"/settings/api-keys":                          {"name": {"sneaky"}},
	"/settings/api-keys/1/revoke":                 {},
	"/settings/users":                             {"email": {"new@example.com"}, "role": {"owner"}},
	"/settings/users/1/role":                      {"role": {"agent"}},
	"/settings/users/1/remove":                    {},
}

func isOwnerOnly(path string) bool {
	return strings.HasPrefix(path, "/settings/users") || strings.HasPrefix(path, "/settings/api-keys")
}

func TestSettingsRefusals(t *testing.T) {
	e := newEnv(t)
	owner := e.owner()
	owner.postForm("/settings/channels", url.Values{"type": {"widget"}, "name": {"Site"}})
	owner.postForm("/settings/webhooks", url.Values{"url": {"https://example.com/h"}, "events": {"contact.created"}})
	agent := e.staff("agent@example.com", contacts.RoleAgent)
	admin := e.staff("admin@example.com", contacts.RoleAdmin)
	before, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}

	for _, path := range settingsGets {
		p := agent.get(path)
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "Something went wrong") {
			t.Errorf("agent GET %s: %d", path, p.status)
		}
		p = admin.get(path)
		if want := isOwnerOnly(path); want != (p.status == http.StatusForbidden) {
			t.Errorf("admin GET %s: %d", path, p.status)
		}
	}
	for path, form := range settingsPosts {
		if p := agent.postForm(path, form); p.status != http.StatusForbidden {
			t.Errorf("agent POST %s: %d", path, p.status)
		}
		if isOwnerOnly(path) {
			if p := admin.postForm(path, form); p.status != http.StatusForbidden {
				t.Errorf("admin POST %s: %d", path, p.status)
			}
		}
	}
	// Nothing the refused requests asked for happened.
	after, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range after[:len(after)-len(before)] {
		if en.Action != contacts.AuditLogin {
			t.Errorf("a refused request left %s by %s", en.Action, en.ActorName)
		}
	}
	if ms, _ := e.svc.Members(context.Background(), contacts.SystemActor, e.project.ID); len(ms) != 3 {
		t.Errorf("%d members after refused additions", len(ms))
	}

	// The API refuses agents the same settings changes.
	if _, err := e.svc.CreateChannelBy(context.Background(), contacts.Actor{Kind: contacts.ActorUser, ID: 9, Role: contacts.RoleAgent},
		e.project.ID, nil, contacts.ChannelInput{}); err == nil {
		t.Error("an agent created a channel through the service")
	}
	if p := agent.api("POST", "/channels", `{"type":"widget"}`, true); p.status != http.StatusForbidden {
		t.Errorf("agent POST /api/v1/channels: %d", p.status)
	}
	if p := agent.api("PUT", "/bot", `{"enabled":false,"collect_email":"off"}`, true); p.status != http.StatusForbidden {
		t.Errorf("agent PUT /api/v1/bot: %d", p.status)
	}

	// The index lists what each role may open.
	idx := admin.get("/settings")
	idx.mustContain(t, `href="/settings/channels"`, `href="/settings/audit"`)
	if strings.Contains(idx.body, `href="/settings/users"`) || strings.Contains(idx.body, `href="/settings/api-keys"`) {
		t.Error("an admin is offered the owners' sections")
	}
	owner.get("/settings").mustContain(t, "Channels", "Bot", "API keys", "Users", "Privacy &amp; retention", "Webhooks", "Audit log")
}

// Secrets are write-only: whatever was typed or made, no settings page
// shows it again (the pages that show a new one do so once), and the audit
// log keeps none of them.
func TestSettingsSecretsNeverShown(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	secrets := []string{"123456:TELEGRAM-bot-token-secret", "tg-secret-token-value-0123456789", "EAAGpageaccesstokensecret00",
		"metaappsecret-xyz", "verifytokensecret", "EAAGwhatsappcloudaccesstoken0", "cloudappsecret-abc", "cloudverifytoken"}
	forms := []url.Values{
		{"type": {"telegram"}, "name": {"TG"}, "config.token": {secrets[0]}, "config.mode": {"webhook"}, "config.secret_token": {secrets[1]}},
		{"type": {"messenger"}, "name": {"FB"}, "config.page_access_token": {secrets[2]}, "config.app_secret": {secrets[3]}, "config.verify_token": {secrets[4]}},
		{"type": {"whatsapp-cloud"}, "name": {"WA"}, "config.access_token": {secrets[5]}, "config.phone_number_id": {"10987654321"},
			"config.app_secret": {secrets[6]}, "config.verify_token": {secrets[7]}},
	}
	var channelPages []string
	for _, f := range forms {
		p := c.postForm("/settings/channels", f)
		if p.status != http.StatusSeeOther {
			t.Fatalf("create %s: %d %s", f.Get("type"), p.status, p.body)
		}
		channelPages = append(channelPages, p.location)
		page := c.get(p.location)
		page.mustContain(t, `<span class="badge ok" data-secret-state>set</span>`)
		// An empty secret on save keeps the stored one.
		keep := url.Values{"name": {f.Get("name") + " renamed"}}
		for k, v := range f {
			if k != "type" && k != "name" && !strings.HasSuffix(k, "token") && !strings.HasSuffix(k, "secret") {
				keep[k] = v
			}
		}
		if p := c.postForm(p.location, keep); p.status != http.StatusSeeOther {
			t.Fatalf("save %s without secrets: %d %s", f.Get("type"), p.status, p.body)
		}
	}
	ch, err := e.svc.Channel(context.Background(), e.project.ID, 1)
	if err != nil || !strings.Contains(string(ch.Config), secrets[0]) || ch.Name != "TG renamed" {
		t.Fatalf("the token was not kept: %v %s", err, ch.Name)
	}

	created := c.postForm("/settings/api-keys", url.Values{"name": {"CRM"}})
	shown := c.get(created.location)
	key := regexp.MustCompile(`sb_[A-Za-z0-9_-]{43}`).FindString(shown.body)
	hook := c.postForm("/settings/webhooks", url.Values{"url": {"https://crm.example.com/h"}, "events": {"contact.created"}})
	hookSecret := regexp.MustCompile(`whsec_[A-Za-z0-9_-]+`).FindString(c.get(hook.location).body)
	user := c.postForm("/settings/users", url.Values{"email": {"new@example.com"}, "role": {"agent"}})
	pw := regexp.MustCompile(`<code id="secret-value" class="secret">([^<]+)</code>`).FindStringSubmatch(c.get(user.location).body)
	if key == "" || hookSecret == "" || len(pw) < 2 {
		t.Fatalf("a new secret was not shown once: key %q hook %q pw %v", key, hookSecret, pw)
	}
	secrets = append(secrets, key, hookSecret, pw[1])

	pages := append([]string{"/settings", "/settings/channels", "/settings/bot", "/settings/api-keys", "/settings/users",
		"/settings/privacy", "/settings/webhooks", "/settings/webhooks/1", "/settings/audit", created.location, hook.location, user.location}, channelPages...)
	for _, path := range pages {
		p := c.get(path)
		if p.status != http.StatusOK {
			t.Errorf("%s: %d", path, p.status)
		}
		for _, s := range secrets {
			if strings.Contains(p.body, s) {
				t.Errorf("%s shows the secret %q", path, s)
			}
		}
	}
	raw := c.api("GET", "/audit?limit=1000", "", false)
	for _, s := range secrets {
		if strings.Contains(raw.body, s) {
			t.Errorf("the audit log holds the secret %q", s)
		}
	}
	// The log still tells that secrets were set.
	if !strings.Contains(raw.body, `secrets_set`) || !strings.Contains(raw.body, `secret_token`) {
		t.Errorf("the audit log does not say which secrets were set: %.500s", raw.body)
	}
}

// User-supplied names render as text on every settings page.
func TestSettingsEscaping(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	xss := `<img src=x onerror=alert(1)>`
	c.postForm("/settings/channels", url.Values{"type": {"widget"}, "name": {xss}, "config.allowed_origins": {"https://shop.example.com"}})
	c.postForm("/settings/webhooks", url.Values{"url": {"https://crm.example.com/h?q=<script>"}, "description": {xss + `<script>alert(2)</script>`},
		"events": {"contact.created"}})
	c.postForm("/settings/api-keys", url.Values{"name": {xss}})
	c.postForm("/settings/bot", url.Values{"persona": {`</textarea><script>alert(3)</script>`}, "collect_email": {"off"}})
	for _, path := range []string{"/settings/channels", "/settings/channels/1", "/settings/channels/1/preview", "/settings/webhooks",
		"/settings/webhooks/1", "/settings/api-keys", "/settings/bot", "/settings/audit"} {
		p := c.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, p.status, p.body)
		}
		if strings.Contains(p.body, "<img src=x") || strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "</textarea><script>") {
			t.Errorf("%s renders user input as HTML", path)
		}
		if !strings.Contains(p.body, "&lt;") {
			t.Errorf("%s lacks the escaped value", path)
		}
		if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
}
