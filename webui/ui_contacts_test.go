package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

var rowID = regexp.MustCompile(`<tr data-id="(\d+)"`)

// rowIDs are the contact ids of a rendered list, in order.
func rowIDs(body string) []int64 {
	var out []int64
	for _, m := range rowID.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}

// seedList makes a small, varied contact list through the API.
func seedList(t *testing.T, e *testEnv) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, c := range []map[string]any{
		{"name": "Ana Silva", "email": "ana@example.com", "phone": "+14155552671", "tags": []string{"vip", "eu"}, "country": "BR", "channel": "telegram", "telegram_id": "5001"},
		{"name": "Bob Stone", "email": "bob@example.com", "tags": []string{"vip"}, "country": "US", "channel": "widget"},
		{"name": "Cy Young", "phone": "+14155550199", "tags": []string{"lead"}, "country": "US", "channel": "manual", "do_not_contact": true},
		{"name": "Dee Alvarez", "email": "dee@example.org", "country": "DE", "channel": "import"},
		{"name": "Eve Smith", "tags": []string{"eu", "lead", "vip", "b2b"}, "channel": "widget"},
	} {
		r := e.createContact(c)
		ids[c["name"].(string)] = idOf(r)
	}
	return ids
}

func TestUIContactsListRendersTheTable(t *testing.T) {
	e := newEnv(t)
	ids := seedList(t, e)
	c := e.owner()
	p := c.get("/contacts")
	if p.status != http.StatusOK {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	p.mustContain(t, "<h1>Contacts</h1>", "1–5 of 5", `href="/contacts/`+strconv.FormatInt(ids["Ana Silva"], 10)+`"`,
		"ana@example.com", "&#43;14155552671", `<span class="badge channel-telegram">telegram</span>`, `<span class="tag">vip</span>`,
		`<span class="muted">+1</span>`, `title="Do not contact">DNC`, `<span class="avatar" aria-hidden="true">AS</span>`,
		`aria-sort="descending"><a href="/contacts?sort=created_at"`, `name="q"`, `name="channel" value="whatsapp"`,
		`name="conversations_min"`, `name="lead_status" value="follow_up"`, `name="last_seen_from"`, `id="export-dialog"`,
		`data-bulk="delete"`, `<script src="/static/contacts.js?v=`)
	// Newest first by default.
	got := rowIDs(p.body)
	want := []int64{ids["Eve Smith"], ids["Dee Alvarez"], ids["Cy Young"], ids["Bob Stone"], ids["Ana Silva"]}
	if !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " onclick=") {
		t.Error("inline script or handler on the page")
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if p := e.uiClient().get("/contacts?q=ana"); p.status != http.StatusSeeOther || p.location != "/login?next=%2Fcontacts%3Fq%3Dana" {
		t.Errorf("signed out: %d %q", p.status, p.location)
	}

	// The panel has a control for each of these filters, named as the
	// API's parameter...
	p.mustContain(t, `id="f-created" name="created"`, `<option value="today" >today</option>`,
		`<option value="7d" >last 7 days</option>`, `<option value="30d" >last 30 days</option>`,
		`id="f-created-from" name="created_from" type="date"`, `id="f-created-to" name="created_to" type="date"`,
		`id="f-has-email" name="has_email"`, `id="f-dnc" name="do_not_contact"`, `id="f-country" name="country" type="text"`)
	for _, id := range []string{"f-created", "f-has-email", "f-dnc"} {
		if got := selectedOption(p.body, id); got != "" {
			t.Errorf("%s starts at %q, want any", id, got)
		}
	}

	// ...and choosing it narrows the table. One contact is older than
	// every created preset.
	created := time.Now().UTC().AddDate(0, 0, -40)
	old := &contacts.Contact{ProjectID: e.project.ID, FirstName: "Old", LastName: "Timer", Email: "old@example.com",
		Country: "GB", Channel: contacts.ChannelManual, LeadStatus: contacts.LeadNew, CreatedAt: created, UpdatedAt: created}
	if err := e.db.CreateContact(context.Background(), old, contacts.AuditEntry{ProjectID: e.project.ID, Action: "contact.create", At: created}); err != nil {
		t.Fatal(err)
	}
	ids["Old Timer"] = old.ID
	recent := []string{"Ana Silva", "Bob Stone", "Cy Young", "Dee Alvarez", "Eve Smith"}
	day := func(d time.Time) string { return d.Format(time.DateOnly) }
	for _, tc := range []struct {
		query    string
		want     []string
		controls map[string]string // select id: the option now selected
		text     string            // the country box's value
	}{
		{query: "country=DE", want: []string{"Dee Alvarez"}, text: "DE"},
		{query: "country=de", want: []string{"Dee Alvarez"}, text: "de"},
		{query: "country=us,GB", want: []string{"Bob Stone", "Cy Young", "Old Timer"}, text: "us,GB"},
		{query: "has_email=true", want: []string{"Ana Silva", "Bob Stone", "Dee Alvarez", "Old Timer"}, controls: map[string]string{"f-has-email": "true"}},
		{query: "has_email=false", want: []string{"Cy Young", "Eve Smith"}, controls: map[string]string{"f-has-email": "false"}},
		{query: "do_not_contact=true", want: []string{"Cy Young"}, controls: map[string]string{"f-dnc": "true"}},
		{query: "do_not_contact=false", want: []string{"Ana Silva", "Bob Stone", "Dee Alvarez", "Eve Smith", "Old Timer"}, controls: map[string]string{"f-dnc": "false"}},
		{query: "has_email=true&do_not_contact=false&country=US", want: []string{"Bob Stone"}, controls: map[string]string{"f-has-email": "true", "f-dnc": "false"}, text: "US"},
		{query: "created=today", want: recent, controls: map[string]string{"f-created": "today"}},
		{query: "created=7d", want: recent, controls: map[string]string{"f-created": "7d"}},
		{query: "created=30d", want: recent, controls: map[string]string{"f-created": "30d"}},
		{query: "created_from=" + day(created.AddDate(0, 0, -1)) + "&created_to=" + day(created), want: []string{"Old Timer"}},
		{query: "created_to=" + day(created.AddDate(0, 0, 5)), want: []string{"Old Timer"}},
		{query: "created_from=" + day(created.AddDate(0, 0, 5)) + "&has_email=false", want: []string{"Cy Young", "Eve Smith"}},
	} {
		p := c.get("/contacts?" + tc.query + "&sort=name")
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", tc.query, p.status)
		}
		var want []int64
		for _, n := range tc.want {
			want = append(want, ids[n])
		}
		if got := rowIDs(p.body); !slices.Equal(got, want) {
			t.Errorf("%s: rows %v, want %v (%v)", tc.query, got, want, tc.want)
		}
		for id, v := range tc.controls {
			if got := selectedOption(p.body, id); got != v {
				t.Errorf("%s: %s shows %q, want %q", tc.query, id, got, v)
			}
		}
		if tc.text != "" {
			p.mustContain(t, `name="country" type="text" value="`+tc.text+`"`)
		}
		if got := strings.Count(p.body, `<p class="field-error" role="alert">`); got != 0 {
			t.Errorf("%s: %d field errors", tc.query, got)
		}
	}
	// The custom range shows in the date inputs as it was given.
	c.get("/contacts?created_from=2024-05-01&created_to=2024-05-31T23:00:00Z").mustContain(t,
		`name="created_from" type="date" value="2024-05-01"`, `name="created_to" type="date" value="2024-05-31"`)
}

