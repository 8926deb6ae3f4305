package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func ids(cs []*contacts.Contact) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func bptr(b bool) *bool { return &b }
func iptr(i int) *int   { return &i }

func TestSearch(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		john := f.create(t, contacts.ContactInput{Name: str("John Smithson"), Email: str("john.smith@gmail.com"), Phone: str("+1 415 555 0123"), Company: str("Globex Corporation")})
		maria := f.create(t, contacts.ContactInput{Name: str("María José"), Email: str("mj@example.org"), Notes: str("prefers whatsapp"), InstagramID: str("maria.insta")})
		arabic := f.create(t, contacts.ContactInput{Name: str("مريم الحسن"), Phone: str("+44 7911 123456")})
		emoji := f.create(t, contacts.ContactInput{Name: str("Zoë 🚀 Rocket")})
		cases := []struct {
			q    string
			want []int64
		}{
			{"john", []int64{john.ID}},
			{"Smi", []int64{john.ID}},
			{"globex", []int64{john.ID}},
			{"corporation", []int64{john.ID}},
			{"5550", []int64{john.ID}},
			{"0123", []int64{john.ID}},
			{"+1 (415) 555", []int64{john.ID}},
			{"gmail.com", []int64{john.ID}},
			{"smith@gm", []int64{john.ID}},
			{"maría", []int64{maria.ID}},
			{"whatsapp", []int64{maria.ID}},
			{"maria.insta", []int64{maria.ID}},
			{"مريم", []int64{arabic.ID}},
			{"🚀 rocket", []int64{emoji.ID}},
			{"rocket zoë", []int64{emoji.ID}},
			{"zo", []int64{emoji.ID}},
			{"jo", []int64{john.ID}},
			{"nobody-matches", nil},
			{"' OR 1=1 --", nil},
			{`"; DROP TABLE contacts; --`, nil},
			{"%", nil},
			{"_", nil},
			{`\`, nil},
			{`a"b`, nil},
			{"NEAR(john smith)", nil},
			{"john*", nil},
		}
		for _, tc := range cases {
			res, err := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, Q: tc.q})
			if err != nil {
				t.Errorf("q=%q: %v", tc.q, err)
				continue
			}
			if fmt.Sprint(ids(res.Contacts)) != fmt.Sprint(tc.want) && !(len(tc.want) == 0 && len(res.Contacts) == 0) || res.Total != len(tc.want) {
				t.Errorf("q=%q: got %v (total %d), want %v", tc.q, ids(res.Contacts), res.Total, tc.want)
			}
		}
		// Search follows updates.
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, john.ID, contacts.ContactInput{Company: str("Initech")}); err != nil {
			t.Fatal(err)
		}
		for q, n := range map[string]int{"globex": 0, "initech": 1} {
			res, _ := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, Q: q})
			if res.Total != n {
				t.Errorf("after update q=%q total %d, want %d", q, res.Total, n)
			}
		}
	})
}

