package webui

import (
	"github.com/gofiber/fiber/v2"
)

// stats answers the project's figures: the contact statistics and what
// the dashboard adds (open conversations, contacts awaiting follow-up, new
// contacts per day over the last 30 days).
func (s *Server) stats(c *fiber.Ctx) error {
	d, err := s.svc.Dashboard(c.UserContext(), who(c).ProjectID)
	if err != nil {
		return err
	}
	out := *d
	if out.ByChannel == nil {
		out.ByChannel = map[string]int64{}
	}
	if out.ByLeadStatus == nil {
		out.ByLeadStatus = map[string]int64{}
	}
	return c.JSON(out)
}
