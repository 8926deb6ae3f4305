package webui

import "github.com/gofiber/fiber/v2"

// mountPrivacy registers the privacy routes of /api/v1 (issue #5).
func (s *Server) mountPrivacy(api fiber.Router) {
}