func TestFiltersSortPaging(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		base := f.now
		var all []*contacts.Contact
		for i := 0; i < 30; i++ {
			f.now = base.Add(time.Duration(i) * time.Hour)
			in := contacts.ContactInput{FirstName: str(fmt.Sprintf("P%02d", 29-i)), Channel: str([]string{"telegram", "widget", "whatsapp"}[i%3])}
			if i%2 == 0 {
				in.Email = str(fmt.Sprintf("p%d@example.com", i))
			}
			if i%5 == 0 {
				in.Tags = &[]string{"vip"}
			}
			if i%3 == 0 {
				in.Tags = &[]string{"vip", "lead"}
				in.Country = str("br")
			}
			if i == 7 {
				in.DoNotContact = bptr(true)
			}
			all = append(all, f.create(t, in))
		}
		f.now = base.Add(48 * time.Hour)
		q := func(lq contacts.ListQuery) *contacts.ListResult {
			t.Helper()
			lq.ProjectID = f.project
			res, err := f.svc.ListContacts(ctx, lq)
			if err != nil {
				t.Fatalf("%+v: %v", lq, err)
			}
			return res
		}
		if r := q(contacts.ListQuery{HasEmail: bptr(true)}); r.Total != 15 {
			t.Errorf("has_email total %d", r.Total)
		}
		if r := q(contacts.ListQuery{HasEmail: bptr(false), Channels: []contacts.Channel{"telegram"}}); r.Total != 5 {
			t.Errorf("no email on telegram %d", r.Total)
		}
		if r := q(contacts.ListQuery{Tags: []string{"vip", "lead"}, TagsAll: true}); r.Total != 10 {
			t.Errorf("tags all %d", r.Total)
		}
		if r := q(contacts.ListQuery{Tags: []string{"VIP", "lead"}}); r.Total != 14 {
			t.Errorf("tags any %d", r.Total)
		}
		if r := q(contacts.ListQuery{Countries: []string{"br"}}); r.Total != 10 {
			t.Errorf("country %d", r.Total)
		}
		if r := q(contacts.ListQuery{DoNotContact: bptr(true)}); r.Total != 1 || r.Contacts[0].ID != all[7].ID || r.Contacts[0].LeadStatus != contacts.LeadArchived {
			t.Errorf("dnc %+v", r)
		}
		if r := q(contacts.ListQuery{LeadStatuses: []contacts.LeadStatus{contacts.LeadArchived}}); r.Total != 1 {
			t.Errorf("lead_status archived %d", r.Total)
		}
		if r := q(contacts.ListQuery{CreatedFrom: base.Add(10 * time.Hour), CreatedTo: base.Add(20 * time.Hour)}); r.Total != 10 {
			t.Errorf("created range %d", r.Total)
		}
		if r := q(contacts.ListQuery{ConvMin: iptr(1)}); r.Total != 0 {
			t.Errorf("conv min %d", r.Total)
		}
		// Default sort: newest first.
		r := q(contacts.ListQuery{PerPage: 5})
		if r.Total != 30 || r.Contacts[0].ID != all[29].ID || len(r.Contacts) != 5 {
			t.Errorf("default page: %v total %d", ids(r.Contacts), r.Total)
		}
		// Name ascending: P00 is the last created.
		r = q(contacts.ListQuery{Sort: "name", PerPage: 3})
		if r.Contacts[0].FirstName != "P00" || r.Contacts[2].FirstName != "P02" {
			t.Errorf("name sort: %s %s", r.Contacts[0].FirstName, r.Contacts[2].FirstName)
		}
		// Walking every page in both directions visits each contact once, in
		// order, including pages served from the far end.
		for _, desc := range []bool{false, true} {
			var seen []int64
			for page := 1; page <= 7; page++ {
				r := q(contacts.ListQuery{Sort: "created_at", Desc: desc, Page: page, PerPage: 7})
				seen = append(seen, ids(r.Contacts)...)
			}
			if len(seen) != 30 {
				t.Fatalf("desc=%v: saw %d contacts", desc, len(seen))
			}
			for i := range seen {
				want := all[i].ID
				if desc {
					want = all[29-i].ID
				}
				if seen[i] != want {
					t.Fatalf("desc=%v: position %d is %d, want %d (%v)", desc, i, seen[i], want, seen)
				}
			}
		}
		if r := q(contacts.ListQuery{Page: 9_999_999, PerPage: 200}); len(r.Contacts) != 0 || r.Total != 30 {
			t.Errorf("huge page: %d contacts", len(r.Contacts))
		}
		// Cursor mode walks in id order without a total.
		var walked []int64
		after := int64(0)
		for {
			r := q(contacts.ListQuery{Cursor: true, After: after, PerPage: 8, HasEmail: bptr(true)})
			if r.Total != -1 {
				t.Fatalf("cursor total %d", r.Total)
			}
			walked = append(walked, ids(r.Contacts)...)
			if r.NextAfter == 0 {
				break
			}
			after = r.NextAfter
		}
		if len(walked) != 15 || walked[0] != all[0].ID {
			t.Errorf("cursor walk: %v", walked)
		}
		// Sorting by last_seen_at puts never-seen contacts first ascending.
		if _, err := db.w.Exec(db.q(`UPDATE contacts SET last_seen_at = ? WHERE id = ?`), base.UnixMilli(), all[3].ID); err != nil {
			t.Fatal(err)
		}
		r = q(contacts.ListQuery{Sort: "last_seen_at", Desc: true, PerPage: 1})
		if r.Contacts[0].ID != all[3].ID {
			t.Errorf("last_seen desc first: %d", r.Contacts[0].ID)
		}
	})
}

func TestListQueryBounds(t *testing.T) {
	f := newFixture(t, OpenTest(t))
	for _, lq := range []contacts.ListQuery{
		{PerPage: -1}, {PerPage: 201}, {Page: -3}, {Sort: "password"}, {LeadStatuses: []contacts.LeadStatus{"hot"}}, {Tags: []string{"a,b"}},
	} {
		lq.ProjectID = f.project
		if _, err := f.svc.ListContacts(context.Background(), lq); err == nil {
			t.Errorf("%+v: want a validation error", lq)
		}
	}
}

// Large results are paged from cached anchors; with a tiny stride and
// threshold every sort and direction must give exactly the pages the plain
// OFFSET path gives, and a write must be visible once the entry goes stale.
func TestAnchoredPaging(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		base := f.now
		for i := 0; i < 40; i++ {
			f.now = base.Add(time.Duration(i%7) * time.Hour) // ties in created_at
			in := contacts.ContactInput{FirstName: str(fmt.Sprintf("N%02d", (i*13)%40)), Email: str(fmt.Sprintf("a%d@example.com", i))}
			if i%4 == 0 {
				in.Email = nil
				in.Phone = str(fmt.Sprintf("+1415555%04d", i))
			}
			f.create(t, in)
		}
		walk := func(sort string, desc bool) []int64 {
			var out []int64
			for page := 1; page <= 8; page++ {
				res, err := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, HasEmail: bptr(true), Sort: sort, Desc: desc, Page: page, PerPage: 4})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != 30 {
					t.Fatalf("total %d", res.Total)
				}
				out = append(out, ids(res.Contacts)...)
			}
			return out
		}
		for _, sort := range []string{"created_at", "name", "conversation_count", "updated_at"} {
			for _, desc := range []bool{false, true} {
				db.pages = pageCache{}
				want := walk(sort, desc)
				db.pages = pageCache{stride: 3, from: 5, stale: time.Hour}
				got := walk(sort, desc)
				if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != 30 {
					t.Errorf("%s desc=%v: anchored %v, plain %v", sort, desc, got, want)
				}
			}
		}
		// Within staleFor a write may not show yet; after it, it does.
		db.pages = pageCache{stride: 3, from: 5, stale: 0}
		walk("created_at", true)
		f.create(t, contacts.ContactInput{Email: str("late@example.com")})
		res, _ := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, HasEmail: bptr(true), Sort: "created_at", Desc: true, PerPage: 4})
		if res.Total != 31 {
			t.Errorf("after a write: total %d, want 31", res.Total)
		}
	})
}
