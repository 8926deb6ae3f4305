package webui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/channels/telegram"
	"github.com/switchboard-oss/switchboard/contacts"
)

// telegramWebhook takes a Bot API update. Telegram retries until it gets a
// 200, so the answer comes only after the message is committed, and a
// redelivered update changes nothing.
func (s *Server) telegramWebhook(c *fiber.Ctx) error {
	ch, err := s.webhookChannel(c, string(contacts.ChannelTelegram))
	if err != nil {
		return err
	}
	cfg, err := telegram.Parse(ch.Config)
	if err != nil {
		return err
	}
	if err := cfg.CheckSecret(c.Get(telegram.SecretHeader)); err != nil {
		return contacts.ErrUnauthorized
	}
	in, ok, err := telegram.Inbound(c.Body(), ch.ProjectID, ch.ID)
	if err != nil {
		return badRequest(err.Error())
	}
	if ok {
		if _, err := s.router.Receive(c.UserContext(), in); err != nil {
			return err
		}
	}
	return c.JSON(fiber.Map{"ok": true})
}
