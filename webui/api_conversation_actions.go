package webui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// sendStaffMessage sends a staff member's (or integration's) message through
// the conversation's channel. A contact who opted out may still be written
// to by a person; the answer says so.
func (s *Server) sendStaffMessage(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.router.SendAsStaff(c.UserContext(), who(c).ProjectID, id, in.Text)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": messagesJSON([]contacts.Message{*r.Message})[0], "do_not_contact": r.DoNotContact})
}

// handoff gives the conversation to a person (the bot falls silent) or back
// to the bot.
func (s *Server) handoff(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		To string `json:"to"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	assignee := map[string]string{"human": contacts.AssigneeStaff, "bot": contacts.AssigneeBot}[in.To]
	if assignee == "" {
		return contacts.Invalid("to", "must be human or bot")
	}
	p := who(c)
	if err := s.router.Assign(c.UserContext(), p.ProjectID, id, assignee); err != nil {
		return err
	}
	return s.conversationAnswer(c, p.ProjectID, id)
}

func (s *Server) closeConversation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	if err := s.router.CloseConversation(c.UserContext(), p.ProjectID, id); err != nil {
		return err
	}
	return s.conversationAnswer(c, p.ProjectID, id)
}

func (s *Server) conversationAnswer(c *fiber.Ctx, projectID, id int64) error {
	cv, err := s.svc.Conversation(c.UserContext(), projectID, id)
	if err != nil {
		return err
	}
	return c.JSON(conversationJSON(*cv))
}
