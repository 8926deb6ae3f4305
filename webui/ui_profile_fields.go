package webui

import (
	"errors"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// profileField describes one editable profile field for the forms.
type profileField struct {
	Name  string
	Label string
	// Kind picks the control: text, email, tel, textarea, select, checkbox.
	Kind    string
	Options []string // for select
	Hint    string
}

// profileRow is a field with a contact's value, for a form or an inline
// edit: the stored value, the value in the control, the message from the
// server, and where the stored value came from.
type profileRow struct {
	profileField
	Value   string
	Input   string
	Error   string
	Editing bool
	Source  *contacts.FieldSource
}

var profileFields = func() map[string]profileField {
	channels := make([]string, len(contacts.SourceChannels))
	for i, ch := range contacts.SourceChannels {
		channels[i] = string(ch)
	}
	list := []profileField{
		{Name: "first_name", Label: "First name", Kind: "text"},
		{Name: "last_name", Label: "Last name", Kind: "text"},
		{Name: "email", Label: "Email", Kind: "email"},
		{Name: "phone", Label: "Phone", Kind: "tel", Hint: "With the country code, e.g. +44 20 7946 0958"},
		{Name: "company", Label: "Company", Kind: "text"},
		{Name: "external_id", Label: "External ID", Kind: "text", Hint: "The contact's id in another system"},
		{Name: "channel", Label: "Source channel", Kind: "select", Options: channels},
		{Name: "do_not_contact", Label: "Do not contact", Kind: "checkbox", Hint: "Stops the bot and anything automated"},
		{Name: "notes", Label: "Notes", Kind: "textarea"},
		{Name: "context", Label: "Context", Kind: "textarea", Hint: "What the team should know about this contact"},
		{Name: "country", Label: "Country", Kind: "text", Hint: "A two-letter code such as DE, or a name"},
		{Name: "region", Label: "Region", Kind: "text"},
		{Name: "city", Label: "City", Kind: "text"},
		{Name: "telegram_id", Label: "Telegram ID", Kind: "text"},
		{Name: "instagram_id", Label: "Instagram ID", Kind: "text"},
		{Name: "facebook_id", Label: "Messenger ID", Kind: "text"},
		{Name: "whatsapp_id", Label: "WhatsApp number", Kind: "text"},
		{Name: "tags", Label: "Tags", Kind: "text", Hint: "Separated by commas"},
		{Name: "custom", Label: "Custom fields", Kind: "textarea", Hint: "One per line: key = value"},
	}
	m := make(map[string]profileField, len(list))
	for _, f := range list {
		m[f.Name] = f
	}
	return m
}()

// profileCardFields are the inline-editable fields of each profile card.
var profileCardFields = map[string][]string{
	"basic":      {"first_name", "last_name", "email", "phone", "company", "external_id", "channel", "do_not_contact", "notes"},
	"identities": {"telegram_id", "instagram_id", "facebook_id", "whatsapp_id"},
	"context":    {"context"},
	"location":   {"country", "region", "city"},
	"custom":     {"custom"},
}

// contactFormFields are the fields of the create and edit forms.
var contactFormFields = []string{
	"first_name", "last_name", "email", "phone", "company", "tags", "country", "region", "city",
	"notes", "context", "telegram_id", "instagram_id", "facebook_id", "whatsapp_id", "external_id",
	"do_not_contact", "custom",
}

// profileLabel is a field's name for people.
func profileLabel(field string) string {
	if f, ok := profileFields[field]; ok {
		return f.Label
	}
	switch field {
	case "contact":
		return "Contact"
	case "body":
		return "Note"
	}
	return strings.ReplaceAll(field, "_", " ")
}

// fieldValue is a contact's value of a form field, as the control shows it.
func fieldValue(c *contacts.Contact, field string) string {
	switch field {
	case "first_name":
		return c.FirstName
	case "last_name":
		return c.LastName
	case "email":
		return c.Email
	case "phone":
		return c.Phone
	case "company":
		return c.Company
	case "external_id":
		return c.ExternalID
	case "channel":
		return string(c.Channel)
	case "do_not_contact":
		if c.DoNotContact {
			return "true"
		}
		return "false"
	case "notes":
		return c.Notes
	case "context":
		return c.Context
	case "country":
		return c.Country
	case "region":
		return c.Region
	case "city":
		return c.City
	case "tags":
		return strings.Join(c.Tags, ", ")
	case "custom":
		keys := make([]string, 0, len(c.Custom))
		for k := range c.Custom {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		lines := make([]string, len(keys))
		for i, k := range keys {
			lines[i] = k + " = " + c.Custom[k]
		}
		return strings.Join(lines, "\n")
	}
	if ch, ok := contacts.SocialChannels[field]; ok {
		if id, ok := c.Identity(ch); ok {
			return id.ExternalID
		}
	}
	return ""
}

// formValues are the posted form fields, urlencoded or multipart.
func formValues(c *fiber.Ctx) url.Values {
	vals := url.Values{}
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		for k, vs := range mf.Value {
			vals[k] = append(vals[k], vs...)
		}
		return vals
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		vals[key] = append(vals[key], string(v))
	})
	return vals
}

