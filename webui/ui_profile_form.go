package webui

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// contactFormData is the create and edit form: the contact being edited
// (nil when creating), the values in the controls and the server's
// messages.
type contactFormData struct {
	profileHelpers
	Contact *contacts.Contact
	Values  map[string]string
	Errors  fieldErrors
}

// Rows are the form's fields with their values and messages.
func (d contactFormData) Rows() []profileRow {
	rows := make([]profileRow, 0, len(contactFormFields))
	for _, name := range contactFormFields {
		r := profileRow{profileField: profileFields[name], Input: d.Values[name], Error: d.Errors.Fields[name]}
		if r.Kind == "checkbox" && r.Input == "" {
			r.Input = "false"
		}
		rows = append(rows, r)
	}
	if d.Contact != nil {
		// The source channel is set on create; an edit may correct it.
		ch := profileRow{profileField: profileFields["channel"], Input: d.Values["channel"], Error: d.Errors.Fields["channel"]}
		rows = append(rows[:5], append([]profileRow{ch}, rows[5:]...)...)
	}
	return rows
}

func (s *Server) newContactPage(c *fiber.Ctx) error {
	return s.page(c, "contact_form", "New contact", "contacts", contactFormData{Values: map[string]string{}})
}

// createContactForm creates a contact through the same service path as the
// API; problems re-render the form (200) with messages at their fields.
func (s *Server) createContactForm(c *fiber.Ctx) error {
	vals := formValues(c)
	d := contactFormData{Values: firstValues(vals)}
	in, err := contactInput(vals, nil)
	var ct *contacts.Contact
	if err == nil {
		ct, err = s.svc.CreateContact(c.UserContext(), uiActor(c), uiSession(c).ProjectID, in)
	}
	if err != nil {
		fe, ok := formErrors(err, contactFormFields)
		if !ok {
			return err
		}
		d.Errors = fe
		return s.page(c, "contact_form", "New contact", "contacts", d)
	}
	s.setFlash(c, "Contact created.")
	return c.Redirect("/contacts/"+strconv.FormatInt(ct.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) editContactPage(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ct, err := s.svc.GetContact(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	vals := map[string]string{"channel": string(ct.Channel)}
	for _, f := range contactFormFields {
		vals[f] = fieldValue(ct, f)
	}
	return s.page(c, "contact_form", "Edit "+profileTitle(ct), "contacts", contactFormData{Contact: ct, Values: vals})
}

// editContactForm saves the edit form, or an inline edit of one profile
// card (the form names it in _card): only the fields sent change.
func (s *Server) editContactForm(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	vals := formValues(c)
	card := vals.Get("_card")
	shown := contactFormFields
	if card != "" {
		var ok bool
		if shown, ok = profileCardFields[card]; !ok {
			return notFound("no such card")
		}
	}
	ct, err := s.svc.GetContact(ctx, projectID, id)
	if err != nil {
		return err
	}
	in, err := contactInput(vals, ct.Custom)
	if err == nil {
		var saved *contacts.Contact
		if saved, err = s.svc.UpdateContact(ctx, uiActor(c), projectID, id, in); err == nil {
			ct = saved
		}
	}
	var fe fieldErrors
	if err != nil {
		var ok bool
		if fe, ok = formErrors(err, shown); !ok {
			return err
		}
	}
	if card == "" {
		if err != nil {
			d := contactFormData{Contact: ct, Values: firstValues(vals), Errors: fe}
			return s.page(c, "contact_form", "Edit "+profileTitle(ct), "contacts", d)
		}
		s.setFlash(c, "Changes saved.")
		return c.Redirect(fmt.Sprintf("/contacts/%d", id), fiber.StatusSeeOther)
	}

	d := &profileData{Contact: ct, Now: s.svc.Now()}
	if err != nil {
		d.Form = profileForm{Card: card, Values: firstValues(vals), Errors: fe.Fields, Other: fe.Other, DupID: fe.DupID, Editing: map[string]bool{}}
		for _, f := range shown {
			if _, sent := vals[f]; sent {
				d.Form.Editing[f] = true
			}
		}
		if isFragment(c) {
			return s.renderCard(c, card, d)
		}
		// A plain form post: the whole profile, with the card open.
		full, lerr := s.loadProfile(c, id, partAll)
		if lerr != nil {
			return lerr
		}
		full.Form = d.Form
		return s.renderProfile(c, full)
	}
	return s.answerProfile(c, card, d, "Changes saved.")
}

// firstValues keeps each field's value as the form shows it again; for a
// checkbox pair the last one, the box's own.
func firstValues(vals url.Values) map[string]string {
	out := make(map[string]string, len(vals))
	for k, vs := range vals {
		if len(vs) == 0 || k == csrfField {
			continue
		}
		out[k] = vs[0]
		if k == "do_not_contact" {
			out[k] = vs[len(vs)-1]
		}
	}
	return out
}