// selectedOption is the value of the selected option of the select with
// the given id ("" when none is marked).
func selectedOption(body, id string) string {
	i := strings.Index(body, `<select id="`+id+`"`)
	if i < 0 {
		return "<no select " + id + ">"
	}
	sel := body[i:]
	sel = sel[:strings.Index(sel, "</select>")]
	if m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(sel); m != nil {
		return m[1]
	}
	return ""
}

// The page reads its URL with the API's parser, so the two list the same
// contacts in the same order and refuse the same parameters.
func TestUIContactsFilterParity(t *testing.T) {
	e := newEnv(t)
	seedList(t, e)
	e.createContact(map[string]any{"name": "Ana Bot", "email": "anabot@example.net"})
	c := e.owner()
	today := time.Now().UTC().Format(time.DateOnly)
	for _, q := range []string{
		"",
		"q=ana",
		"q=smi",
		"q=4155",
		"channel=widget",
		"channel=widget,telegram&sort=name",
		"channel=widget&channel=manual",
		"tags=vip",
		"tags=vip,eu&tags_mode=all",
		"tags=eu&sort=-name",
		"has_email=true&sort=name",
		"has_email=false",
		"has_phone=true&do_not_contact=false",
		"do_not_contact=true",
		"country=us",
		"country=US,DE&sort=name",
		"lead_status=new",
		"lead_status=active,follow_up",
		"conversations_min=0&conversations_max=0",
		"conversations_min=1",
		"created=today",
		"created=7d&sort=created_at",
		"created_from=2000-01-01&created_to=" + today,
		"created_to=2000-01-01",
		"last_seen_from=2000-01-01",
		"sort=last_seen_at",
		"sort=-conversation_count",
		"sort=updated_at",
		"per_page=2",
		"per_page=2&page=2&sort=name",
		"per_page=2&page=9",
		"q=a&channel=widget&has_email=true&per_page=1",
	} {
		api := e.do("GET", "/api/v1/contacts?"+q, nil).must(t, http.StatusOK)
		var want []int64
		for _, x := range api.list("contacts") {
			want = append(want, idOf(x))
		}
		for _, get := range []func(string) page{c.get, c.fragment} {
			p := get("/contacts?" + q)
			if p.status != http.StatusOK {
				t.Fatalf("%s: status %d", q, p.status)
			}
			if got := rowIDs(p.body); !slices.Equal(got, want) {
				t.Errorf("%q: UI rows %v, API %v", q, got, want)
			}
			total := int(api.body["total"].(float64))
			if !strings.Contains(p.body, `data-total="`+strconv.Itoa(total)+`"`) {
				t.Errorf("%q: UI lacks the API's total %d", q, total)
			}
		}
	}

	// Bad parameters: the API refuses them (422) and the page, which must
	// still render, names the same ones beside its form.
	for _, q := range []string{
		"channel=fax",
		"tags_mode=some",
		"lead_status=hot",
		"created=yesterday",
		"created_from=soon",
		"created_from=2024-05-02&created_to=2024-05-01",
		"last_seen_from=2024-05-02&last_seen_to=2024-05-01",
		"has_email=maybe",
		"conversations_min=-1",
		"conversations_min=5&conversations_max=2",
		"sort=email",
		"page=0",
		"per_page=1000",
		"after=x",
		"ids=1,x",
		"q=" + strings.Repeat("x", 201),
		"country=US,%01",
		"country=%FF",
		"country=" + strings.Repeat("x", 101),
	} {
		api := e.do("GET", "/api/v1/contacts?"+q, nil).mustError(t, http.StatusUnprocessableEntity, codeValidation)
		p := c.get("/contacts?" + q)
		if p.status != http.StatusOK || len(rowIDs(p.body)) != 0 {
			t.Errorf("%q: status %d, %d rows", q, p.status, len(rowIDs(p.body)))
		}
		for field := range api.errFields() {
			if !strings.Contains(p.body, "<code>"+field+"</code>") {
				t.Errorf("%q: the page does not name %s", q, field)
			}
		}
		p.mustContain(t, "Fix the filters to see contacts.")
	}
	// A field's error also sits beside its control.
	c.get("/contacts?conversations_min=5&conversations_max=2").mustContain(t,
		`<p class="field-error" role="alert">must not be less than conversations_min</p>`)
	c.get("/contacts?country=US,%01").mustContain(t, `name="country" type="text" value="US,`,
		`aria-invalid="true">`, `<p class="field-error" role="alert">a country contains control characters</p>`)
	// A country name matches as stored; only a two-letter code ignores case.
	named := e.createContact(map[string]any{"name": "Gus Named", "country": "Germany"})
	for q, n := range map[string]int{"country=Germany": 1, "country=GERMANY": 0, "country=de": 1} {
		if got := rowIDs(c.get("/contacts?" + q).body); len(got) != n || (q == "country=Germany" && got[0] != idOf(named)) {
			t.Errorf("%s: rows %v", q, got)
		}
	}
}

