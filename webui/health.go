package webui

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers 200 when the store answers, else 503.
func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := s.svc.Ping(ctx); err != nil {
		s.log.Warn("health check failed", "error", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
