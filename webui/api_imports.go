package webui

import "github.com/gofiber/fiber/v2"

// mountImports registers the imports routes of /api/v1 (issue #5).
func (s *Server) mountImports(api fiber.Router) {
}
