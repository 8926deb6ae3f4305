package webui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

func (s *Server) getBot(c *fiber.Ctx) error {
	settings, err := s.router.BotSettings(c.UserContext(), who(c).ProjectID)
	if err != nil {
		return err
	}
	return c.JSON(settings)
}

// putBot replaces the project's bot settings; agents may not change them.
func (s *Server) putBot(c *fiber.Ctx) error {
	p := who(c)
	if err := contacts.MayChangeSettings(p.Actor); err != nil {
		return fmt.Errorf("agents cannot change the bot's settings: %w", contacts.ErrForbidden)
	}
	var in ai.BotSettings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	saved, err := s.router.UpdateBotSettings(c.UserContext(), p.Actor, p.ProjectID, in)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

func (s *Server) listSuggestions(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	status := c.Query("status", contacts.SuggestionPending)
	if status == "all" {
		status = ""
	}
	list, err := s.svc.ListSuggestions(c.UserContext(), who(c).ProjectID, id, status)
	if err != nil {
		return err
	}
	if list == nil {
		list = []contacts.Suggestion{}
	}
	return c.JSON(fiber.Map{"suggestions": list})
}

func (s *Server) acceptSuggestion(c *fiber.Ctx) error { return s.decideSuggestion(c, true) }
func (s *Server) rejectSuggestion(c *fiber.Ctx) error { return s.decideSuggestion(c, false) }

// decideSuggestion answers the decided suggestion and, on accept, the
// contact as it is now.
func (s *Server) decideSuggestion(c *fiber.Ctx, accept bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	p := who(c)
	sg, contact, err := s.svc.DecideSuggestion(c.UserContext(), p.Actor, p.ProjectID, id, sid, accept)
	if err != nil {
		return err
	}
	out := fiber.Map{"suggestion": sg}
	if contact != nil {
		out["contact"] = contactJSON(contact)
	}
	return c.JSON(out)
}
