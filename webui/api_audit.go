package webui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

func (s *Server) audit(c *fiber.Ctx) error {
	p := who(c)
	q := contacts.AuditQuery{ProjectID: p.ProjectID, Action: c.Query("action")}
	v := &contacts.ValidationError{}
	if raw := c.Query("contact_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			v.Add("contact_id", "must be a contact id (a positive integer)")
		}
		q.ContactID = id
	}
	q.Limit = queryInt(c, "limit", 100, 1, 1000, v)
	if err := v.Err(); err != nil {
		return err
	}
	entries, err := s.svc.Audit(c.UserContext(), q)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []contacts.AuditEntry{}
	}
	return c.JSON(fiber.Map{"entries": entries})
}
