package webui

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// maxMergeContacts bounds one merge from the UI.
const maxMergeContacts = 10

// duplicatesData is the duplicates page: the groups the engine suggests.
type duplicatesData struct {
	profileHelpers
	Groups []contacts.DuplicateGroup
}

func (s *Server) duplicatesPage(c *fiber.Ctx) error {
	groups, err := s.svc.Duplicates(c.UserContext(), uiSession(c).ProjectID, 100)
	if err != nil {
		return err
	}
	return s.page(c, "duplicates", "Duplicates", "duplicates", duplicatesData{Groups: groups})
}

// mergeData is the merge page: the contacts, the primary, the choices per
// field and the preview, or a search for contacts to add.
type mergeData struct {
	profileHelpers
	IDs     []int64
	Primary int64
	Preview *contacts.MergePreview
	Error   string
	Q       string
	Found   []*contacts.Contact
}

// IDList is the contacts as the ids parameter writes them.
func (d *mergeData) IDList() string { return idList(d.IDs) }

// With is the ids parameter with one more contact.
func (d *mergeData) With(id int64) string { return idList(append(append([]int64(nil), d.IDs...), id)) }

// Without is the ids parameter with one contact left out.
func (d *mergeData) Without(id int64) string {
	var out []int64
	for _, x := range d.IDs {
		if x != id {
			out = append(out, x)
		}
	}
	return idList(out)
}

func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// mergeRequest reads the merge form or query: ids (comma-separated or
// repeated), the primary and pick.<field> = the contact whose value wins.
func mergeRequest(vals url.Values) (*mergeData, contacts.MergeRequest, error) {
	d := &mergeData{Q: strings.TrimSpace(vals.Get("q"))}
	seen := map[int64]bool{}
	for _, raw := range vals["ids"] {
		for _, part := range strings.Split(raw, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil || id <= 0 {
				return nil, contacts.MergeRequest{}, badRequest("ids must be contact ids separated by commas")
			}
			if !seen[id] {
				seen[id] = true
				d.IDs = append(d.IDs, id)
			}
		}
	}
	if len(d.IDs) > maxMergeContacts {
		return nil, contacts.MergeRequest{}, badRequest(fmt.Sprintf("merge at most %d contacts at once", maxMergeContacts))
	}
	if len(d.IDs) > 0 {
		d.Primary = d.IDs[0]
	}
	if p, err := strconv.ParseInt(vals.Get("primary"), 10, 64); err == nil && seen[p] {
		d.Primary = p
	}
	req := contacts.MergeRequest{PrimaryID: d.Primary, Fields: map[string]int64{}}
	for _, id := range d.IDs {
		if id != d.Primary {
			req.ContactIDs = append(req.ContactIDs, id)
		}
	}
	for k, vs := range vals {
		field, ok := strings.CutPrefix(k, "pick.")
		if !ok || len(vs) == 0 {
			continue
		}
		if id, err := strconv.ParseInt(vs[0], 10, 64); err == nil && seen[id] {
			req.Fields[field] = id
		}
	}
	return d, req, nil
}

// mergeState computes the page: the preview once two contacts are chosen,
// and the search results for adding more.
func (s *Server) mergeState(c *fiber.Ctx, vals url.Values) (*mergeData, contacts.MergeRequest, error) {
	d, req, err := mergeRequest(vals)
	if err != nil {
		return nil, req, err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	if len(d.IDs) >= 2 {
		if d.Preview, err = s.svc.PreviewMerge(ctx, uiActor(c), projectID, req); err != nil {
			fe, ok := formErrors(err, nil)
			if !ok {
				return nil, req, err
			}
			d.Error = strings.Join(fe.Other, " ")
		}
	}
	if d.Q != "" {
		res, err := s.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: projectID, Q: d.Q, PerPage: 10})
		if err != nil {
			return nil, req, err
		}
		for _, ct := range res.Contacts {
			if !slices.Contains(d.IDs, ct.ID) {
				d.Found = append(d.Found, ct)
			}
		}
	}
	return d, req, nil
}

