package sqlstore

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Pages near either end of a large result are read with OFFSET on the
// counted entry; only a deeper page builds the walk. Every page is the one
// the plain path gives.
func TestPageCacheWalksOnlyForDeepPages(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 40; i++ {
			f.now = f.now.Add(time.Minute)
			f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("N%02d", (i*7)%40))})
		}
		q := contacts.ListQuery{ProjectID: f.project, Sort: "name", PerPage: 4}
		page := func(n int) []int64 {
			q.Page = n
			res, err := f.svc.ListContacts(ctx, q)
			if err != nil || res.Total != 40 {
				t.Fatalf("page %d: total %v, %v", n, res, err)
			}
			return ids(res.Contacts)
		}
		db.pages = pageCache{}
		var want [][]int64
		for n := 1; n <= 10; n++ {
			want = append(want, page(n))
		}
		walked := func() bool {
			db.pages.mu.Lock()
			defer db.pages.mu.Unlock()
			for _, e := range db.pages.entries {
				return e.walked
			}
			t.Fatal("no cache entry")
			return false
		}
		db.pages = pageCache{stride: 3, from: 5, direct: 8, stale: time.Hour}
		// Offsets 0, 4 and (from the end) 36, 32 are within 8 of an end.
		for _, n := range []int{1, 2, 10, 9} {
			if got := page(n); fmt.Sprint(got) != fmt.Sprint(want[n-1]) {
				t.Errorf("page %d: %v, want %v", n, got, want[n-1])
			}
			if walked() {
				t.Fatalf("page %d built the walk", n)
			}
		}
		for _, n := range []int{5, 3, 4, 6, 7, 8} {
			if got := page(n); fmt.Sprint(got) != fmt.Sprint(want[n-1]) {
				t.Errorf("page %d: %v, want %v", n, got, want[n-1])
			}
			if !walked() {
				t.Fatalf("deep page %d did not build the walk", n)
			}
		}
	})
}

// A small result is counted on every page, unless its count was slow: then
// its total is kept like a large result's, until a write makes it stale.
func TestPageCacheKeepsSlowSmallCounts(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 6; i++ {
			f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("S%d", i))})
		}
		q := contacts.ListQuery{ProjectID: f.project, PerPage: 4}
		total := func() int {
			res, err := f.svc.ListContacts(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		entries := func() int {
			db.pages.mu.Lock()
			defer db.pages.mu.Unlock()
			return len(db.pages.entries)
		}

		db.pages = pageCache{stride: 3, from: 1000, direct: 8, stale: time.Hour}
		if got := total(); got != 6 || entries() != 0 {
			t.Fatalf("a fast small count: total %d, %d cache entries", got, entries())
		}

		db.pages = pageCache{stride: 3, from: 1000, direct: 8, stale: time.Hour, slow: -1}
		if got := total(); got != 6 || entries() != 1 {
			t.Fatalf("a slow small count: total %d, %d cache entries", got, entries())
		}
		f.create(t, contacts.ContactInput{FirstName: str("S6")})
		if got := total(); got != 6 {
			t.Fatalf("within the stale window the kept total is served: %d", got)
		}
		db.pages.stale = 0
		if got := total(); got != 7 {
			t.Fatalf("after a write, once stale, the count is taken again: %d", got)
		}
	})
}

