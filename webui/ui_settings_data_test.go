package webui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestSettingsBot(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/settings/bot").mustContain(t, `name="enabled" type="checkbox" checked`, `value="after" checked`, `name="collect_email_after" type="number" min="1" max="100" value="1"`)

	bad := c.postForm("/settings/bot", url.Values{"persona": {"Ana"}, "collect_email": {"after"}, "collect_email_after": {"500"}})
	if bad.status != http.StatusOK {
		t.Fatalf("invalid: %d", bad.status)
	}
	bad.mustContain(t, `needs N from 1 to 100`, `value="500"`, ">Ana</textarea>")

	p := c.postForm("/settings/bot", url.Values{"persona": {"You are Ana."}, "knowledge": {"Open 9-5."}, "collect_email": {"start"},
		"collect": {"name", "phone"}, "handoff_keywords": {"manager\n\n refund "}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	page := c.get("/settings/bot")
	page.mustContain(t, "The bot is off.", ">You are Ana.</textarea>", ">Open 9-5.</textarea>", `value="start" checked`,
		`value="name" checked`, `value="phone" checked`, ">manager\nrefund</textarea>")
	if strings.Contains(page.body, `name="enabled" type="checkbox" checked`) {
		t.Error("the bot still shows as on")
	}
	got := e.do("GET", "/api/v1/bot", nil)
	if got.body["enabled"] != false || got.body["collect_email"] != "start" || got.body["persona"] != "You are Ana." {
		t.Fatalf("stored: %s", got.raw)
	}
	// The API audits the same way.
	if r := e.do("PUT", "/api/v1/bot", map[string]any{"enabled": true, "collect_email": "start", "persona": "You are Ana.",
		"knowledge": "Open 9-5.", "collect": []string{"name", "phone"}, "handoff_keywords": []string{"manager", "refund"}}); r.status != http.StatusOK {
		t.Fatalf("API: %d %s", r.status, r.raw)
	}
	entries, _ := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Action: contacts.AuditBotUpdate})
	if len(entries) != 2 || entries[0].ActorKind != contacts.ActorAPIKey || string(entries[0].After) != `{"enabled":true}` ||
		entries[1].ActorName != "admin@localhost" || !strings.Contains(string(entries[1].After), `"collect_email":"start"`) {
		t.Fatalf("audit: %+v", entries)
	}
}

func TestSettingsPrivacy(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/settings/privacy").mustContain(t, `value="delete" checked`, `name="erasure_grace_days" type="number" min="0" max="365" value="0"`,
		"No contact is waiting to be erased.")
	bad := c.postForm("/settings/privacy", url.Values{"erasure_default": {"anonymize"}, "erasure_grace_days": {"400"},
		"retention.purge_archived_months": {"x"}})
	if bad.status != http.StatusOK {
		t.Fatalf("invalid: %d", bad.status)
	}
	bad.mustContain(t, "must be a whole number", `value="x"`, `value="400"`, `value="anonymize" checked`)

	if p := c.postForm("/settings/privacy", url.Values{"erasure_default": {"anonymize"}, "erasure_grace_days": {"30"},
		"retention.archive_inactive_months": {"12"}, "retention.purge_archived_months": {"6"}, "retention.purge_message_bodies_days": {""}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	c.get("/settings/privacy").mustContain(t, "Privacy settings saved.", `value="anonymize" checked`, `value="30"`, `value="12"`, `value="6"`)
	set, _ := e.svc.PrivacySettings(context.Background(), e.project.ID)
	if set.ErasureGraceDays != 30 || set.Retention.PurgeMessageBodiesDays != 0 || set.ErasureDefault != contacts.ErasureAnonymize {
		t.Fatalf("stored: %+v", set)
	}

	// A contact erased within the grace period can be restored here.
	r := e.do("POST", "/api/v1/contacts", map[string]any{"first_name": "<b>Grace</b>", "email": "grace@example.com"})
	id := r.id()
	if r := e.do("DELETE", "/api/v1/contacts/"+itoa(id), nil); r.status >= 300 {
		t.Fatalf("erase: %d %s", r.status, r.raw)
	}
	page := c.get("/settings/privacy")
	page.mustContain(t, "&lt;b&gt;Grace&lt;/b&gt;", "anonymise, keep history", `action="/settings/privacy/erasures/`+itoa(id)+`/restore"`)
	if p := c.postForm("/settings/privacy/erasures/"+itoa(id)+"/restore", nil); p.status != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", p.status, p.body)
	}
	if _, err := e.svc.GetContact(context.Background(), e.project.ID, id); err != nil {
		t.Fatalf("not restored: %v", err)
	}
	c.get("/settings/privacy").mustContain(t, "restored.", "No contact is waiting to be erased.")
}

