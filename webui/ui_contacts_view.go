package webui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// listParams are the contact list's query parameters, in the order its
// links write them. The page's URL carries exactly the API's list query, so
// a view can be shared, reloaded, saved, exported or sent to a bulk action
// as it is.
var listParams = []string{
	"q", "channel", "tags", "tags_mode", "lead_status", "country",
	"created", "created_from", "created_to", "last_seen_from", "last_seen_to",
	"has_email", "has_phone", "do_not_contact", "conversations_min", "conversations_max",
	"sort", "per_page", "page", "after",
}

// listArgs keeps the list's own parameters from a request's query, without
// empty values (a GET form sends every field), except after, whose presence
// alone selects cursor mode.
func listArgs(vals url.Values) url.Values {
	out := url.Values{}
	for _, k := range listParams {
		for _, v := range vals[k] {
			if v = strings.TrimSpace(v); v != "" || k == "after" {
				out.Add(k, v)
			}
		}
	}
	return out
}

// encodeArgs writes args in listParams order (url.Values.Encode sorts by
// key, which would put the search text last).
func encodeArgs(args url.Values) string {
	var b strings.Builder
	for _, k := range listParams {
		for _, v := range args[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// contactList is the contact list page's data: the query as given, its
// problems, and the page of results.
type contactList struct {
	Args   url.Values
	Query  contacts.ListQuery
	Errors map[string]string
	// Result is nil when the query has errors.
	Result *contacts.ListResult
	Rows   []contactRow
	Page   int
	Saved  []savedLink
	Now    time.Time
}

// sortField is the effective sort: the store's default is newest first.
func (d *contactList) sortField() (string, bool) {
	if d.Query.Sort == "" || d.Errors["sort"] != "" {
		return "created_at", true
	}
	return d.Query.Sort, d.Query.Desc
}

// Value is a parameter's value as given, for the filter form.
func (d *contactList) Value(name string) string { return strings.Join(d.Args[name], ",") }

// DateValue is a date parameter for a date input, which takes only
// YYYY-MM-DD: an RFC 3339 time keeps its date.
func (d *contactList) DateValue(name string) string {
	v := d.Args.Get(name)
	if _, err := time.Parse(time.DateOnly, v); err == nil {
		return v
	}
	if t, err := time.Parse(time.RFC3339, strings.Replace(v, " ", "+", 1)); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return ""
}

// Checked reports whether a list parameter (channel, lead_status) holds value.
func (d *contactList) Checked(name, value string) bool {
	return slices.Contains(listParam(d.Args, name), value)
}

// Selected reports whether a single-valued parameter is value.
func (d *contactList) Selected(name, value string) bool { return d.Args.Get(name) == value }

// Sort is the sort select's value ("-created_at" by default).
func (d *contactList) Sort() string {
	f, desc := d.sortField()
	if desc {
		return "-" + f
	}
	return f
}

// PerPage is the page size in use.
func (d *contactList) PerPage() int {
	if d.Query.PerPage < 1 || d.Errors["per_page"] != "" {
		return contacts.DefaultPerPage
	}
	return d.Query.PerPage
}

// link is /contacts with the view's parameters changed by set (a nil value
// drops the parameter).
func (d *contactList) link(set map[string][]string) string {
	args := url.Values{}
	for k, v := range d.Args {
		args[k] = v
	}
	for k, v := range set {
		if v == nil {
			delete(args, k)
		} else {
			args[k] = v
		}
	}
	if q := encodeArgs(args); q != "" {
		return "/contacts?" + q
	}
	return "/contacts"
}

// QueryString is the view's filter as a query string: search and filters,
// without sort and paging. Saved filters, exports and bulk actions take it.
func (d *contactList) QueryString() string {
	args := url.Values{}
	for k, v := range d.Args {
		switch k {
		case "page", "per_page", "after":
		default:
			args[k] = v
		}
	}
	return encodeArgs(args)
}

// FilterCount is how many filters of the panel are set (search, sort and
// paging aside), for its summary.
func (d *contactList) FilterCount() int {
	n := 0
	for k := range d.Args {
		switch k {
		case "q", "sort", "page", "per_page", "after", "tags_mode":
		default:
			n++
		}
	}
	return n
}

// SortURL is the link of a column header: by that column, or reversed when
// it is the column in use. Dates start newest first, names A to Z. The page
// goes back to the first.
func (d *contactList) SortURL(field string) string {
	cur, desc := d.sortField()
	next := field
	switch {
	case cur == field && !desc:
		next = "-" + field
	case cur == field:
	case field != "name":
		next = "-" + field
	}
	return d.link(map[string][]string{"sort": {next}, "page": nil, "after": nil})
}

// AriaSort is a column header's aria-sort value, "" when not sorted by it.
func (d *contactList) AriaSort(field string) string {
	cur, desc := d.sortField()
	switch {
	case cur != field:
		return ""
	case desc:
		return "descending"
	default:
		return "ascending"
	}
}

// Cursor reports cursor mode (after= in the URL): pages by id, no total.
func (d *contactList) Cursor() bool { return d.Query.Cursor }

// Total is the number of matches (-1 in cursor mode).
func (d *contactList) Total() int {
	if d.Result == nil {
		return 0
	}
	return d.Result.Total
}

// TotalPending reports a total still being counted: Total is then only
// the matches up to this page.
func (d *contactList) TotalPending() bool { return d.Result != nil && d.Result.TotalPending }

// HasNext reports a next page; with the total pending, a full page may have one.
func (d *contactList) HasNext() bool {
	if d.TotalPending() {
		return d.Count() == d.PerPage()
	}
	return d.Page < d.LastPage()
}

// Count is how many contacts this page shows.
func (d *contactList) Count() int {
	if d.Result == nil {
		return 0
	}
	return len(d.Result.Contacts)
}

// From and To are the 1-based positions of the page's first and last rows.
func (d *contactList) From() int {
	if d.Count() == 0 {
		return 0
	}
	return (d.Page-1)*d.PerPage() + 1
}

func (d *contactList) To() int { return d.From() + d.Count() - 1 }

// LastPage is the number of the last page (1 for an empty list).
func (d *contactList) LastPage() int {
	n := (d.Total() + d.PerPage() - 1) / d.PerPage()
	return max(n, 1)
}

// PageURL links page n of the view.
func (d *contactList) PageURL(n int) string {
	if n <= 1 {
		return d.link(map[string][]string{"page": nil, "after": nil})
	}
	return d.link(map[string][]string{"page": {strconv.Itoa(n)}, "after": nil})
}

// NextCursorURL links the next page in cursor mode, "" at the end.
func (d *contactList) NextCursorURL() string {
	if d.Result == nil || d.Result.NextAfter == 0 {
		return ""
	}
	return d.link(map[string][]string{"after": {strconv.FormatInt(d.Result.NextAfter, 10)}, "page": nil})
}

// Pages are the page links around the current one: the first, the last,
// and two either side, 0 standing for a gap.
func (d *contactList) Pages() []int {
	last := d.LastPage()
	var out []int
	prev := 0
	add := func(n int) {
		if n < 1 || n > last || n <= prev {
			return
		}
		switch {
		case n == prev+2: // a gap of one page shows that page
			out = append(out, prev+1)
		case n > prev+2:
			out = append(out, 0)
		}
		out = append(out, n)
		prev = n
	}
	add(1)
	for n := d.Page - 2; n <= d.Page+2; n++ {
		add(n)
	}
	add(last)
	return out
}

// Options for the filter form.
func (d *contactList) Channels() []contacts.Channel        { return contacts.SourceChannels }
func (d *contactList) LeadStatuses() []contacts.LeadStatus { return contacts.LeadStatuses }
func (d *contactList) ExportColumns() []string             { return contacts.ExportColumns }

// PerPageChoices are the page sizes offered, with the one in use.
func (d *contactList) PerPageChoices() []int {
	out := []int{25, 50, 100, 200}
	if !slices.Contains(out, d.PerPage()) {
		out = append(out, d.PerPage())
		slices.Sort(out)
	}
	return out
}

// SortChoices are the sort select's options.
func (d *contactList) SortChoices() [][2]string {
	return [][2]string{
		{"-created_at", "Newest first"}, {"created_at", "Oldest first"},
		{"name", "Name A–Z"}, {"-name", "Name Z–A"},
		{"-last_seen_at", "Last contact, recent first"}, {"last_seen_at", "Last contact, oldest first"},
		{"-updated_at", "Recently updated"}, {"-conversation_count", "Most conversations"},
		{"conversation_count", "Fewest conversations"},
	}
}

// savedLink is a saved filter as a link to its view.
type savedLink struct {
	ID   int64
	Name string
	URL  string
}

// contactsURL is the list URL of a saved query string. (Written into an
// href whole, so the template does not escape its = and & as data.)
func contactsURL(query string) string {
	if query == "" {
		return "/contacts"
	}
	return "/contacts?" + query
}

// contactRow is a contact as a row of the list shows it. (Methods rather
// than template functions: the page templates are parsed before any init
// function could register one.)
type contactRow struct{ *contacts.Contact }

// Channels are the channels a contact is on, for its badges: where it came
// from, then every channel it has an identity on.
func (r contactRow) Channels() []contacts.Channel {
	out := make([]contacts.Channel, 0, 1+len(r.Identities))
	if r.Channel != "" {
		out = append(out, r.Channel)
	}
	for _, id := range r.Identities {
		if !slices.Contains(out, id.Channel) {
			out = append(out, id.Channel)
		}
	}
	return out
}

// rowTags is how many tags a row shows before "+N".
const rowTags = 3

// ShownTags are the first few tags of the row.
func (r contactRow) ShownTags() []string { return r.Tags[:min(len(r.Tags), rowTags)] }

// MoreTags is how many tags the row leaves out.
func (r contactRow) MoreTags() int { return max(0, len(r.Tags)-rowTags) }
