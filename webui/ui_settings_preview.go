package webui

import "github.com/gofiber/fiber/v2"

// settingsChannelPreview is a stand-in web page with the channel's widget
// on it, for the live preview the channel page frames.
func (s *Server) settingsChannelPreview(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ch, err := s.svc.Channel(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	if ch.PublicKey == "" {
		return notFound("this channel has no widget to preview")
	}
	v := uiView{Title: ch.Name, Data: map[string]string{"Key": ch.PublicKey, "Name": ch.Name}}
	if err := s.renderPartial(c, "settings_preview", "preview", v); err != nil {
		return err
	}
	// Framed by the channel page (the admin pages themselves refuse frames).
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "+
		"connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'")
	return nil
}
