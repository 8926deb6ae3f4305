package webui

import (
	"github.com/gofiber/fiber/v2"
)

func (s *Server) stats(c *fiber.Ctx) error {
	st, err := s.svc.Stats(c.UserContext(), who(c).ProjectID)
	if err != nil {
		return err
	}
	out := *st
	if out.ByChannel == nil {
		out.ByChannel = map[string]int64{}
	}
	if out.ByLeadStatus == nil {
		out.ByLeadStatus = map[string]int64{}
	}
	return c.JSON(out)
}