// The list's ids parameter (a selection, exported as it is) works in the
// API, the page and exports alike.
func TestUIContactsIDsParameter(t *testing.T) {
	e := newEnv(t)
	ids := seedList(t, e)
	q := fmt.Sprintf("ids=%d,%d", ids["Bob Stone"], ids["Dee Alvarez"])
	api := e.do("GET", "/api/v1/contacts?"+q+"&sort=name", nil).must(t, http.StatusOK)
	if n := len(api.list("contacts")); n != 2 || api.body["total"] != 2.0 {
		t.Fatalf("ids filter: %s", api.raw)
	}
	c := e.owner()
	if got := rowIDs(c.get("/contacts?" + q + "&sort=name").body); !slices.Equal(got, []int64{ids["Bob Stone"], ids["Dee Alvarez"]}) {
		t.Errorf("page rows %v", got)
	}
	// An export of a selection holds just those contacts.
	r := c.api("POST", "/exports", `{"query":"`+q+`","format":"ndjson","columns":["email"]}`, true)
	if r.status != http.StatusAccepted {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	var started struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &started)
	body := waitExportDone(t, c, started.ID)
	if !strings.Contains(body, `"rows":2`) {
		t.Errorf("export of 2 ids: %s", body)
	}
	if _, err := ParseListQuery(url.Values{"ids": {strings.Repeat("1,", contacts.MaxListIDs) + "1"}}); err == nil ||
		!strings.Contains(err.Error(), "ids") {
		t.Errorf("too many ids: %v", err)
	}
}

