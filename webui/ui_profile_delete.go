package webui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// exportContactFile downloads a contact's portable export (the data
// subject's copy of everything stored about them) as a JSON file. It runs
// the API's own handler, as the signed-in user, so the file is exactly what
// GET /api/v1/contacts/{id}/export answers; the service refuses agents.
func (s *Server) exportContactFile(c *fiber.Ctx) error {
	sess := uiSession(c)
	c.Locals(principalKey, &principal{Actor: sess.Actor(), ProjectID: sess.ProjectID})
	return s.exportContact(c)
}

// refuseAgents stops a page that leads only to something agents may not do.
func refuseAgents(c *fiber.Ctx, what string) error {
	if uiSession(c).Role == contacts.RoleAgent {
		return fmt.Errorf("agents cannot %s: %w", what, contacts.ErrForbidden)
	}
	return nil
}

// deleteContactPage is the delete confirmation for browsers without
// scripts; the profile opens the same form in a dialog.
func (s *Server) deleteContactPage(c *fiber.Ctx) error {
	if err := refuseAgents(c, "delete contacts"); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadProfile(c, id, partPrivacy)
	if err != nil {
		return err
	}
	return s.page(c, "contact_delete", "Delete "+profileTitle(d.Contact), "contacts", d)
}

// deleteContactForm erases the contact the way DELETE /api/v1/contacts/{id}
// does (the privacy service: the project's grace period, the chosen
// keep-history mode), then goes to the list with a notice.
func (s *Server) deleteContactForm(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	vals := formValues(c)
	keep := false
	if vs := vals["keep_history"]; len(vs) > 0 {
		keep = vs[len(vs)-1] == "true"
	}
	ct, err := s.svc.GetContact(ctx, projectID, id)
	if err != nil {
		return err
	}
	e, err := s.svc.EraseContact(ctx, uiActor(c), projectID, id, &keep)
	if err != nil {
		return err
	}
	msg := profileTitle(ct) + " was deleted"
	if keep {
		msg += "; the conversation history is kept, anonymised"
	}
	if e != nil {
		msg += fmt.Sprintf(". It can be restored until %s", e.EraseAfter.UTC().Format("2 January 2006 15:04 UTC"))
	}
	s.setFlash(c, msg+".")
	return c.Redirect("/contacts", fiber.StatusSeeOther)
}
