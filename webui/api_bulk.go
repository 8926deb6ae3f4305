package webui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// bulkBody applies action to the listed ids, or to every contact the query
// (a contact-list query string) matches, not just one page.
type bulkBody struct {
	IDs          []int64                `json:"ids"`
	Query        *string                `json:"query"`
	Action       string                 `json:"action"`
	Tags         []string               `json:"tags"`
	Set          *contacts.ContactInput `json:"set"`
	DoNotContact *bool                  `json:"do_not_contact"`
	KeepHistory  *bool                  `json:"keep_history"`
}

func (s *Server) bulk(c *fiber.Ctx) error {
	var body bulkBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	req := contacts.BulkRequest{IDs: body.IDs, Action: body.Action, Tags: body.Tags, Set: body.Set, KeepHistory: body.KeepHistory}
	v := &contacts.ValidationError{}
	if len(body.IDs) > 0 && body.Query != nil {
		v.Add("ids", "give ids or a query, not both")
	}
	if body.Action == contacts.BulkDoNotContact {
		if body.DoNotContact == nil {
			v.Add("do_not_contact", "must be true or false for set_do_not_contact")
		} else {
			req.DoNotContact = *body.DoNotContact
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if body.Query != nil && len(body.IDs) == 0 {
		q, err := s.parseQueryString(*body.Query, "query")
		if err != nil {
			return err
		}
		// A bulk action covers every match: paging does not apply.
		q.Page, q.PerPage, q.Cursor, q.After = 0, 0, false, 0
		req.Query = &q
	}
	p := who(c)
	res, err := s.svc.Bulk(c.UserContext(), p.Actor, p.ProjectID, req)
	if err != nil {
		return err
	}
	if res.JobID != 0 {
		c.Location("/api/v1/jobs/" + strconv.FormatInt(res.JobID, 10))
		return c.Status(fiber.StatusAccepted).JSON(res)
	}
	return c.JSON(res)
}