func (s *Server) mergePage(c *fiber.Ctx) error {
	if err := refuseAgents(c, "merge contacts"); err != nil {
		return err
	}
	d, _, err := s.mergeState(c, queryValues(c))
	if err != nil {
		return err
	}
	return s.page(c, "merge", "Merge contacts", "duplicates", d)
}

// mergePreview answers the choices and the preview for the merge page's
// script as the user changes the primary or a field's winner.
func (s *Server) mergePreview(c *fiber.Ctx) error {
	if err := refuseAgents(c, "merge contacts"); err != nil {
		return err
	}
	d, _, err := s.mergeState(c, queryValues(c))
	if err != nil {
		return err
	}
	v, err := s.view(c, "Merge contacts", "duplicates", d)
	if err != nil {
		return err
	}
	return s.renderPartial(c, "merge", "merge_dynamic", v)
}

// mergeSubmit merges (op=merge) and shows the confirmation with its undo,
// or, for browsers without scripts, shows the preview again (op=preview).
func (s *Server) mergeSubmit(c *fiber.Ctx) error {
	vals := formValues(c)
	if vals.Get("op") != "merge" {
		return s.renderMergeForm(c, vals, "")
	}
	d, req, err := mergeRequest(vals)
	if err != nil {
		return err
	}
	if len(d.IDs) < 2 {
		return s.renderMergeForm(c, vals, "Choose at least two contacts to merge.")
	}
	_, m, err := s.svc.Merge(c.UserContext(), uiActor(c), uiSession(c).ProjectID, req)
	if err != nil {
		var ve *contacts.ValidationError
		var de *contacts.DuplicateError
		if errors.As(err, &ve) || errors.As(err, &de) || errors.Is(err, contacts.ErrConflict) {
			return s.renderMergeForm(c, vals, "The merge did not go through: "+mergeProblem(err))
		}
		return err
	}
	return c.Redirect(fmt.Sprintf("/contacts/merge/%d", m.ID), fiber.StatusSeeOther)
}

func mergeProblem(err error) string {
	if fe, ok := formErrors(err, nil); ok {
		return strings.Join(fe.Other, " ")
	}
	return err.Error()
}

func (s *Server) renderMergeForm(c *fiber.Ctx, vals url.Values, problem string) error {
	if err := refuseAgents(c, "merge contacts"); err != nil {
		return err
	}
	d, _, err := s.mergeState(c, vals)
	if err != nil {
		return err
	}
	if problem != "" {
		d.Error = problem
	}
	return s.page(c, "merge", "Merge contacts", "duplicates", d)
}

// mergeDoneData is the confirmation of a merge, with its undo.
type mergeDoneData struct {
	profileHelpers
	Merge   *contacts.Merge
	Primary *contacts.Contact // nil when it was deleted since
}

func (s *Server) mergeDonePage(c *fiber.Ctx) error {
	mid, err := pathID(c, "mid")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	m, err := s.svc.GetMerge(ctx, projectID, mid)
	if err != nil {
		return err
	}
	d := mergeDoneData{Merge: m}
	if d.Primary, err = s.svc.GetContact(ctx, projectID, m.PrimaryID); err != nil && !errors.Is(err, contacts.ErrNotFound) {
		return err
	}
	return s.page(c, "merge_done", "Merged", "duplicates", d)
}

// undoMergeForm undoes a merge and goes to the restored primary.
func (s *Server) undoMergeForm(c *fiber.Ctx) error {
	mid, err := pathID(c, "mid")
	if err != nil {
		return err
	}
	restored, err := s.svc.UndoMerge(c.UserContext(), uiActor(c), uiSession(c).ProjectID, mid)
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf("Merge undone: the %d contacts are separate again.", len(restored)))
	return c.Redirect(fmt.Sprintf("/contacts/%d", restored[0].ID), fiber.StatusSeeOther)
}
