package webui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// webhookForm is the endpoint form as typed.
type webhookForm struct {
	URL         string
	Description string
	Events      checked
	Active      bool
}

type webhooksData struct {
	settingsPage
	Webhooks []contacts.WebhookEndpoint
	Events   []string
	Form     webhookForm
	Max      int
}

func (s *Server) settingsWebhooks(c *fiber.Ctx) error {
	return s.webhooksPage(c, webhooksData{settingsPage: newSettingsPage(c, "/settings/webhooks"),
		Form: webhookForm{Events: contacts.WebhookEventTypes, Active: true}})
}

func (s *Server) webhooksPage(c *fiber.Ctx, d webhooksData) error {
	ws, err := s.svc.Webhooks(c.UserContext(), uiActor(c), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	d.Webhooks, d.Events, d.Max = ws, contacts.WebhookEventTypes, contacts.MaxWebhooksPerProject
	return s.page(c, "settings_webhooks", "Webhooks", "settings", d)
}

// webhookFormInput reads the endpoint form.
func webhookFormInput(c *fiber.Ctx) (contacts.WebhookInput, webhookForm) {
	f := webhookForm{URL: strings.TrimSpace(c.FormValue("url")), Description: strings.TrimSpace(c.FormValue("description")),
		Events: []string{}, Active: c.FormValue("active") == "on"}
	for _, e := range c.Request().PostArgs().PeekMulti("events") {
		f.Events = append(f.Events, string(e))
	}
	events := []string(f.Events)
	return contacts.WebhookInput{URL: &f.URL, Description: &f.Description, Events: &events}, f
}

func (s *Server) settingsWebhookCreate(c *fiber.Ctx) error {
	in, f := webhookFormInput(c)
	w, err := s.svc.CreateWebhook(c.UserContext(), uiActor(c), uiSession(c).ProjectID, in)
	if err != nil {
		d := webhooksData{settingsPage: newSettingsPage(c, "/settings/webhooks"), Form: f}
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		return s.webhooksPage(c, d)
	}
	s.setReveal(c, reveal{Kind: "webhook_secret", ID: w.ID, Label: w.URL, Secret: w.Secret})
	return c.Redirect("/settings/webhooks/secret?id="+strconv.FormatInt(w.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) settingsWebhookSecret(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Query("id"), 10, 64)
	d := secretData{settingsPage: newSettingsPage(c, "/settings/webhooks"), ID: id}
	if r := takeReveal(c, "webhook_secret", id); r != nil {
		d.Label, d.Secret = r.Label, r.Secret
	}
	return s.page(c, "settings_webhook_secret", "Webhook signing secret", "settings", d)
}

// deliveriesPage is how many delivery log entries a page shows.
const deliveriesPage = 25

type webhookData struct {
	settingsPage
	Webhook        *contacts.WebhookEndpoint
	Form           webhookForm
	Events         []string
	PreviousUntil  time.Time // when a rotated-out secret stops signing; zero when none does
	Deliveries     []contacts.WebhookDelivery
	Before         int64 // the page of the log shown (0: the newest)
	NextBefore     int64 // 0: no older entries
	Overlaps       []overlapChoice
	DefaultOverlap int64
}

type overlapChoice struct {
	Seconds int64
	Label   string
}

var overlapChoices = []overlapChoice{{0, "retire the old secret now (it leaked)"}, {3600, "1 hour"},
	{86400, "1 day"}, {7 * 86400, "7 days"}}

func (s *Server) settingsWebhook(c *fiber.Ctx) error {
	return s.webhookPage(c, nil)
}

// webhookPage shows the endpoint the path names; form, when not nil, is a
// form with errors to show instead of the stored values.
func (s *Server) webhookPage(c *fiber.Ctx, form *webhookData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor, pid := c.UserContext(), uiActor(c), uiSession(c).ProjectID
	w, err := s.svc.Webhook(ctx, actor, pid, id)
	if err != nil {
		return err
	}
	d := webhookData{settingsPage: newSettingsPage(c, "/settings/webhooks"), Webhook: w, Events: contacts.WebhookEventTypes,
		Form: webhookForm{URL: w.URL, Description: w.Description, Events: w.Events, Active: w.Active}, Overlaps: overlapChoices, DefaultOverlap: 86400}
	if form != nil {
		d.Form, d.Errors = form.Form, form.Errors
	}
	// Never the secrets themselves: only when the old one stops signing.
	w.Secret, w.PreviousSecret = "", ""
	if now := s.svc.Now(); now.Before(w.PreviousUntil) {
		d.PreviousUntil = w.PreviousUntil
	}
	d.Before, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	if d.Before < 0 {
		d.Before = 0
	}
	if d.Deliveries, err = s.svc.WebhookDeliveries(ctx, actor, pid, id, d.Before, deliveriesPage); err != nil {
		return err
	}
	if len(d.Deliveries) == deliveriesPage {
		d.NextBefore = d.Deliveries[len(d.Deliveries)-1].ID
	}
	return s.page(c, "settings_webhook", "Webhook", "settings", d)
}

func (s *Server) settingsWebhookUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, f := webhookFormInput(c)
	in.Active = &f.Active
	if _, err := s.svc.UpdateWebhook(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id, in); err != nil {
		d := webhookData{Form: f}
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		return s.webhookPage(c, &d)
	}
	msg := "Webhook saved."
	if !f.Active {
		msg = "Webhook saved. It is inactive: no events are sent to it."
	}
	return s.settingsDone(c, msg, fmt.Sprintf("/settings/webhooks/%d", id))
}

func (s *Server) settingsWebhookRotate(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	secs, err := strconv.ParseInt(c.FormValue("previous_valid_seconds"), 10, 64)
	if err != nil {
		return badRequest("previous_valid_seconds must be a number of seconds")
	}
	w, err := s.svc.RotateWebhookSecret(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id, time.Duration(secs)*time.Second)
	if err != nil {
		return err
	}
	s.setReveal(c, reveal{Kind: "webhook_secret", ID: w.ID, Label: w.URL, Secret: w.Secret})
	return c.Redirect("/settings/webhooks/secret?id="+strconv.FormatInt(w.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) settingsWebhookDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id); err != nil {
		return err
	}
	return s.settingsDone(c, "Webhook deleted with its delivery log.", "/settings/webhooks")
}

func (s *Server) settingsRedeliver(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	did, err := pathID(c, "did")
	if err != nil {
		return err
	}
	ev, err := s.svc.RedeliverWebhook(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id, did)
	if errors.Is(err, contacts.ErrConflict) {
		return s.settingsDone(c, "Not queued: the webhook is inactive. Activate it first.", fmt.Sprintf("/settings/webhooks/%d", id))
	}
	if err != nil {
		return err
	}
	if s.router != nil {
		s.router.Worker().Notify()
	}
	return s.settingsDone(c, fmt.Sprintf("Event %s queued for redelivery.", ev.ID), fmt.Sprintf("/settings/webhooks/%d", id))
}
