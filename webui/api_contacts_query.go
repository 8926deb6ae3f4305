package webui

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// ParseListQuery reads a contact-list query string (the list URL's
// parameters, a saved filter, a bulk action's query) into a ListQuery, with
// the created presets counted back from the wall clock. See ParseListQueryAt.
func ParseListQuery(args url.Values) (contacts.ListQuery, error) {
	return ParseListQueryAt(args, time.Now().UTC())
}

// ParseListQueryAt reads a contact-list query string with the created
// presets (today, 7d, 30d) counted back from now. Unknown parameters are
// ignored. Every bad value is reported in one *contacts.ValidationError
// keyed by parameter name.
//
// Lists (channel, tags, lead_status, country, ids) are comma separated and may
// also repeat. Dates are RFC 3339 or YYYY-MM-DD; a date alone as the upper
// bound (created_to, last_seen_to) includes that whole day. A page beyond
// contacts.MaxPage is returned as it is (at most math.MaxInt): it is always
// empty, and callers answer it without asking the store. The presence of
// after, even empty, selects cursor mode.
func ParseListQueryAt(args url.Values, now time.Time) (contacts.ListQuery, error) {
	v := &contacts.ValidationError{}
	q := contacts.ListQuery{Page: 1, PerPage: contacts.DefaultPerPage}
	q.Q = strings.TrimSpace(args.Get("q"))

	for _, ch := range listParam(args, "channel") {
		if !contacts.ValidChannel(contacts.Channel(ch)) {
			v.Add("channel", "unknown channel "+strconv.Quote(ch))
		}
		q.Channels = append(q.Channels, contacts.Channel(ch))
	}
	for _, t := range listParam(args, "tags") {
		n, err := contacts.NormalizeTag(t)
		if err != nil {
			v.Add("tags", "is not a valid tag list")
		}
		q.Tags = append(q.Tags, n)
	}
	switch args.Get("tags_mode") {
	case "", "any":
	case "all":
		q.TagsAll = true
	default:
		v.Add("tags_mode", "must be any or all")
	}
	for _, st := range listParam(args, "lead_status") {
		if !validLeadStatus(contacts.LeadStatus(st)) {
			v.Add("lead_status", "must be one of new, active, follow_up, archived")
		}
		q.LeadStatuses = append(q.LeadStatuses, contacts.LeadStatus(st))
	}
	for _, raw := range listParam(args, "country") {
		// Compared with the stored value, so normalised the same way: a
		// code is upper-cased, a name kept as typed. A value no contact
		// could hold is refused rather than silently matching nobody.
		c, err := contacts.NormalizeCountry(raw)
		if err != nil {
			msg := "is not a valid country list"
			var ve *contacts.ValidationError
			if errors.As(err, &ve) && ve.Fields["country"] != "" {
				msg = "a country " + ve.Fields["country"]
			}
			v.Add("country", msg)
			break
		}
		q.Countries = append(q.Countries, c)
	}
	for _, raw := range listParam(args, "ids") {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 {
			v.Add("ids", "must be contact ids (positive integers), comma separated")
			break
		}
		q.IDs = append(q.IDs, n)
	}
	if len(q.IDs) > contacts.MaxListIDs {
		v.Add("ids", "at most "+strconv.Itoa(contacts.MaxListIDs)+" ids")
	}

	switch args.Get("created") {
	case "":
	case "today":
		q.CreatedFrom = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	case "7d":
		q.CreatedFrom = now.Add(-7 * 24 * time.Hour)
	case "30d":
		q.CreatedFrom = now.Add(-30 * 24 * time.Hour)
	default:
		v.Add("created", "must be today, 7d or 30d")
	}
	if t, ok := timeParam(args, "created_from", false, v); ok {
		q.CreatedFrom = t
	}
	q.CreatedTo, _ = timeParam(args, "created_to", true, v)
	q.LastSeenFrom, _ = timeParam(args, "last_seen_from", false, v)
	q.LastSeenTo, _ = timeParam(args, "last_seen_to", true, v)
	if !q.CreatedFrom.IsZero() && !q.CreatedTo.IsZero() && q.CreatedTo.Before(q.CreatedFrom) {
		v.Add("created_to", "must not be before created_from")
	}
	if !q.LastSeenFrom.IsZero() && !q.LastSeenTo.IsZero() && q.LastSeenTo.Before(q.LastSeenFrom) {
		v.Add("last_seen_to", "must not be before last_seen_from")
	}

	q.HasEmail = boolParam(args, "has_email", v)
	q.HasPhone = boolParam(args, "has_phone", v)
	q.DoNotContact = boolParam(args, "do_not_contact", v)
	q.ConvMin = countParam(args, "conversations_min", v)
	q.ConvMax = countParam(args, "conversations_max", v)
	if q.ConvMin != nil && q.ConvMax != nil && *q.ConvMax < *q.ConvMin {
		v.Add("conversations_max", "must not be less than conversations_min")
	}

	if raw := strings.TrimSpace(args.Get("sort")); raw != "" {
		q.Sort, q.Desc = strings.TrimPrefix(raw, "-"), strings.HasPrefix(raw, "-")
		if !validSort(q.Sort) {
			v.Add("sort", "must be one of "+strings.Join(contacts.SortFields, ", ")+", optionally prefixed with -")
		}
	}
	if raw := args.Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-"):
			q.Page = math.MaxInt
		case err != nil || n < 1:
			v.Add("page", "must be a positive integer")
		default:
			q.Page = n
		}
	}
	if raw := args.Get("per_page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > contacts.MaxPerPage {
			v.Add("per_page", "must be an integer between 1 and "+strconv.Itoa(contacts.MaxPerPage))
		} else {
			q.PerPage = n
		}
	}
	if args.Has("after") {
		q.Cursor = true
		if raw := args.Get("after"); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 {
				v.Add("after", "must be a contact id (a non-negative integer)")
			}
			q.After = n
		}
	}
	if len([]rune(q.Q)) > 200 {
		v.Add("q", "must be at most 200 characters")
	}
	return q, v.Err()
}

