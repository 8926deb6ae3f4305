package webui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// mountPrivacy registers the privacy routes of /api/v1 (issue #5).
func (s *Server) mountPrivacy(api fiber.Router) {
	api.Get("/privacy", s.getPrivacy)
	api.Put("/privacy", s.putPrivacy)
	api.Get("/erasures", s.listErasures)
	api.Post("/contacts/:id/restore", s.restoreContact)
}

// privacyView is a project's privacy settings as the API shows them.
type privacyView struct {
	ErasureDefault     contacts.ErasureMode     `json:"erasure_default"`
	ErasureGraceDays   int                      `json:"erasure_grace_days"`
	Retention          contacts.RetentionPolicy `json:"retention"`
	UpdatedAt          *time.Time               `json:"updated_at"`
	LastRetentionRunAt *time.Time               `json:"last_retention_run_at"`
}

func privacyJSON(p *contacts.PrivacySettings) privacyView {
	return privacyView{ErasureDefault: p.ErasureDefault, ErasureGraceDays: p.ErasureGraceDays, Retention: p.Retention,
		UpdatedAt: timeJSON(p.UpdatedAt), LastRetentionRunAt: timeJSON(p.LastRetentionRun)}
}

// erasureView is a pending erasure.
type erasureView struct {
	ContactID       int64                `json:"contact_id"`
	Name            string               `json:"name"`
	Mode            contacts.ErasureMode `json:"mode"`
	RequestedAt     *time.Time           `json:"requested_at"`
	EraseAfter      *time.Time           `json:"erase_after"`
	RequestedBy     string               `json:"requested_by"`
	RequestedByKind string               `json:"requested_by_kind"`
}

func erasureJSON(e *contacts.Erasure) erasureView {
	return erasureView{ContactID: e.ContactID, Name: e.Name, Mode: e.Mode, RequestedAt: timeJSON(e.RequestedAt),
		EraseAfter: timeJSON(e.EraseAfter), RequestedBy: e.ActorName, RequestedByKind: e.ActorKind}
}

func (s *Server) getPrivacy(c *fiber.Ctx) error {
	set, err := s.svc.PrivacySettings(c.UserContext(), who(c).ProjectID)
	if err != nil {
		return err
	}
	return c.JSON(privacyJSON(set))
}

func (s *Server) putPrivacy(c *fiber.Ctx) error {
	var in contacts.PrivacyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p := who(c)
	set, err := s.svc.UpdatePrivacySettings(c.UserContext(), p.Actor, p.ProjectID, in)
	if err != nil {
		return err
	}
	return c.JSON(privacyJSON(set))
}

func (s *Server) listErasures(c *fiber.Ctx) error {
	p := who(c)
	es, err := s.svc.ListErasures(c.UserContext(), p.Actor, p.ProjectID)
	if err != nil {
		return err
	}
	out := make([]erasureView, len(es))
	for i := range es {
		out[i] = erasureJSON(&es[i])
	}
	return c.JSON(fiber.Map{"erasures": out})
}

func (s *Server) restoreContact(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	ct, err := s.svc.RestoreContact(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(contactJSON(ct))
}
