package webui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// noteView is a team note on a contact.
type noteView struct {
	ID        int64      `json:"id"`
	ContactID int64      `json:"contact_id"`
	AuthorID  *int64     `json:"author_id"`
	Author    string     `json:"author"`
	Body      string     `json:"body"`
	CreatedAt *time.Time `json:"created_at"`
}

func noteJSON(n *contacts.Note) noteView {
	v := noteView{ID: n.ID, ContactID: n.ContactID, Author: n.Author, Body: n.Body, CreatedAt: timeJSON(n.CreatedAt)}
	if n.AuthorID != 0 {
		id := n.AuthorID
		v.AuthorID = &id
	}
	return v
}

func notesJSON(ns []contacts.Note) []noteView {
	out := make([]noteView, len(ns))
	for i := range ns {
		out[i] = noteJSON(&ns[i])
	}
	return out
}

type noteBody struct {
	Body string `json:"body"`
}

func (s *Server) listNotes(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	notes, err := s.svc.ListNotes(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"notes": notesJSON(notes)})
}

func (s *Server) addNote(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body noteBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := who(c)
	n, err := s.svc.AddNote(c.UserContext(), p.Actor, p.ProjectID, id, body.Body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(noteJSON(n))
}
