package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestSearchMetacharacters(t *testing.T) {
	e := newEnv(t)
	names := []string{"O'Brien Smith", "Percent 100%", "Snake_Case", `Quote "Q" Man`, `Back\Slash`, "Plain Person"}
	for _, n := range names {
		e.createContact(map[string]any{"name": n, "notes": n})
	}
	total := len(names)
	for _, q := range []string{`' OR 1=1 --`, `%`, `_`, `"`, `\`, `'`, `%%`, `*`, `") OR ("1"="1`, `NEAR(a b)`, `a AND`, `-`, `;DROP TABLE contacts;--`} {
		r := e.do("GET", "/api/v1/contacts?q="+url.QueryEscape(q), nil).must(t, http.StatusOK)
		if n := len(r.list("contacts")); n == total {
			t.Errorf("q=%s matched every contact", q)
		}
	}
	r := e.do("GET", "/api/v1/contacts?q="+url.QueryEscape("O'Brien"), nil).must(t, http.StatusOK)
	if cs := r.list("contacts"); len(cs) != 1 || cs[0]["name"] != "O'Brien Smith" {
		t.Errorf("q=O'Brien: %s", r.raw)
	}
	r = e.do("GET", "/api/v1/contacts?q=plain", nil).must(t, http.StatusOK)
	if cs := r.list("contacts"); len(cs) != 1 || cs[0]["name"] != "Plain Person" {
		t.Errorf("q=plain: %s", r.raw)
	}
	// Nothing was harmed.
	if r := e.do("GET", "/api/v1/contacts", nil).must(t, http.StatusOK); int(r.body["total"].(float64)) != total {
		t.Errorf("total %v, want %d", r.body["total"], total)
	}
}

func TestUnicodeRoundTrip(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ first, last, search string }{
		{"🦊 Foxy", "McFox 🎉", "foxy"},
		{"مرحبا", "العالم", "مرحبا"},
		{"שלום", "עליכם", "שלום"},
		{"Zoë", "Ångström", "zoë"},
	} {
		c := e.createContact(map[string]any{"first_name": tc.first, "last_name": tc.last, "notes": "‏RTL mark and emoji 👍🏽"})
		got := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d", idOf(c)), nil).must(t, http.StatusOK).body
		if got["first_name"] != tc.first || got["last_name"] != tc.last || got["name"] != tc.first+" "+tc.last ||
			got["notes"] != "‏RTL mark and emoji 👍🏽" {
			t.Errorf("round trip: %v / %v / %v", got["first_name"], got["last_name"], got["notes"])
		}
		r := e.do("GET", "/api/v1/contacts?q="+url.QueryEscape(tc.search), nil).must(t, http.StatusOK)
		found := false
		for _, x := range r.list("contacts") {
			found = found || idOf(x) == idOf(c)
		}
		if !found {
			t.Errorf("q=%s did not find %s %s: %s", tc.search, tc.first, tc.last, r.raw)
		}
	}
}

func TestListPaging(t *testing.T) {
	e := newEnv(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, idOf(e.createContact(map[string]any{"name": fmt.Sprintf("Pager %c", 'A'+i)})))
	}
	r := e.do("GET", "/api/v1/contacts?per_page=2", nil).must(t, http.StatusOK)
	if len(r.list("contacts")) != 2 || r.body["total"] != 5.0 || r.body["page"] != 1.0 || r.body["per_page"] != 2.0 {
		t.Errorf("page 1: %s", r.raw)
	}
	r = e.do("GET", "/api/v1/contacts?per_page=2&page=3", nil).must(t, http.StatusOK)
	if len(r.list("contacts")) != 1 || r.body["total"] != 5.0 {
		t.Errorf("page 3: %s", r.raw)
	}
	r = e.do("GET", "/api/v1/contacts", nil).must(t, http.StatusOK)
	if r.body["per_page"] != 25.0 || len(r.list("contacts")) != 5 {
		t.Errorf("default per_page: %s", r.raw)
	}
	for _, page := range []string{"4", "999999", "10000000", "10000001", "2147483648", "99999999999999999999999"} {
		r := e.do("GET", "/api/v1/contacts?per_page=2&page="+page, nil).must(t, http.StatusOK)
		if cs, ok := r.body["contacts"].([]any); !ok || len(cs) != 0 || r.body["total"] != 5.0 {
			t.Errorf("page %s: %s", page, r.raw)
		}
	}

	// Sorting by name, both ways.
	r = e.do("GET", "/api/v1/contacts?sort=name", nil).must(t, http.StatusOK)
	if cs := r.list("contacts"); cs[0]["name"] != "Pager A" || cs[4]["name"] != "Pager E" {
		t.Errorf("sort=name: %v .. %v", cs[0]["name"], cs[4]["name"])
	}
	r = e.do("GET", "/api/v1/contacts?sort=-name", nil).must(t, http.StatusOK)
	if cs := r.list("contacts"); cs[0]["name"] != "Pager E" {
		t.Errorf("sort=-name: %v", cs[0]["name"])
	}

	// Cursor mode walks every contact in id order without a total.
	var seen []int64
	after := ""
	for range 10 {
		r := e.do("GET", "/api/v1/contacts?per_page=2&after="+after, nil).must(t, http.StatusOK)
		if _, ok := r.body["total"]; ok {
			t.Errorf("cursor page has a total: %s", r.raw)
		}
		if _, ok := r.body["next_after"]; !ok {
			t.Fatalf("cursor page lacks next_after: %s", r.raw)
		}
		for _, c := range r.list("contacts") {
			seen = append(seen, idOf(c))
		}
		if r.body["next_after"] == nil {
			break
		}
		after = fmt.Sprint(int64(r.body["next_after"].(float64)))
	}
	if fmt.Sprint(seen) != fmt.Sprint(ids) {
		t.Errorf("cursor walk %v, want %v", seen, ids)
	}
	r = e.do("GET", fmt.Sprintf("/api/v1/contacts?after=%d", ids[4]), nil).must(t, http.StatusOK)
	if cs, ok := r.body["contacts"].([]any); !ok || len(cs) != 0 || r.body["next_after"] != nil {
		t.Errorf("after the last: %s", r.raw)
	}
}