func TestUIContactsFragment(t *testing.T) {
	e := newEnv(t)
	seedList(t, e)
	c := e.owner()
	p := c.fragment("/contacts?q=stone")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if strings.Contains(p.body, "<html") || strings.Contains(p.body, `id="contact-filters"`) {
		t.Errorf("the fragment holds the page around it:\n%s", p.body)
	}
	p.mustContain(t, `class="contacts-table"`, "1–1 of 1", "Bob Stone", `data-query="q=stone"`)
	if strings.Contains(p.body, "Ana Silva") {
		t.Error("the search did not narrow the fragment")
	}
	// A fragment request without a session gets a 401, not the login page.
	if p := e.uiClient().fragment("/contacts"); p.status != http.StatusUnauthorized {
		t.Errorf("signed-out fragment: %d", p.status)
	}
}

func TestUIContactsSortAndPageLinks(t *testing.T) {
	e := newEnv(t)
	seedList(t, e)
	c := e.owner()
	p := c.get("/contacts?q=e&channel=widget&channel=import&per_page=2&page=2&sort=name")
	// The name header reverses the order, keeps every filter and goes back
	// to the first page; the date headers start newest first.
	p.mustContain(t,
		`<th scope="col" aria-sort="ascending"><a href="/contacts?q=e&amp;channel=widget&amp;channel=import&amp;sort=-name&amp;per_page=2" data-sort-link>Name</a></th>`,
		`<th scope="col" ><a href="/contacts?q=e&amp;channel=widget&amp;channel=import&amp;sort=-created_at&amp;per_page=2" data-sort-link>Created</a></th>`,
		`<a href="/contacts?q=e&amp;channel=widget&amp;channel=import&amp;sort=-last_seen_at&amp;per_page=2" data-sort-link>Last contact</a>`,
		`<option value="name" selected>Name A–Z</option>`,
		`<option value="2" selected>2</option>`,
	)
	desc := c.get("/contacts?sort=-name")
	desc.mustContain(t, `aria-sort="descending"><a href="/contacts?sort=name" data-sort-link>Name</a>`)
	names := regexp.MustCompile(`<span class="contact-name">([^<]+)</span>`).FindAllStringSubmatch(desc.body, -1)
	var got []string
	for _, m := range names {
		got = append(got, m[1])
	}
	if want := []string{"Eve Smith", "Dee Alvarez", "Cy Young", "Bob Stone", "Ana Silva"}; !slices.Equal(got, want) {
		t.Errorf("-name order %v", got)
	}
	c.get("/contacts?sort=created_at").mustContain(t, `aria-sort="ascending"><a href="/contacts?sort=-created_at"`)

	pg := c.get("/contacts?per_page=2&page=2&tags=vip")
	pg.mustContain(t, "3–3 of 3",
		`<a href="/contacts?tags=vip&amp;per_page=2" rel="prev" data-page-link>Previous</a>`,
		`<a href="/contacts?tags=vip&amp;per_page=2&amp;page=2" aria-current="page" data-page-link>2</a>`)
	if strings.Contains(pg.body, `rel="next"`) {
		t.Error("a next link on the last page")
	}
	c.get("/contacts?per_page=2&page=7").mustContain(t, "No contacts on page 7: 5 match.")
	c.get("/contacts?q=zzzzzz").mustContain(t, "No contacts match.")
}