// contactInput turns the posted fields into a contact change: only the
// fields the form sent change. custom is the contact's current custom
// fields, so a line removed from the form deletes its key.
func contactInput(vals url.Values, custom map[string]string) (contacts.ContactInput, error) {
	var in contacts.ContactInput
	text := map[string]**string{
		"first_name": &in.FirstName, "last_name": &in.LastName, "email": &in.Email, "phone": &in.Phone,
		"company": &in.Company, "external_id": &in.ExternalID, "channel": &in.Channel, "notes": &in.Notes,
		"context": &in.Context, "country": &in.Country, "region": &in.Region, "city": &in.City,
		"telegram_id": &in.TelegramID, "instagram_id": &in.InstagramID, "facebook_id": &in.FacebookID,
		"whatsapp_id": &in.WhatsAppID,
	}
	for name, dst := range text {
		if vs, ok := vals[name]; ok && len(vs) > 0 {
			v := vs[0]
			*dst = &v
		}
	}
	// A checkbox sends nothing when unticked: the form pairs it with a
	// hidden "false" before it, and the last value wins.
	if vs := vals["do_not_contact"]; len(vs) > 0 {
		b := vs[len(vs)-1] == "true"
		in.DoNotContact = &b
	}
	if vs, ok := vals["tags"]; ok && len(vs) > 0 {
		tags := []string{}
		for _, t := range strings.Split(vs[0], ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
		in.Tags = &tags
	}
	if vs, ok := vals["custom"]; ok && len(vs) > 0 {
		m, err := customLines(vs[0], custom)
		if err != nil {
			return in, err
		}
		in.Custom = m
	}
	return in, nil
}

// customLines reads "key = value" lines; keys of current missing from them
// are deleted (a nil value).
func customLines(text string, current map[string]string) (map[string]*string, error) {
	out := map[string]*string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, contacts.Invalid("custom", "has a line without '=': write key = value")
		}
		v = strings.TrimSpace(v)
		out[strings.TrimSpace(k)] = &v
	}
	for k := range current {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	return out, nil
}

// fieldErrors sorts a failed save's problems for a form: per shown field,
// and the rest. ok is false for an error that is not about the input.
type fieldErrors struct {
	Fields map[string]string
	Other  []string
	DupID  int64
}

func formErrors(err error, shown []string) (fieldErrors, bool) {
	var (
		ve  *contacts.ValidationError
		de  *contacts.DuplicateError
		out = fieldErrors{Fields: map[string]string{}}
	)
	put := func(field, msg string) {
		if slices.Contains(shown, field) {
			out.Fields[field] = msg
		} else {
			out.Other = append(out.Other, msg)
		}
	}
	switch {
	case errors.As(err, &ve):
		keys := make([]string, 0, len(ve.Fields))
		for k := range ve.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			put(k, fieldMessage(k, ve.Fields[k]))
		}
	case errors.As(err, &de):
		out.DupID = de.ExistingID
		put(de.Field, profileLabel(de.Field)+" already belongs to another contact.")
	default:
		return out, false
	}
	return out, true
}

// fieldMessage makes a validation message a sentence naming its field:
// ("email", "is not a valid email address") reads "Email is not a valid
// email address."
func fieldMessage(field, msg string) string {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	first, _, _ := strings.Cut(msg, " ")
	switch {
	case field == "contact":
		r, n := utf8.DecodeRuneInString(msg)
		msg = string(unicode.ToUpper(r)) + msg[n:]
	case first == "is" || first == "must" || first == "contains" || first == "has":
		msg = profileLabel(field) + " " + msg
	default:
		msg = profileLabel(field) + ": " + msg
	}
	return msg + "."
}
