package webui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// mergeBody merges contact_ids into the contact in the path; fields picks,
// per field, the contact whose value wins.
type mergeBody struct {
	ContactIDs []int64          `json:"contact_ids"`
	Fields     map[string]int64 `json:"fields"`
}

// mergeView is the record of a merge, kept so it can be undone.
type mergeView struct {
	ID        int64      `json:"id"`
	PrimaryID int64      `json:"primary_id"`
	MergedIDs []int64    `json:"merged_ids"`
	CreatedAt *time.Time `json:"created_at"`
	UndoneAt  *time.Time `json:"undone_at"`
}

func mergeJSON(m *contacts.Merge) mergeView {
	ids := m.MergedIDs
	if ids == nil {
		ids = []int64{}
	}
	return mergeView{ID: m.ID, PrimaryID: m.PrimaryID, MergedIDs: ids, CreatedAt: timeJSON(m.CreatedAt), UndoneAt: timeJSON(m.UndoneAt)}
}

type mergeResult struct {
	Contact *contactView `json:"contact"`
	Merge   mergeView    `json:"merge"`
}

func (s *Server) merge(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body mergeBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	p := who(c)
	req := contacts.MergeRequest{PrimaryID: id, ContactIDs: body.ContactIDs, Fields: body.Fields}
	ct, m, err := s.svc.Merge(c.UserContext(), p.Actor, p.ProjectID, req)
	if err != nil {
		return err
	}
	return c.JSON(mergeResult{Contact: contactJSON(ct), Merge: mergeJSON(m)})
}

func (s *Server) undoMerge(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	cs, err := s.svc.UndoMerge(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"contacts": contactsJSON(cs)})
}
