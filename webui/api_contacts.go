package webui

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// listPage is a page of the contact list; cursorPage its cursor-mode form.
type listPage struct {
	Contacts []*contactView `json:"contacts"`
	Total    int            `json:"total"`
	Page     int            `json:"page"`
	PerPage  int            `json:"per_page"`
}

type cursorPage struct {
	Contacts  []*contactView `json:"contacts"`
	NextAfter *int64         `json:"next_after"`
}

func (s *Server) listContacts(c *fiber.Ctx) error {
	q, err := ParseListQueryAt(queryValues(c), s.svc.Now())
	if err != nil {
		return err
	}
	q.ProjectID = who(c).ProjectID
	if q.Cursor {
		res, err := s.svc.ListContacts(c.UserContext(), q)
		if err != nil {
			return err
		}
		out := cursorPage{Contacts: contactsJSON(res.Contacts)}
		if res.NextAfter > 0 {
			out.NextAfter = &res.NextAfter
		}
		return c.JSON(out)
	}
	page, perPage := q.Page, q.PerPage
	if page > contacts.MaxPage {
		// Past any real page: ask only for the total.
		q.Page, q.PerPage = 1, 1
	}
	res, err := s.svc.ListContacts(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := listPage{Contacts: contactsJSON(res.Contacts), Total: res.Total, Page: page, PerPage: perPage}
	if page > contacts.MaxPage {
		out.Contacts = []*contactView{}
	}
	return c.JSON(out)
}

// queryValues copies the request's query arguments.
func queryValues(c *fiber.Ctx) url.Values {
	vals := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		vals[key] = append(vals[key], string(v))
	})
	return vals
}

func (s *Server) createContact(c *fiber.Ctx) error {
	var in contacts.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p := who(c)
	ct, err := s.svc.CreateContact(c.UserContext(), p.Actor, p.ProjectID, in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/contacts/" + strconv.FormatInt(ct.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(contactJSON(ct))
}

func (s *Server) getContact(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ct, err := s.svc.GetContact(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(contactJSON(ct))
}

func (s *Server) updateContact(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in contacts.ContactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p := who(c)
	ct, err := s.svc.UpdateContact(c.UserContext(), p.Actor, p.ProjectID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(contactJSON(ct))
}

// deleteContact erases a contact: 204 when it is gone, 202 with the pending
// erasure when the project's grace period hides it first. Without
// keep_history the project's erasure default applies.
func (s *Server) deleteContact(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v := &contacts.ValidationError{}
	keep := boolParam(queryValues(c), "keep_history", v)
	if err := v.Err(); err != nil {
		return err
	}
	p := who(c)
	e, err := s.svc.EraseContact(c.UserContext(), p.Actor, p.ProjectID, id, keep)
	if err != nil {
		return err
	}
	if e != nil {
		return c.Status(fiber.StatusAccepted).JSON(erasureJSON(e))
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// duplicateGroupView is one group of contacts that look like one person.
type duplicateGroupView struct {
	Reason   string         `json:"reason"`
	Value    string         `json:"value"`
	Contacts []*contactView `json:"contacts"`
}

func (s *Server) duplicates(c *fiber.Ctx) error {
	v := &contacts.ValidationError{}
	limit := queryInt(c, "limit", 100, 1, 500, v)
	if err := v.Err(); err != nil {
		return err
	}
	groups, err := s.svc.Duplicates(c.UserContext(), who(c).ProjectID, limit)
	if err != nil {
		return err
	}
	out := make([]duplicateGroupView, len(groups))
	for i, g := range groups {
		out[i] = duplicateGroupView{Reason: g.Reason, Value: g.Value, Contacts: contactsJSON(g.Contacts)}
	}
	return c.JSON(fiber.Map{"groups": out})
}

// tagsBody is the body of the tag routes.
type tagsBody struct {
	Tags []string `json:"tags"`
}

func (s *Server) addTags(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body tagsBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := who(c)
	ct, err := s.svc.AddTags(c.UserContext(), p.Actor, p.ProjectID, id, body.Tags)
	if err != nil {
		return err
	}
	return c.JSON(contactJSON(ct))
}

// removeTags takes the tags from a JSON body or, without one, from ?tags=a,b.
func (s *Server) removeTags(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body tagsBody
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	} else {
		body.Tags = listParam(queryValues(c), "tags")
	}
	if len(body.Tags) == 0 {
		return contacts.Invalid("tags", "name at least one tag")
	}
	p := who(c)
	ct, err := s.svc.RemoveTags(c.UserContext(), p.Actor, p.ProjectID, id, body.Tags)
	if err != nil {
		return err
	}
	return c.JSON(contactJSON(ct))
}

// exportView is contacts.ContactExport with the API's own shapes.
type exportView struct {
	Contact       *contactView             `json:"contact"`
	Notes         []noteView               `json:"team_notes"`
	Conversations []conversationExportView `json:"conversations"`
	ExportedAt    *time.Time               `json:"exported_at"`
}

type conversationExportView struct {
	conversationView
	Messages []messageView `json:"messages"`
}

func (s *Server) exportContact(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	ex, err := s.svc.ExportContact(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	out := exportView{
		Contact:       contactJSON(ex.Contact),
		Notes:         notesJSON(ex.Notes),
		Conversations: make([]conversationExportView, len(ex.Conversations)),
		ExportedAt:    timeJSON(ex.ExportedAt),
	}
	for i, cv := range ex.Conversations {
		out.Conversations[i] = conversationExportView{conversationJSON(cv.Conversation), messagesJSON(cv.Messages)}
	}
	if err := c.JSON(out); err != nil {
		return err
	}
	c.Attachment("contact-" + strconv.FormatInt(id, 10) + ".json")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return nil
}
