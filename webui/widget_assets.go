package webui

import (
	"bytes"
	"embed"
	"html/template"

	"github.com/gofiber/fiber/v2"
)

// The widget's browser side, embedded in the binary: the script sites embed
// and the hosted live-chat page.
//
//go:embed static/widget.js static/chat.html
var staticFiles embed.FS

var (
	widgetJS, _ = staticFiles.ReadFile("static/widget.js")
	chatPage    = template.Must(template.ParseFS(staticFiles, "static/chat.html"))
)

// favicon answers browsers' automatic request without an error.
func (s *Server) favicon(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }

func (s *Server) widgetScript(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(widgetJS)
}

// chatPageHandler serves the hosted live-chat page of a channel: the widget,
// full page. The channel's name is escaped by html/template.
func (s *Server) chatPageHandler(c *fiber.Ctx) error {
	cc, err := s.widgetChannel(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := chatPage.Execute(&buf, map[string]string{"Key": cc.ch.PublicKey, "Title": cc.ch.Name}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}
