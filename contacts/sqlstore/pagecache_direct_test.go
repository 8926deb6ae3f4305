package sqlstore

import (
	"context"
	"fmt"
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
