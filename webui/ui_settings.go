package webui

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uiSettings registers the settings pages of the admin UI. Every page is
// for admins and owners; users and API keys for owners only. The role
// rules are the services' own, checked here first so a refused user gets
// the error page before any form is read.
func (s *Server) uiSettings(ui uiRoutes) {
	admin := settingsRole(contacts.MayChangeSettings)
	owner := settingsRole(contacts.MayManageAccess)

	ui.get("/settings", admin(s.settingsIndex))

	ui.get("/settings/channels", admin(s.settingsChannels))
	ui.post("/settings/channels", admin(s.settingsChannelCreate))
	ui.get("/settings/channels/new", admin(s.settingsChannelNew))
	ui.get("/settings/channels/:id", admin(s.settingsChannel))
	ui.post("/settings/channels/:id", admin(s.settingsChannelUpdate))
	ui.post("/settings/channels/:id/delete", admin(s.settingsChannelDelete))
	ui.get("/settings/channels/:id/preview", admin(s.settingsChannelPreview))

	ui.get("/settings/bot", admin(s.settingsBot))
	ui.post("/settings/bot", admin(s.settingsBotSave))

	ui.get("/settings/api-keys", owner(s.settingsAPIKeys))
	ui.post("/settings/api-keys", owner(s.settingsAPIKeyCreate))
	ui.get("/settings/api-keys/created", owner(s.settingsAPIKeyCreated))
	ui.post("/settings/api-keys/:id/revoke", owner(s.settingsAPIKeyRevoke))

	ui.get("/settings/users", owner(s.settingsUsers))
	ui.post("/settings/users", owner(s.settingsUserAdd))
	ui.get("/settings/users/added", owner(s.settingsUserAdded))
	ui.post("/settings/users/:id/role", owner(s.settingsUserRole))
	ui.post("/settings/users/:id/remove", owner(s.settingsUserRemove))

	ui.get("/settings/privacy", admin(s.settingsPrivacy))
	ui.post("/settings/privacy", admin(s.settingsPrivacySave))
	ui.post("/settings/privacy/erasures/:id/restore", admin(s.settingsRestore))

	ui.get("/settings/webhooks", admin(s.settingsWebhooks))
	ui.post("/settings/webhooks", admin(s.settingsWebhookCreate))
	ui.get("/settings/webhooks/secret", admin(s.settingsWebhookSecret))
	ui.get("/settings/webhooks/:id", admin(s.settingsWebhook))
	ui.post("/settings/webhooks/:id", admin(s.settingsWebhookUpdate))
	ui.post("/settings/webhooks/:id/rotate", admin(s.settingsWebhookRotate))
	ui.post("/settings/webhooks/:id/delete", admin(s.settingsWebhookDelete))
	ui.post("/settings/webhooks/:id/deliveries/:did/redeliver", admin(s.settingsRedeliver))

	ui.get("/settings/audit", admin(s.settingsAudit))
}

// checked is a list of checkbox values with the question the templates
// ask of it: {{if .Values.Has "email"}}checked{{end}}.
type checked []string

// Has reports whether v is in the list.
func (l checked) Has(v string) bool { return slices.Contains(l, v) }

// settingsRole wraps a settings handler in a role rule; a refusal renders
// the error page with 403.
func settingsRole(rule func(contacts.Actor) error) func(fiber.Handler) fiber.Handler {
	return func(h fiber.Handler) fiber.Handler {
		return func(c *fiber.Ctx) error {
			if err := rule(uiActor(c)); err != nil {
				return err
			}
			return h(c)
		}
	}
}

// settingsSection is one entry of the settings index and its navigation.
type settingsSection struct {
	Path, Title, Summary string
	OwnerOnly            bool
}

var settingsSections = []settingsSection{
	{"/settings/channels", "Channels", "Website widget, live chat, Telegram, Messenger and WhatsApp: connect and configure.", false},
	{"/settings/bot", "Bot", "Whether the bot answers, its persona, what it knows and what it asks for.", false},
	{"/settings/api-keys", "API keys", "Keys for integrations: create, see when they were used, revoke.", true},
	{"/settings/users", "Users", "Who works in this project, and as owner, admin or agent.", true},
	{"/settings/privacy", "Privacy & retention", "How contacts are erased, grace periods, and what is kept for how long.", false},
	{"/settings/webhooks", "Webhooks", "Send contact events to your CRM, signed; delivery log and redelivery.", false},
	{"/settings/audit", "Audit log", "Every change to contacts and settings, by whom and when.", false},
}

// settingsPage is what every settings page's data embeds: the section
// navigation.
type settingsPage struct {
	Section  string // the path of the current section
	Sections []settingsSection
	Errors   map[string]string
	Error    string // a problem with the whole form
}

func newSettingsPage(c *fiber.Ctx, section string) settingsPage {
	owner := uiActor(c).Role == contacts.RoleOwner
	var list []settingsSection
	for _, sec := range settingsSections {
		if owner || !sec.OwnerOnly {
			list = append(list, sec)
		}
	}
	return settingsPage{Section: section, Sections: list}
}

// formErrors takes a validation error apart for the form; any other error
// is returned for the error page.
func (p *settingsPage) formErrors(err error) error {
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		p.Errors = ve.Fields
		return nil
	}
	return err
}

func (s *Server) settingsIndex(c *fiber.Ctx) error {
	return s.page(c, "settings", "Settings", "settings", newSettingsPage(c, ""))
}

// settingsDone leaves a notice and goes to the next page (post/redirect/get).
func (s *Server) settingsDone(c *fiber.Ctx, msg, next string) error {
	if msg != "" {
		s.setFlash(c, msg)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