func TestUIContactsPagesWindow(t *testing.T) {
	for _, tc := range []struct {
		page, total int
		want        []int
	}{
		{1, 10, []int{1}},
		{1, 125, []int{1, 2, 3, 4, 5}},
		{1, 1000, []int{1, 2, 3, 0, 40}},
		{20, 1000, []int{1, 0, 18, 19, 20, 21, 22, 0, 40}},
		{4, 1000, []int{1, 2, 3, 4, 5, 6, 0, 40}},
		{40, 1000, []int{1, 0, 38, 39, 40}},
		{99, 1000, []int{1, 0, 40}},
	} {
		d := &contactList{Page: tc.page, Query: contacts.ListQuery{PerPage: 25}, Result: &contacts.ListResult{Total: tc.total}}
		if got := d.Pages(); !slices.Equal(got, tc.want) {
			t.Errorf("page %d of %d: %v, want %v", tc.page, tc.total, got, tc.want)
		}
	}
	args := listArgs(url.Values{"q": {" ana "}, "channel": {"", "widget"}, "bogus": {"1"}, "has_email": {""}, "after": {""}})
	if got := encodeArgs(args); got != "q=ana&channel=widget&after=" {
		t.Errorf("listArgs: %q", got)
	}
}

// A contact's name is data, never markup, on the list, in its fragment and
// in a saved filter's name.
func TestUIContactsEscapesNames(t *testing.T) {
	e := newEnv(t)
	const evil = `<img src=x onerror=alert(1)>`
	e.createContact(map[string]any{"first_name": evil, "email": "evil@example.com", "tags": []string{"x"}})
	c := e.owner()
	if r := c.api("POST", "/saved-filters", `{"name":"<script>alert(2)</script>","query":"q=`+url.QueryEscape(`"><script>`)+`"}`, true); r.status != http.StatusCreated {
		t.Fatalf("save filter: %d %s", r.status, r.body)
	}
	for _, p := range []page{c.get("/contacts"), c.fragment("/contacts?q=img"), c.get(`/contacts?q="><script>`), c.fragment("/contacts/_saved")} {
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		for _, raw := range []string{evil, "<script>alert", `"><script>`} {
			if strings.Contains(p.body, raw) {
				t.Errorf("unescaped %q in:\n%s", raw, p.body)
			}
		}
	}
	c.get("/contacts").mustContain(t, "&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(2)&lt;/script&gt;")
	c.get(`/contacts?q="><script>`).mustContain(t, `value="&#34;&gt;&lt;script&gt;"`)
}