// A first page need not wait for its total: past CountWait it comes back
// with the total pending, the count goes on (once per view, however many
// ask), and the next request finds it kept. A deep page always waits.
func TestListCountWait(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 10; i++ {
			f.now = f.now.Add(time.Minute)
			f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("W%d", i))})
		}
		list := func(q contacts.ListQuery) *contacts.ListResult {
			res, err := f.svc.ListContacts(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		q := contacts.ListQuery{ProjectID: f.project, PerPage: 4}
		want := ids(list(q).Contacts)

		release := make(chan struct{})
		var counts atomic.Int32
		db.pages = pageCache{stride: 3, from: 1000, direct: 8, stale: time.Hour, beforeCount: func() {
			counts.Add(1)
			<-release
		}}
		q.CountWait = 5 * time.Millisecond
		res := list(q)
		if !res.TotalPending || res.Total != 4 || fmt.Sprint(ids(res.Contacts)) != fmt.Sprint(want) {
			t.Fatalf("waited out: pending %v, total %d, %v (want %v)", res.TotalPending, res.Total, ids(res.Contacts), want)
		}
		q.CountWait = -1
		if res := list(q); !res.TotalPending || counts.Load() != 1 {
			t.Fatalf("asked again while counting: pending %v, %d counts started", res.TotalPending, counts.Load())
		}
		close(release)
		q.CountWait = 0
		if res := list(q); res.TotalPending || res.Total != 10 {
			t.Fatalf("waiting: pending %v, total %d", res.TotalPending, res.Total)
		}
		// Kept, though small and quick, because a caller stopped waiting.
		q.CountWait = -1
		if res := list(q); res.TotalPending || res.Total != 10 || counts.Load() != 1 {
			t.Fatalf("the kept count: pending %v, total %d, %d counts", res.TotalPending, res.Total, counts.Load())
		}

		// A deep page of a new view waits, whatever CountWait says.
		deep := contacts.ListQuery{ProjectID: f.project, PerPage: 2, Page: 5, Sort: "name", CountWait: -1}
		if res := list(deep); res.TotalPending || res.Total != 10 || len(res.Contacts) != 2 {
			t.Fatalf("deep page: pending %v, total %d, %d rows", res.TotalPending, res.Total, len(res.Contacts))
		}
	})
}

// A common tag's pages are found by testing each contact the sort's walk
// meets (or, when that runs out of time, the other way); every page, in
// every tag mode and sort, is the one the other form gives.
func TestCommonTagPagesMatch(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 40; i++ {
			f.now = f.now.Add(time.Minute)
			var tags []string
			if i%2 == 0 {
				tags = append(tags, "even")
			}
			if i%3 == 0 {
				tags = append(tags, "third")
			}
			ch := []string{"telegram", "widget"}[i%2*(i%5/4)]
			f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("T%02d", (i*7)%40)), Tags: &tags, Channel: &ch})
		}
		queries := []contacts.ListQuery{
			{Tags: []string{"even"}},
			{Tags: []string{"even", "third"}},
			{Tags: []string{"even", "third"}, TagsAll: true},
			{Tags: []string{"third"}, Sort: "name"},
			{Tags: []string{"even"}, Sort: "name", Desc: true, Channels: []contacts.Channel{"telegram"}},
			{Tags: []string{"nobody"}},
		}
		pages := func(q contacts.ListQuery) string {
			var out []string
			for n := 1; n <= 6; n++ {
				q.ProjectID, q.Page, q.PerPage = f.project, n, 4
				res, err := f.svc.ListContacts(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%d:%v", res.Total, ids(res.Contacts)))
			}
			return fmt.Sprint(out)
		}
		for _, q := range queries {
			db.pages = pageCache{}
			want := pages(q)
			db.pages = pageCache{commonTag: 1}
			if got := pages(q); got != want {
				t.Errorf("%+v: walking the sort's index gave %s, want %s", q, got, want)
			}
			// A walk out of time falls back to reading the tag's contacts.
			db.pages = pageCache{commonTag: 1, tagWalk: time.Nanosecond}
			if got := pages(q); got != want {
				t.Errorf("%+v: after a walk out of time %s, want %s", q, got, want)
			}
		}
	})
}

// A first page short of full needs no count: it is the whole list.
func TestListCountWaitShortPage(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		for i := 0; i < 3; i++ {
			f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("Short%d", i))})
		}
		db.pages = pageCache{stride: 3, from: 1000, direct: 8, stale: time.Hour}
		for _, q := range []contacts.ListQuery{
			{ProjectID: f.project, PerPage: 4, CountWait: -1},
			{ProjectID: f.project, PerPage: 3, CountWait: -1, Sort: "name"},
			{ProjectID: f.project, PerPage: 3, Page: 2, CountWait: -1, Sort: "name", Desc: true},
		} {
			res, err := f.svc.ListContacts(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			full := len(res.Contacts) == q.PerPage || (len(res.Contacts) == 0 && q.Page > 1)
			if res.TotalPending != full || (!full && res.Total != 3) {
				t.Errorf("%+v: %d rows, total %d, pending %v", q, len(res.Contacts), res.Total, res.TotalPending)
			}
		}
	})
}