// listParam splits a comma-separated, possibly repeated parameter, dropping
// empty items.
func listParam(args url.Values, name string) []string {
	var out []string
	for _, raw := range args[name] {
		for _, item := range strings.Split(raw, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// timeParam reads an RFC 3339 time or a YYYY-MM-DD date (UTC). A date as an
// upper bound means the end of that day.
func timeParam(args url.Values, name string, upper bool, v *contacts.ValidationError) (time.Time, bool) {
	raw := strings.TrimSpace(args.Get(name))
	if raw == "" {
		return time.Time{}, false
	}
	if d, err := time.Parse(time.DateOnly, raw); err == nil {
		if upper {
			d = d.Add(24*time.Hour - time.Millisecond)
		}
		return d, true
	}
	// A '+' offset arrives as a space when the client did not escape it.
	t, err := time.Parse(time.RFC3339, strings.Replace(raw, " ", "+", 1))
	if err != nil {
		v.Add(name, "must be an RFC 3339 time or a YYYY-MM-DD date")
		return time.Time{}, false
	}
	return t.UTC(), true
}

func boolParam(args url.Values, name string, v *contacts.ValidationError) *bool {
	raw := args.Get(name)
	if raw == "" {
		return nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		v.Add(name, "must be true or false")
		return nil
	}
	return &b
}

func countParam(args url.Values, name string, v *contacts.ValidationError) *int {
	raw := args.Get(name)
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		v.Add(name, "must be a non-negative integer")
		return nil
	}
	return &n
}

func validSort(field string) bool {
	for _, f := range contacts.SortFields {
		if f == field {
			return true
		}
	}
	return false
}

func validLeadStatus(s contacts.LeadStatus) bool {
	for _, k := range contacts.LeadStatuses {
		if k == s {
			return true
		}
	}
	return false
}