func TestListFilters(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Filter A", "email": "a@example.com", "tags": []string{"vip", "eu"}, "country": "de"}))
	b := idOf(e.createContact(map[string]any{"name": "Filter B", "phone": "+14155552671", "tags": []string{"vip"}, "country": "US", "do_not_contact": true}))
	c := idOf(e.createContact(map[string]any{"name": "Filter C", "channel": "telegram", "telegram_id": "777"}))
	cases := map[string][]int64{
		"tags=vip":                          {a, b},
		"tags=vip,eu&tags_mode=all":         {a},
		"tags=VIP&tags=eu&tags_mode=any":    {a, b},
		"has_email=true":                    {a},
		"has_email=false":                   {b, c},
		"has_phone=1":                       {b},
		"do_not_contact=true":               {b},
		"do_not_contact=false":              {a, c},
		"channel=telegram":                  {c},
		"channel=api,telegram":              {a, b, c},
		"country=DE":                        {a},
		"country=de,us":                     {a, b},
		"lead_status=archived":              {b},
		"created=today":                     {a, b, c},
		"created=7d&has_email=true":         {a},
		"created_from=2000-01-01":           {a, b, c},
		"created_to=2000-01-01":             {},
		"created_from=2099-01-01T00:00:00Z": {},
		"conversations_min=0":               {a, b, c},
		"conversations_min=1":               {},
		"conversations_max=0":               {a, b, c},
		"q=filter&tags=vip":                 {a, b},
		"last_seen_from=2000-01-01":         {},
	}
	for query, want := range cases {
		r := e.do("GET", "/api/v1/contacts?"+query, nil).must(t, http.StatusOK)
		var got []int64
		for _, x := range r.list("contacts") {
			got = append(got, idOf(x))
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s: got %v, want %v", query, got, want)
		}
		if int(r.body["total"].(float64)) != len(want) {
			t.Errorf("%s: total %v, want %d", query, r.body["total"], len(want))
		}
	}
}

func TestParseListQueryAt(t *testing.T) {
	now := time.Date(2025, 3, 15, 14, 30, 0, 0, time.UTC)
	parse := func(raw string) contacts.ListQuery {
		t.Helper()
		vals, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseListQueryAt(vals, now)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return q
	}
	q := parse("")
	if q.Page != 1 || q.PerPage != contacts.DefaultPerPage || q.Cursor || q.Sort != "" {
		t.Errorf("defaults: %+v", q)
	}
	q = parse("q=+ana+&channel=telegram,widget&channel=api&tags=VIP,+eu+&tags_mode=all&lead_status=new,active&country=de,fr" +
		"&has_email=true&has_phone=false&do_not_contact=0&conversations_min=1&conversations_max=3&sort=-name&page=2&per_page=50")
	if q.Q != "ana" || fmt.Sprint(q.Channels) != "[telegram widget api]" || fmt.Sprint(q.Tags) != "[vip eu]" || !q.TagsAll ||
		fmt.Sprint(q.LeadStatuses) != "[new active]" || fmt.Sprint(q.Countries) != "[DE FR]" ||
		!*q.HasEmail || *q.HasPhone || *q.DoNotContact || *q.ConvMin != 1 || *q.ConvMax != 3 ||
		q.Sort != "name" || !q.Desc || q.Page != 2 || q.PerPage != 50 {
		t.Errorf("full query: %+v", q)
	}
	for preset, want := range map[string]time.Time{
		"today": time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC),
		"7d":    now.Add(-7 * 24 * time.Hour),
		"30d":   now.Add(-30 * 24 * time.Hour),
	} {
		if got := parse("created=" + preset).CreatedFrom; !got.Equal(want) {
			t.Errorf("created=%s: %v, want %v", preset, got, want)
		}
	}
	q = parse("created=7d&created_from=2025-01-01&created_to=2025-01-31&last_seen_from=2025-01-01T10:00:00%2B02:00&last_seen_to=2025-02-01T00:00:00Z")
	if !q.CreatedFrom.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		!q.CreatedTo.Equal(time.Date(2025, 1, 31, 23, 59, 59, int(999*time.Millisecond), time.UTC)) ||
		!q.LastSeenFrom.Equal(time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)) ||
		!q.LastSeenTo.Equal(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates: %v %v %v %v", q.CreatedFrom, q.CreatedTo, q.LastSeenFrom, q.LastSeenTo)
	}
	// An unescaped + in an offset arrives as a space.
	if q := parse("created_from=2025-01-01T10:00:00+02:00"); !q.CreatedFrom.Equal(time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("unescaped offset: %v", q.CreatedFrom)
	}
	if q := parse("after="); !q.Cursor || q.After != 0 {
		t.Errorf("after=: %+v", q)
	}
	if q := parse("after=42"); !q.Cursor || q.After != 42 {
		t.Errorf("after=42: %+v", q)
	}
	if q := parse("page=99999999999999999999"); q.Page <= contacts.MaxPage {
		t.Errorf("huge page: %d", q.Page)
	}

	_, err := ParseListQueryAt(url.Values{"sort": {"bogus"}, "per_page": {"0"}, "tags": {"a,,b"}}, now)
	var ve *contacts.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 2 || ve.Fields["sort"] == "" || ve.Fields["per_page"] == "" {
		t.Errorf("errors: %v", err)
	}
}
