package webui

import (
	"bytes"
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// mountWebhooks registers the webhooks routes of /api/v1 (issue #5).
func (s *Server) mountWebhooks(api fiber.Router) {
	api.Get("/webhooks", s.listWebhooks)
	api.Post("/webhooks", s.createWebhook)
	api.Get("/webhooks/:id", s.getWebhook)
	api.Patch("/webhooks/:id", s.updateWebhook)
	api.Delete("/webhooks/:id", s.deleteWebhook)
	api.Post("/webhooks/:id/rotate-secret", s.rotateWebhookSecret)
	api.Get("/webhooks/:id/deliveries", s.listWebhookDeliveries)
	api.Post("/webhooks/:id/deliveries/:did/redeliver", s.redeliverWebhook)
}

// webhookView is an endpoint as the API shows it. The secret appears only
// in the answers of create and rotate-secret.
type webhookView struct {
	ID          int64    `json:"id"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
	Active      bool     `json:"active"`
	Secret      *string  `json:"secret,omitempty"`
	// PreviousSecretExpiresAt is when a rotated-out secret stops signing;
	// null when none does.
	PreviousSecretExpiresAt *time.Time `json:"previous_secret_expires_at"`
	CreatedAt               *time.Time `json:"created_at"`
	UpdatedAt               *time.Time `json:"updated_at"`
}

func webhookJSON(w *contacts.WebhookEndpoint, now time.Time) webhookView {
	v := webhookView{ID: w.ID, URL: w.URL, Description: w.Description, Events: orEmpty(w.Events), Active: w.Active,
		CreatedAt: timeJSON(w.CreatedAt), UpdatedAt: timeJSON(w.UpdatedAt)}
	if w.PreviousSecret != "" && now.Before(w.PreviousUntil) {
		v.PreviousSecretExpiresAt = timeJSON(w.PreviousUntil)
	}
	return v
}

// withSecret is the view of a freshly made secret, shown this once.
func withSecret(w *contacts.WebhookEndpoint, now time.Time) webhookView {
	v := webhookJSON(w, now)
	secret := w.Secret
	v.Secret = &secret
	return v
}

// webhookAdmin is the request's principal when it may manage webhooks:
// agents are refused before their body is read.
func webhookAdmin(c *fiber.Ctx) (*principal, error) {
	p := who(c)
	if err := contacts.MayManageWebhooks(p.Actor); err != nil {
		return nil, err
	}
	return p, nil
}

// webhookTarget is the admin check and the endpoint id every
// per-endpoint route starts with.
func webhookTarget(c *fiber.Ctx) (*principal, int64, error) {
	p, err := webhookAdmin(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c, "id")
	return p, id, err
}

func (s *Server) listWebhooks(c *fiber.Ctx) error {
	p, err := webhookAdmin(c)
	if err != nil {
		return err
	}
	ws, err := s.svc.Webhooks(c.UserContext(), p.Actor, p.ProjectID)
	if err != nil {
		return err
	}
	now := s.svc.Now()
	out := make([]webhookView, len(ws))
	for i := range ws {
		out[i] = webhookJSON(&ws[i], now)
	}
	return c.JSON(fiber.Map{"webhooks": out})
}

func (s *Server) createWebhook(c *fiber.Ctx) error {
	p, err := webhookAdmin(c)
	if err != nil {
		return err
	}
	var in contacts.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := s.svc.CreateWebhook(c.UserContext(), p.Actor, p.ProjectID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(withSecret(w, s.svc.Now()))
}

func (s *Server) getWebhook(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	w, err := s.svc.Webhook(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(webhookJSON(w, s.svc.Now()))
}

func (s *Server) updateWebhook(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	var in contacts.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := s.svc.UpdateWebhook(c.UserContext(), p.Actor, p.ProjectID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(webhookJSON(w, s.svc.Now()))
}

func (s *Server) deleteWebhook(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(c.UserContext(), p.Actor, p.ProjectID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// defaultSecretOverlap is how long a rotated-out secret keeps signing when
// the request does not say.
const defaultSecretOverlap = 24 * time.Hour

// rotateWebhookSecret gives the endpoint a new secret, shown once. The body
// is optional: previous_valid_seconds (default a day; 0 retires the old
// secret at once).
func (s *Server) rotateWebhookSecret(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	var in struct {
		PreviousValidSeconds *int64 `json:"previous_valid_seconds"`
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	overlap := defaultSecretOverlap
	if in.PreviousValidSeconds != nil {
		n := *in.PreviousValidSeconds
		if n < 0 || n > int64(contacts.MaxSecretOverlap/time.Second) {
			return contacts.Invalid("previous_valid_seconds", "must be between 0 and 604800")
		}
		overlap = time.Duration(n) * time.Second
	}
	w, err := s.svc.RotateWebhookSecret(c.UserContext(), p.Actor, p.ProjectID, id, overlap)
	if err != nil {
		return err
	}
	return c.JSON(withSecret(w, s.svc.Now()))
}

// deliveryView is one logged delivery attempt.
type deliveryView struct {
	ID        int64  `json:"id"`
	WebhookID int64  `json:"webhook_id"`
	EventID   string `json:"event_id"`
	Event     string `json:"event"`
	ContactID *int64 `json:"contact_id"`
	Attempt   int    `json:"attempt"`
	Manual    bool   `json:"manual"`
	Outcome   string `json:"outcome"`
	// StatusCode is the receiver's HTTP status; null when none came
	// (timeout, refused connection) or nothing was sent.
	StatusCode *int       `json:"status_code"`
	Error      string     `json:"error"`
	Response   string     `json:"response"`
	DurationMS int64      `json:"duration_ms"`
	RetryAt    *time.Time `json:"retry_at"`
	At         *time.Time `json:"at"`
}

func deliveryJSON(d *contacts.WebhookDelivery) deliveryView {
	v := deliveryView{ID: d.ID, WebhookID: d.EndpointID, EventID: d.Event.ID, Event: d.Event.Type, Attempt: d.Attempt,
		Manual: d.Manual, Outcome: d.Outcome, Error: d.Error, Response: d.Response, DurationMS: d.Duration.Milliseconds(),
		RetryAt: timeJSON(d.RetryAt), At: timeJSON(d.At)}
	if d.Event.ContactID != 0 {
		id := d.Event.ContactID
		v.ContactID = &id
	}
	if d.StatusCode != 0 {
		code := d.StatusCode
		v.StatusCode = &code
	}
	return v
}

// listWebhookDeliveries pages the delivery log newest first: pass the
// answer's next_before as before for the next page.
func (s *Server) listWebhookDeliveries(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	v := &contacts.ValidationError{}
	limit := queryInt(c, "limit", 50, 1, 200, v)
	before := queryInt(c, "before", 0, 1, math.MaxInt, v)
	if err := v.Err(); err != nil {
		return err
	}
	ds, err := s.svc.WebhookDeliveries(c.UserContext(), p.Actor, p.ProjectID, id, int64(before), limit)
	if err != nil {
		return err
	}
	out := make([]deliveryView, len(ds))
	for i := range ds {
		out[i] = deliveryJSON(&ds[i])
	}
	var next *int64
	if len(ds) == limit {
		last := ds[len(ds)-1].ID
		next = &last
	}
	return c.JSON(fiber.Map{"deliveries": out, "next_before": next})
}

// redeliverWebhook queues a logged delivery's event again, with the same
// event id and the body as it is now.
func (s *Server) redeliverWebhook(c *fiber.Ctx) error {
	p, id, err := webhookTarget(c)
	if err != nil {
		return err
	}
	did, err := pathID(c, "did")
	if err != nil {
		return err
	}
	ev, err := s.svc.RedeliverWebhook(c.UserContext(), p.Actor, p.ProjectID, id, did)
	if err != nil {
		return err
	}
	if s.router != nil {
		s.router.Worker().Notify()
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"queued": true, "event_id": ev.ID})
}