func TestUIContactsSavedFilters(t *testing.T) {
	e := newEnv(t)
	seedList(t, e)
	c := e.owner()
	c.get("/contacts").mustContain(t, "None yet.")
	r := c.api("POST", "/saved-filters", `{"name":"VIPs in the US","query":"tags=vip&country=US"}`, true)
	if r.status != http.StatusCreated {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	p := c.fragment("/contacts/_saved")
	p.mustContain(t, `<a href="/contacts?tags=vip&amp;country=US">VIPs in the US</a>`, `aria-label="Delete saved filter VIPs in the US"`)
	// Applying it is following its link.
	if got := rowIDs(c.get("/contacts?tags=vip&country=US").body); len(got) != 1 {
		t.Errorf("applied filter rows %v", got)
	}
}

func TestUIContactsBulkRoles(t *testing.T) {
	e := newEnv(t)
	ids := seedList(t, e)
	ctx := context.Background()
	if _, _, err := e.svc.AddUser(ctx, e.project.ID, "agent@example.com", contacts.RoleAgent, "agent password"); err != nil {
		t.Fatal(err)
	}
	agent := e.loginAs("agent@example.com", "agent password")
	p := agent.get("/contacts")
	p.mustContain(t, `data-bulk="add_tags"`, `data-bulk="set"`)
	for _, hidden := range []string{`data-bulk="delete"`, `data-bulk="export"`, `id="delete-dialog"`, `id="export-dialog"`, "data-open-export"} {
		if strings.Contains(p.body, hidden) {
			t.Errorf("an agent sees %s", hidden)
		}
	}
	body := func(m map[string]any) string {
		raw, _ := json.Marshal(m)
		return string(raw)
	}
	// The server refuses what the page does not offer.
	if r := agent.api("POST", "/contacts/bulk", body(map[string]any{"ids": []int64{ids["Ana Silva"]}, "action": "delete"}), true); r.status != http.StatusForbidden {
		t.Errorf("agent bulk delete: %d %s", r.status, r.body)
	}
	if r := agent.api("POST", "/contacts/bulk", body(map[string]any{"query": "tags=vip", "action": "delete", "keep_history": true}), true); r.status != http.StatusForbidden {
		t.Errorf("agent bulk delete by filter: %d %s", r.status, r.body)
	}
	if r := agent.api("POST", "/exports", `{"query":"tags=vip"}`, true); r.status != http.StatusForbidden {
		t.Errorf("agent export: %d %s", r.status, r.body)
	}
	if p := agent.get("/exports"); p.status != http.StatusForbidden {
		t.Errorf("agent exports page: %d", p.status)
	}
	// What agents may do, they can.
	if r := agent.api("POST", "/contacts/bulk", body(map[string]any{"query": "tags=vip", "action": "add_tags", "tags": []string{"called"}}), true); r.status != http.StatusOK ||
		!strings.Contains(r.body, `"affected":3`) {
		t.Errorf("agent bulk tag: %d %s", r.status, r.body)
	}
	if got := rowIDs(agent.get("/contacts?tags=called").body); len(got) != 3 {
		t.Errorf("tagged rows %v", got)
	}
	// Admins delete, keeping the history.
	admin := e.owner()
	if r := admin.api("POST", "/contacts/bulk", body(map[string]any{"ids": []int64{ids["Cy Young"]}, "action": "delete", "keep_history": true}), true); r.status != http.StatusOK {
		t.Errorf("admin bulk delete: %d %s", r.status, r.body)
	}
	if got := rowIDs(admin.get("/contacts").body); len(got) != 4 || slices.Contains(got, ids["Cy Young"]) {
		t.Errorf("rows after delete %v", got)
	}
}

func TestUIExportsPage(t *testing.T) {
	e := newEnv(t)
	seedList(t, e)
	c := e.owner()
	c.get("/exports").mustContain(t, "<h1>Exports</h1>", "No exports yet.")

	r := c.api("POST", "/exports", `{"query":"tags=vip&sort=name","format":"csv","columns":["first_name","email"]}`, true)
	if r.status != http.StatusAccepted {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	var started struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &started)
	waitExportDone(t, c, started.ID)
	p := c.get("/exports")
	p.mustContain(t, fmt.Sprintf(`<a href="/api/v1/exports/%d/download" download>Download</a>`, started.ID),
		`<span class="badge ok">done</span>`, "<code>tags=vip&amp;sort=name</code>", `href="/contacts?tags=vip&amp;sort=name"`,
		"first_name, email", ">3</td>", `data-running="false"`)
	c.fragment("/exports").mustContain(t, `class="exports-table"`)
	if strings.Contains(c.fragment("/exports").body, "<html") {
		t.Error("the exports fragment holds the page")
	}

	// Once its file is gone the export says so and offers no link.
	if err := e.db.ForgetExportFile(context.Background(), started.ID); err != nil {
		t.Fatal(err)
	}
	p = c.get("/exports")
	p.mustContain(t, `<span class="badge ">expired</span>`, "expired: file deleted")
	if strings.Contains(p.body, "/download") {
		t.Error("an expired export still links its file")
	}
}

// waitExportDone polls an export until it is done and returns its JSON.
func waitExportDone(t *testing.T, c *uiClient, id int64) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body := c.api("GET", fmt.Sprintf("/exports/%d", id), "", false).body
		if strings.Contains(body, `"status":"done"`) {
			return body
		}
	}
	t.Fatalf("export %d did not finish", id)
	return ""
}

