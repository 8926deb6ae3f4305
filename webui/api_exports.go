package webui

import "github.com/gofiber/fiber/v2"

// mountExports registers the exports routes of /api/v1 (issue #5).
func (s *Server) mountExports(api fiber.Router) {
}
