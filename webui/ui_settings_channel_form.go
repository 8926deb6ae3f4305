package webui

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// channelFormInput reads a channel form: the name and each setting of the
// type. An empty secret keeps the stored one. typed holds what was typed
// into the other settings, to show again with errors; secrets reports
// whether any secret was typed (it is not shown again).
func channelFormInput(c *fiber.Ctx, t channelType) (in contacts.ChannelInput, typed map[string][]string, secrets bool) {
	name := strings.TrimSpace(c.FormValue("name"))
	in.Name = &name
	in.Config = map[string]json.RawMessage{}
	typed = map[string][]string{}
	for _, f := range t.Fields {
		field := "config." + f.Key
		var v any
		switch f.Input {
		case inputSecret:
			raw := strings.TrimSpace(c.FormValue(field))
			if raw == "" {
				continue
			}
			secrets = true
			v = raw
		case inputChecks:
			list := []string{}
			for _, b := range c.Request().PostArgs().PeekMulti(field) {
				list = append(list, string(b))
			}
			v, typed[f.Key] = list, list
		case inputLines:
			list := []string{}
			for _, line := range strings.FieldsFunc(c.FormValue(field), func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
				if line = strings.TrimSpace(line); line != "" {
					list = append(list, line)
				}
			}
			v, typed[f.Key] = list, list
		default:
			raw := strings.TrimSpace(c.FormValue(field))
			v, typed[f.Key] = raw, []string{raw}
		}
		in.Config[f.Key], _ = json.Marshal(v)
	}
	return in, typed, secrets
}

// channelFormError puts a validation error, or a provider's refusal, on
// the form: each problem beside its field, those of no field on top.
// Other errors go to the error page.
func (d *channelData) channelFormError(err error) error {
	var re *requestError
	if errors.As(err, &re) && re.status == fiber.StatusBadGateway {
		d.Error = re.message
		return nil
	}
	if err := d.formErrors(err); err != nil {
		return err
	}
	shown := map[string]bool{"name": true}
	for _, f := range d.Type.Fields {
		shown["config."+f.Key] = true
	}
	var rest []string
	for k, msg := range d.Errors {
		if !shown[k] {
			rest = append(rest, strings.TrimPrefix(k, "config.")+": "+msg)
		}
	}
	sort.Strings(rest)
	d.Error = strings.Join(rest, "; ")
	return nil
}
