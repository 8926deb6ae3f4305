package webui

import "github.com/gofiber/fiber/v2"

// mountWebhooks registers the webhooks routes of /api/v1 (issue #5).
func (s *Server) mountWebhooks(api fiber.Router) {
}