func TestSettingsWebhooks(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/settings/webhooks").mustContain(t, "No webhooks yet.", `value="contact.created" checked`, `value="conversation.closed" checked`)
	bad := c.postForm("/settings/webhooks", url.Values{"url": {"ftp://crm"}, "description": {"CRM"}})
	if bad.status != http.StatusOK {
		t.Fatalf("invalid: %d", bad.status)
	}
	bad.mustContain(t, "must be an http or https URL", "must name at least one", `value="ftp://crm"`)

	p := c.postForm("/settings/webhooks", url.Values{"url": {"https://crm.example.com/hook"}, "description": {"HubSpot"},
		"events": {"contact.created", "contact.deleted"}})
	if p.status != http.StatusSeeOther || p.location != "/settings/webhooks/secret?id=1" {
		t.Fatalf("create: %d %s", p.status, p.location)
	}
	shown := c.get(p.location)
	m := regexp.MustCompile(`whsec_[A-Za-z0-9_-]+`).FindString(shown.body)
	if m == "" || strings.Contains(c.get(p.location).body, m) {
		t.Fatalf("the secret is not shown exactly once")
	}
	c.get("/settings/webhooks").mustContain(t, "https://crm.example.com/hook", "HubSpot", `<span class="tag">contact.deleted</span>`)

	detail := c.get("/settings/webhooks/1")
	detail.mustContain(t, `value="contact.created" checked`, `value="contact.updated" >`, "Nothing delivered yet.", "Rotate secret")
	if p := c.postForm("/settings/webhooks/1", url.Values{"url": {"https://user:pw@crm.example.com"}, "events": {"contact.created"}, "active": {"on"}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, "must not carry credentials") {
		t.Fatalf("invalid update: %d", p.status)
	}
	// Saved without "active": deactivated.
	if p := c.postForm("/settings/webhooks/1", url.Values{"url": {"https://crm.example.com/v2"}, "description": {"HubSpot"}, "events": {"contact.updated"}}); p.status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", p.status, p.body)
	}
	w, _ := e.svc.Webhook(context.Background(), contacts.SystemActor, e.project.ID, 1)
	if w.Active || w.URL != "https://crm.example.com/v2" || len(w.Events) != 1 {
		t.Fatalf("stored: %+v", w)
	}

	// The delivery log shows codes; redelivery needs an active endpoint.
	now := time.Now()
	for i, code := range []int{500, 200} {
		d := &contacts.WebhookDelivery{ProjectID: e.project.ID, EndpointID: 1, Attempt: i + 1, StatusCode: code, Outcome: map[int]string{500: "retrying", 200: "delivered"}[code],
			Event: contacts.WebhookEvent{ID: "evt_7", Type: contacts.EventContactUpdated, ContactID: 3, At: now}, Response: "<html>oops</html>",
			Duration: 120 * time.Millisecond, At: now.Add(time.Duration(i) * time.Second)}
		if err := e.svc.RecordWebhookDelivery(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	log := c.get("/settings/webhooks/1")
	log.mustContain(t, "HTTP 500", "HTTP 200", `<span class="badge ok">delivered</span>`, "&lt;html&gt;oops", `action="/settings/webhooks/1/deliveries/1/redeliver"`)
	if p := c.postForm("/settings/webhooks/1/deliveries/1/redeliver", nil); p.status != http.StatusSeeOther {
		t.Fatalf("redeliver inactive: %d", p.status)
	}
	c.get("/settings/webhooks/1").mustContain(t, "Not queued: the webhook is inactive.")
	c.postForm("/settings/webhooks/1", url.Values{"url": {"https://crm.example.com/v2"}, "events": {"contact.updated"}, "active": {"on"}})
	c.postForm("/settings/webhooks/1/deliveries/1/redeliver", nil)
	c.get("/settings/webhooks/1").mustContain(t, "Event evt_7 queued for redelivery.")

	// Rotation shows the new secret once and keeps the old one signing.
	p = c.postForm("/settings/webhooks/1/rotate", url.Values{"previous_valid_seconds": {"3600"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("rotate: %d", p.status)
	}
	rotated := regexp.MustCompile(`whsec_[A-Za-z0-9_-]+`).FindString(c.get(p.location).body)
	if rotated == "" || rotated == m {
		t.Fatal("no new secret shown")
	}
	after := c.get("/settings/webhooks/1")
	after.mustContain(t, "The previous secret also signs deliveries until")
	if strings.Contains(after.body, rotated) || strings.Contains(after.body, m) {
		t.Fatal("the webhook page shows a secret")
	}
	if p := c.postForm("/settings/webhooks/1/delete", nil); p.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", p.status)
	}
	if p := c.get("/settings/webhooks/1"); p.status != http.StatusNotFound {
		t.Fatalf("deleted webhook: %d", p.status)
	}
}

func TestSettingsAuditPage(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	ctx := context.Background()
	bot := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "sync key", Role: contacts.RoleAdmin}
	for i := 0; i < 60; i++ {
		e.svc.AuditSettings(ctx, bot, e.project.ID, "test.entry", map[string]any{"n": i, "same": "x"}, map[string]any{"n": i + 1, "same": "x"})
	}
	r := e.do("POST", "/api/v1/contacts", map[string]any{"first_name": "Ann", "email": "ann@example.com"})
	e.do("PATCH", "/api/v1/contacts/"+itoa(r.id()), map[string]any{"first_name": "Anne"})

	first := c.get("/settings/audit")
	first.mustContain(t, "contact.update", "<del>Ann</del>", "<ins>Anne</ins>", "Older entries", `href="/contacts/`+itoa(r.id())+`"`)
	if n := strings.Count(first.body, `<li class="card audit-entry">`); n != auditPage {
		t.Fatalf("first page has %d entries", n)
	}
	older := regexp.MustCompile(`href="(/settings/audit\?before=\d+)">Older entries`).FindStringSubmatch(first.body)
	if older == nil {
		t.Fatal("no link to older entries")
	}
	second := c.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	second.mustContain(t, "Newest entries", "test.entry")
	if strings.Contains(second.body, "Older entries") {
		t.Error("the last page links further")
	}

	// Filters: action, actor, contact, dates; a diff shows only what changed.
	f := c.get("/settings/audit?action=test.entry&actor=sync+key")
	f.mustContain(t, `<option value="test.entry"`, "sync key", "<code>n</code>")
	if strings.Contains(f.body, `<code class="audit-action">contact.update</code>`) || strings.Contains(f.body, "<code>same</code>") {
		t.Error("the filter or the diff shows too much")
	}
	byContact := c.get("/settings/audit?contact=" + itoa(r.id()))
	if n := strings.Count(byContact.body, `<li class="card audit-entry">`); n != 2 {
		t.Errorf("contact filter: %d entries", n)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	if n := strings.Count(c.get("/settings/audit?from="+today+"&to="+today+"&action=contact.create").body, `audit-entry`); n != 1 {
		t.Errorf("date filter: %d entries", n)
	}
	if n := strings.Count(c.get("/settings/audit?to=2000-01-01").body, `audit-entry`); n != 0 {
		t.Errorf("entries before 2000: %d", n)
	}
	bad := c.get("/settings/audit?from=yesterday&contact=abc")
	if bad.status != http.StatusOK {
		t.Fatalf("bad filter: %d", bad.status)
	}
	bad.mustContain(t, "must be a date", "must be a contact&#39;s number", `value="yesterday"`)
}

func TestAuditDiff(t *testing.T) {
	cases := []struct {
		name          string
		before, after string
		want          string // rows as key:before>after, | separated
	}{
		{"create lists the after", ``, `{"a":1,"b":"x"}`, "a:>1|b:>x"},
		{"unset values of a snapshot are left out", ``, `{"a":"","b":[],"c":{},"d":"0001-01-01T00:00:00Z","e":false}`, "e:>no"},
		{"a value emptied is a change", `{"a":"x"}`, `{"a":""}`, "a:x>"},
		{"delete lists the before", `{"a":true}`, ``, "a:yes>"},
		{"only changes", `{"a":1,"b":2,"c":{"d":"x","e":"y"}}`, `{"a":1,"b":3,"c":{"d":"x","e":"z"}}`, "b:2>3|c.e:y>z"},
		{"added and removed keys", `{"a":1}`, `{"b":[1,2]}`, "a:1>|b:>[1,2]"},
		{"a list is one value", `[1,2]`, `[1,3]`, "value:[1,2]>[1,3]"},
		{"nothing", ``, ``, ""},
		{"not JSON", `{oops`, ``, "value:{oops>"},
	}
	for _, tc := range cases {
		var rows []string
		for _, r := range auditDiff([]byte(tc.before), []byte(tc.after)) {
			rows = append(rows, r.Key+":"+r.Before+">"+r.After)
		}
		if got := strings.Join(rows, "|"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	long := strings.Repeat("é", diffValueMax+5)
	if r := auditDiff(nil, []byte(`{"k":"`+long+`"}`)); len([]rune(r[0].After)) != diffValueMax+1 {
		t.Errorf("a long value is not cut: %d", len([]rune(r[0].After)))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
