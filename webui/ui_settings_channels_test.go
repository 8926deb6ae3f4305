package webui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestSettingsWidgetChannel(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/settings/channels").mustContain(t, "No channels yet", `href="/settings/channels/new?type=widget"`,
		`href="/settings/channels/new?type=whatsapp-cloud"`, `href="/settings/channels/new?type=whatsapp"`)
	form := c.get("/settings/channels/new?type=widget")
	form.mustContain(t, `<input type="hidden" name="type" value="widget">`, `name="config.allowed_origins"`, `value="email"`)

	// A bad origin is shown beside its field, the form as typed, with 200.
	bad := c.postForm("/settings/channels", url.Values{"type": {"widget"}, "name": {"Shop"},
		"config.allowed_origins": {"https://shop.example.com\nnot a site"}, "config.collect": {"name", "email"}})
	if bad.status != http.StatusOK {
		t.Fatalf("invalid form: %d", bad.status)
	}
	bad.mustContain(t, `each must be scheme://host[:port]`, "not a site", `value="Shop"`, `value="email" checked`)

	p := c.postForm("/settings/channels", url.Values{"type": {"widget"}, "name": {"Shop"},
		"config.allowed_origins": {"https://shop.example.com"}, "config.collect": {"name", "email"}})
	if p.status != http.StatusSeeOther || p.location != "/settings/channels/1" {
		t.Fatalf("create: %d %s", p.status, p.location)
	}
	ch, err := e.svc.Channel(context.Background(), e.project.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	page := c.get("/settings/channels/1")
	page.mustContain(t, `Channel &#34;Shop&#34; created.`, "Embed code",
		`&lt;script src=&#34;`+e.base+`/widget.js&#34; data-key=&#34;`+ch.PublicKey+`&#34; async&gt;&lt;/script&gt;`,
		`data-copy="embed-snippet"`, `<iframe class="preview" src="/settings/channels/1/preview"`, "https://shop.example.com", `value="name" checked`)

	// The preview page carries the widget and may be framed by this site only.
	prev := c.get("/settings/channels/1/preview")
	prev.mustContain(t, `<script src="/widget.js" data-key="`+ch.PublicKey+`" async></script>`)
	if csp := prev.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("preview CSP: %q", csp)
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") {
		t.Errorf("channel page CSP: %q", csp)
	}

	// Save: unchecking every box empties the list; the name must stay set.
	if p := c.postForm("/settings/channels/1", url.Values{"name": {""}, "config.allowed_origins": {""}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, "must not be empty") {
		t.Fatalf("empty name: %d", p.status)
	}
	if p := c.postForm("/settings/channels/1", url.Values{"name": {"Shop 2"}, "config.allowed_origins": {""}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	ch, _ = e.svc.Channel(context.Background(), e.project.ID, 1)
	if ch.Name != "Shop 2" || !strings.Contains(string(ch.Config), `"collect":[]`) || !strings.Contains(string(ch.Config), `"allowed_origins":[]`) {
		t.Fatalf("saved: %s %s", ch.Name, ch.Config)
	}

	// A live-chat channel links to its hosted page, framed as the preview.
	p = c.postForm("/settings/channels", url.Values{"type": {"livechat"}, "name": {"Help"}})
	lc := c.get(p.location)
	lc.mustContain(t, "Link to the chat page", `/chat/pk_`, `<iframe class="preview" src="/chat/pk_`)

	// Delete through the confirmation dialog's form.
	page.mustContain(t, `data-open-dialog="delete-channel"`, `<dialog id="delete-channel"`, `action="/settings/channels/1/delete"`)
	if p := c.postForm("/settings/channels/1/delete", nil); p.status != http.StatusSeeOther || p.location != "/settings/channels" {
		t.Fatalf("delete: %d %s", p.status, p.location)
	}
	c.get("/settings/channels").mustContain(t, "Channel &#34;Shop 2&#34; deleted.")
	if p := c.get("/settings/channels/1"); p.status != http.StatusNotFound {
		t.Fatalf("deleted channel page: %d", p.status)
	}

	// Each change is in the audit log with the owner as actor.
	entries, err := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID,
		Actions: []string{contacts.AuditChannelCreate, contacts.AuditChannelUpdate, contacts.AuditChannelDelete}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range entries {
		got = append(got, en.Action+":"+en.ActorName)
	}
	want := "channel.delete:admin@localhost channel.create:admin@localhost channel.update:admin@localhost channel.create:admin@localhost"
	if strings.Join(got, " ") != want {
		t.Fatalf("audited %v, want %s", got, want)
	}
	upd := entries[2]
	if !strings.Contains(string(upd.Before), `"name":"Shop"`) || !strings.Contains(string(upd.After), `"name":"Shop 2"`) {
		t.Errorf("update before/after: %s %s", upd.Before, upd.After)
	}
}

func TestSettingsTelegramChannel(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	// Without --public-url the secret token must be typed (nobody else
	// could register the webhook with it).
	p := c.postForm("/settings/channels", url.Values{"type": {"telegram"}, "name": {"Bot"}, "config.token": {"123:abc"}, "config.mode": {"webhook"}})
	if p.status != http.StatusOK {
		t.Fatalf("missing secret token: %d", p.status)
	}
	p.mustContain(t, "is required for webhooks", "The secrets you typed were not kept")
	if strings.Contains(p.body, "123:abc") {
		t.Error("the typed token was echoed")
	}
	p = c.postForm("/settings/channels", url.Values{"type": {"telegram"}, "name": {"Bot"}, "config.token": {"123:abc"},
		"config.mode": {"webhook"}, "config.secret_token": {"a-secret-token-of-32-characters0"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	page := c.get(p.location)
	page.mustContain(t, "Webhook URL", "Telegram delivers the bot's messages to this address.",
		`<code id="webhook-url">`+e.base+`/channels/telegram/1/webhook</code>`, "without <code>--public-url</code>",
		`data-copy="webhook-url"`, `<option value="webhook" selected>`)
	if n := strings.Count(page.body, `<span class="badge ok" data-secret-state>set</span>`); n != 2 {
		t.Errorf("%d secrets shown as set, want the token and the secret token", n)
	}
	if strings.Contains(page.body, "123:abc") || strings.Contains(page.body, "a-secret-token-of-32") {
		t.Error("a secret is on the page")
	}
	// Polling needs no secret token; the stored token is kept.
	if p := c.postForm("/settings/channels/1", url.Values{"name": {"Bot"}, "config.mode": {"polling"}}); p.status != http.StatusSeeOther {
		t.Fatalf("switch to polling: %d %s", p.status, p.body)
	}
	ch, _ := e.svc.Channel(context.Background(), e.project.ID, 1)
	var cfg map[string]string
	_ = json.Unmarshal(ch.Config, &cfg)
	if cfg["mode"] != "polling" || cfg["token"] != "123:abc" || cfg["secret_token"] != "a-secret-token-of-32-characters0" {
		t.Fatalf("config: %v", cfg)
	}

	// The API audits too; a secret set shows by name only.
	r := e.do("PATCH", "/api/v1/channels/1", map[string]any{"config": map[string]any{"token": "999:new-token"}})
	if r.status != http.StatusOK {
		t.Fatalf("API update: %d %s", r.status, r.raw)
	}
	entries, _ := e.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: e.project.ID, Action: contacts.AuditChannelUpdate})
	if len(entries) != 2 || entries[0].ActorKind != contacts.ActorAPIKey || !strings.Contains(string(entries[0].After), `"secrets_set":["token"]`) ||
		strings.Contains(string(entries[0].After)+string(entries[0].Before), "999:new-token") {
		t.Fatalf("API update audit: %+v", entries)
	}
	// The audit page shows it as a readable change.
	c.get("/settings/audit?action=channel.update").mustContain(t, "channel.update", "<code>config.mode</code>",
		"<del>webhook</del>", "<ins>polling</ins>")
}

func TestSettingsMetaChannelAndPairing(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	p := c.postForm("/settings/channels", url.Values{"type": {"whatsapp-cloud"}, "name": {"WA"}, "config.access_token": {"short"},
		"config.phone_number_id": {"not a number"}, "config.app_secret": {"appsecret1"}, "config.verify_token": {"verify-me-1"},
		"config.graph_url": {"ftp://graph"}})
	if p.status != http.StatusOK {
		t.Fatalf("invalid: %d", p.status)
	}
	p.mustContain(t, "is required: a system user access token", "the numeric id", `value="not a number"`,
		"must be an http(s) URL", `<details class="advanced" open>`)
	p = c.postForm("/settings/channels", url.Values{"type": {"whatsapp-cloud"}, "name": {"WA"}, "config.access_token": {"EAAG-access-token-0123"},
		"config.phone_number_id": {"1234567890"}, "config.app_secret": {"appsecret1"}, "config.verify_token": {"verify-me-1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	c.get(p.location).mustContain(t, e.base+"/channels/whatsapp-cloud/1/webhook", "Meta app dashboard", `value="1234567890"`,
		`data-generate="cfg-verify_token"`)

	// A linked-phone channel shows its state; the page's script polls it.
	p = c.postForm("/settings/channels", url.Values{"type": {"whatsapp"}, "name": {"Phone"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create whatsapp: %d %s", p.status, p.body)
	}
	c.get(p.location).mustContain(t, `data-pairing="2"`, `data-state="unpaired"`, "Link a phone", `<img data-pairing-qr  alt=`)
	if r := c.api("GET", "/channels/2/pairing", "", false); r.status != http.StatusOK || !strings.Contains(r.body, `"state":"unpaired"`) {
		t.Fatalf("pairing state: %d %s", r.status, r.body)
	}
	if q := newPairingQR("2@abc,def"); !strings.HasPrefix(string(q.PNG), "data:image/png;base64,") {
		t.Errorf("QR: %q", q.PNG)
	}
}

// With --public-url the server registers the Telegram webhook itself: the
// secret token may be left to it, and a token Telegram refuses is shown
// on the form with nothing kept.
func TestSettingsTelegramRegistersWebhook(t *testing.T) {
	fake := telegramtest.NewFakeBotAPI(t)
	e := newEnv(t, func(s *Server) { s.publicURL = "https://sb.example.com/" })
	c := e.owner()
	c.get("/settings/channels/new?type=telegram").mustContain(t, "Leave the secret token empty to have one generated")

	bad := c.postForm("/settings/channels", url.Values{"type": {"telegram"}, "name": {"Bot"}, "config.token": {"bad:token"},
		"config.mode": {"webhook"}, "config.api_url": {fake.URL}})
	if bad.status != http.StatusOK || !strings.Contains(bad.body, "Telegram refused it") {
		t.Fatalf("refused token: %d", bad.status)
	}
	if list, _ := e.svc.ListChannels(context.Background(), e.project.ID); len(list) != 0 {
		t.Fatalf("a refused channel was kept: %d", len(list))
	}

	p := c.postForm("/settings/channels", url.Values{"type": {"telegram"}, "name": {"Bot"}, "config.token": {"123:abc"},
		"config.mode": {"webhook"}, "config.api_url": {fake.URL}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	hook := fake.WebhookSet()
	ch, _ := e.svc.Channel(context.Background(), e.project.ID, 2)
	var cfg map[string]string
	_ = json.Unmarshal(ch.Config, &cfg)
	if hook["url"] != "https://sb.example.com/channels/telegram/2/webhook" || len(hook["secret_token"]) < 32 || hook["secret_token"] != cfg["secret_token"] {
		t.Fatalf("setWebhook: %v, stored %q", hook, cfg["secret_token"])
	}
	page := c.get(p.location)
	page.mustContain(t, "https://sb.example.com/channels/telegram/2/webhook", "Switchboard registered this address with Telegram")
	if strings.Contains(page.body, cfg["secret_token"]) {
		t.Fatal("the generated secret token is on the page")
	}
	// A new secret token reaches Telegram when saved.
	if p := c.postForm(p.location, url.Values{"name": {"Bot"}, "config.mode": {"webhook"}, "config.api_url": {fake.URL},
		"config.secret_token": {"a-brand-new-secret-token-0123456"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	if got := fake.WebhookSet()["secret_token"]; got != "a-brand-new-secret-token-0123456" {
		t.Fatalf("setWebhook after the change: %q", got)
	}
}

// A Messenger channel's page gives the webhook URL to paste into the Meta
// app dashboard; its three secrets are write-only: typed, never shown
// back, kept when left empty, and the verify token kept is the one Meta's
// check of that URL must send.
func TestSettingsMessengerChannel(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	const (
		token  = "EAAB-page-access-token-0123456789"
		secret = "messenger-app-secret-42"
		verify = "messenger-verify-me-7"
	)
	form := c.get("/settings/channels/new?type=messenger")
	form.mustContain(t, `<input type="hidden" name="type" value="messenger">`,
		`<input id="cfg-page_access_token" name="config.page_access_token" type="password"`,
		`<input id="cfg-app_secret" name="config.app_secret" type="password"`,
		`<input id="cfg-verify_token" name="config.verify_token" type="password"`, `data-generate="cfg-verify_token"`)
	if n := strings.Count(form.body, `data-secret-state>not set</span>`); n != 3 {
		t.Errorf("%d secrets shown as not set on the new form, want 3", n)
	}

	// Refused: the typed secrets are not echoed, and the user is told to retype them.
	bad := c.postForm("/settings/channels", url.Values{"type": {"messenger"}, "name": {"Page"}, "config.page_access_token": {"short"},
		"config.app_secret": {secret}, "config.verify_token": {verify}})
	if bad.status != http.StatusOK {
		t.Fatalf("invalid: %d", bad.status)
	}
	bad.mustContain(t, "is required: the Page access token", "The secrets you typed were not kept")
	if strings.Contains(bad.body, secret) || strings.Contains(bad.body, verify) {
		t.Error("a typed secret was echoed")
	}

	p := c.postForm("/settings/channels", url.Values{"type": {"messenger"}, "name": {"Page"}, "config.page_access_token": {token},
		"config.app_secret": {secret}, "config.verify_token": {verify}})
	if p.status != http.StatusSeeOther || p.location != "/settings/channels/1" {
		t.Fatalf("create: %d %s %s", p.status, p.location, p.body)
	}
	shown := c.get(p.location)
	shown.mustContain(t, "Webhook URL", `<code id="webhook-url">`+e.base+`/channels/messenger/1/webhook</code>`, `data-copy="webhook-url"`,
		"Paste this address into the Meta app dashboard (Webhooks, Callback URL), with the verify token you set below, and subscribe to <code>messages</code>.",
		"Meta needs a public HTTPS address")
	if n := strings.Count(shown.body, `<span class="badge ok" data-secret-state>set</span>`); n != 3 {
		t.Errorf("%d secrets shown as set, want 3", n)
	}
	for _, s := range []string{token, secret, verify} {
		if strings.Contains(shown.body, s) {
			t.Errorf("secret %q is on the page", s)
		}
	}
	if r := e.do("GET", "/api/v1/channels/1", nil); r.status != http.StatusOK || strings.Contains(string(r.raw), verify) {
		t.Errorf("API channel: %d %s", r.status, r.raw)
	}

	// Meta's check of the URL, with the verify token typed above.
	check := func(tok string) page {
		return c.get("/channels/messenger/1/webhook?" + url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {tok},
			"hub.challenge": {"1158201444"}}.Encode())
	}
	if r := check(verify); r.status != http.StatusOK || r.body != "1158201444" {
		t.Fatalf("verification with the saved token: %d %s", r.status, r.body)
	}

	// Saved with the secrets left empty: all three are kept.
	if p := c.postForm("/settings/channels/1", url.Values{"name": {"Page 2"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	ch, _ := e.svc.Channel(context.Background(), e.project.ID, 1)
	var cfg map[string]string
	_ = json.Unmarshal(ch.Config, &cfg)
	if ch.Name != "Page 2" || cfg["page_access_token"] != token || cfg["app_secret"] != secret || cfg["verify_token"] != verify {
		t.Fatalf("saved: %s %v", ch.Name, cfg)
	}
	// A new verify token replaces the old one for Meta's check.
	if p := c.postForm("/settings/channels/1", url.Values{"name": {"Page 2"}, "config.verify_token": {"a-new-verify-token"}}); p.status != http.StatusSeeOther {
		t.Fatalf("new verify token: %d %s", p.status, p.body)
	}
	if r := check(verify); r.status != http.StatusForbidden {
		t.Errorf("the old verify token still passes: %d", r.status)
	}
	if r := check("a-new-verify-token"); r.status != http.StatusOK || r.body != "1158201444" {
		t.Errorf("verification with the new token: %d %s", r.status, r.body)
	}
	if strings.Contains(c.get("/settings/channels/1").body, "a-new-verify-token") {
		t.Error("the new verify token is on the page")
	}
}
