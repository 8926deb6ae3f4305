package webui

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// savedFilterView is a named contact-list query.
type savedFilterView struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Query     string     `json:"query"`
	CreatedAt *time.Time `json:"created_at"`
}

func savedFilterJSON(f *contacts.SavedFilter) savedFilterView {
	return savedFilterView{ID: f.ID, Name: f.Name, Query: f.Query, CreatedAt: timeJSON(f.CreatedAt)}
}

// savedFilterBody names a list query; query is the list URL's query string.
type savedFilterBody struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

func (s *Server) listSavedFilters(c *fiber.Ctx) error {
	p := who(c)
	fs, err := s.svc.ListSavedFilters(c.UserContext(), p.Actor, p.ProjectID)
	if err != nil {
		return err
	}
	out := make([]savedFilterView, len(fs))
	for i := range fs {
		out[i] = savedFilterJSON(&fs[i])
	}
	return c.JSON(fiber.Map{"filters": out})
}

func (s *Server) createSavedFilter(c *fiber.Ctx) error {
	var body savedFilterBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if _, err := s.parseQueryString(body.Query, "query"); err != nil {
		return err
	}
	p := who(c)
	f, err := s.svc.SaveFilter(c.UserContext(), p.Actor, p.ProjectID, body.Name, body.Query)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(savedFilterJSON(f))
}

func (s *Server) deleteSavedFilter(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	if err := s.svc.DeleteSavedFilter(c.UserContext(), p.Actor, p.ProjectID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// parseQueryString parses a list query string sent inside a JSON body
// (saved filters, bulk actions). Its problems are reported as fields of
// field: "query.per_page".
func (s *Server) parseQueryString(raw, field string) (contacts.ListQuery, error) {
	vals, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(raw), "?"))
	if err != nil {
		return contacts.ListQuery{}, contacts.Invalid(field, "is not a valid URL query string")
	}
	q, err := ParseListQueryAt(vals, s.svc.Now())
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		out := &contacts.ValidationError{}
		for k, msg := range ve.Fields {
			out.Add(field+"."+k, msg)
		}
		return q, out
	}
	return q, err
}