// A new view's first page comes without waiting for a slow total: the
// count says it is counting, Next is offered for a full page, and the
// script's follow-up (X-Count: wait) gets the total and the whole pager.
func TestUIContactsTotalPending(t *testing.T) {
	e := newEnv(t, func(s *Server) { s.listCountWait = 5 * time.Millisecond })
	for i := 0; i < 30; i++ {
		e.createContact(map[string]any{"name": fmt.Sprintf("Pending %02d", i), "tags": []string{"later"}})
	}
	c := e.owner()
	release := e.db.HoldCounts()
	defer release()

	p := c.get("/contacts?tags=later").mustStatus(t, http.StatusOK)
	p.mustContain(t, "1–25 of", "counting the matches", `data-total-pending="true"`, `rel="next"`)
	p.mustNotContain(t, "of 30", `aria-label="Page 2"`)
	if got := len(rowIDs(p.body)); got != 25 {
		t.Errorf("%d rows on the first page while counting, want 25", got)
	}
	release()
	req, _ := http.NewRequest(http.MethodGet, e.base+"/contacts?tags=later", nil)
	req.Header.Set("X-Fragment", "1")
	req.Header.Set(countHeader, "wait")
	f := c.do(req).mustStatus(t, http.StatusOK)
	f.mustContain(t, "1–25 of 30", `aria-label="Page 2"`, `data-total="30"`)
	f.mustNotContain(t, "counting the matches", "data-total-pending", "<html")
	// The count was kept: the next request of the view has it at once.
	again := c.get("/contacts?tags=later").mustStatus(t, http.StatusOK)
	again.mustContain(t, "1–25 of 30")
	again.mustNotContain(t, "counting")
}
