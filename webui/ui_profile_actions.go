package webui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// The profile's small forms: tags, team notes and the AI's suggestions.
// Each answers its card as a fragment to the page's script (200 also when
// the input was refused, with the message in the card), or redirects back
// to the profile for a plain form post.

func (s *Server) addTagForm(c *fiber.Ctx) error {
	return s.changeTags(c, true)
}

func (s *Server) removeTagForm(c *fiber.Ctx) error {
	return s.changeTags(c, false)
}

func (s *Server) changeTags(c *fiber.Ctx, add bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	tag := c.FormValue("tag")
	var ct *contacts.Contact
	if add {
		ct, err = s.svc.AddTags(ctx, uiActor(c), projectID, id, []string{tag})
	} else {
		ct, err = s.svc.RemoveTags(ctx, uiActor(c), projectID, id, []string{tag})
	}
	d := &profileData{Contact: ct, Now: s.svc.Now()}
	if err != nil {
		fe, ok := formErrors(err, []string{"tags"})
		if !ok {
			return err
		}
		if d.Contact, err = s.svc.GetContact(ctx, projectID, id); err != nil {
			return err
		}
		d.TagError = fe.Fields["tags"]
		return s.profileProblem(c, "tags", d)
	}
	msg := "Tag added."
	if !add {
		msg = "Tag removed."
	}
	return s.answerProfile(c, "tags", d, msg)
}

func (s *Server) addNoteForm(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	body := c.FormValue("body")
	_, err = s.svc.AddNote(ctx, uiActor(c), projectID, id, body)
	d, lerr := s.loadProfile(c, id, partNotes)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		fe, ok := formErrors(err, []string{"body"})
		if !ok {
			return err
		}
		d.NoteError, d.NoteBody = fe.Fields["body"], body
		return s.profileProblem(c, "notes", d)
	}
	return s.answerProfile(c, "notes", d, "Note added.")
}

// decideSuggestionForm accepts or rejects one of the AI's suggestions.
func (s *Server) decideSuggestionForm(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	var accept bool
	switch c.Params("decision") {
	case "accept":
		accept = true
	case "reject":
	default:
		return notFound("not found")
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	_, _, err = s.svc.DecideSuggestion(ctx, uiActor(c), projectID, id, sid, accept)
	d, lerr := s.loadProfile(c, id, partSuggestions)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		fe, ok := formErrors(err, nil)
		if !ok {
			return err
		}
		d.SuggestionError = "The suggestion could not be accepted: " + strings.Join(fe.Other, " ")
		return s.profileProblem(c, "insights", d)
	}
	msg := "Suggestion rejected."
	if accept {
		msg = "Suggestion accepted."
		// The accepted value shows in another card too.
		c.Set("X-Profile-Refresh", "basic location")
	}
	return s.answerProfile(c, "insights", d, msg)
}

// profileProblem answers a refused small form: the card with its message
// for the script, or the whole profile for a plain form post (200 either
// way: the page shows the message, the request itself went fine).
func (s *Server) profileProblem(c *fiber.Ctx, card string, d *profileData) error {
	if isFragment(c) {
		return s.renderCard(c, card, d)
	}
	full, err := s.loadProfile(c, d.Contact.ID, partAll)
	if err != nil {
		return err
	}
	full.TagError, full.NoteError, full.NoteBody, full.SuggestionError = d.TagError, d.NoteError, d.NoteBody, d.SuggestionError
	return s.renderProfile(c, full)
}
