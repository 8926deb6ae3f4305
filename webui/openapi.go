package webui

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDoc describes every /api/v1 route; a test keeps it in step with
// the router.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openAPIDoc)
}
