package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

// A list query naming ids lists only those contacts of the project, in the
// list, its cursor mode and exports alike.
func TestListContactsByIDs(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		var all []int64
		for i := 0; i < 5; i++ {
			all = append(all, f.create(t, contacts.ContactInput{Name: str(fmt.Sprintf("Person %d", i)), Tags: &[]string{"x"}}).ID)
		}
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		stranger, err := f.svc.CreateContact(ctx, f.actor, other.ID, contacts.ContactInput{Name: str("Stranger")})
		if err != nil {
			t.Fatal(err)
		}
		q := contacts.ListQuery{ProjectID: f.project, IDs: []int64{all[3], all[1], stranger.ID}, Sort: "created_at"}
		res, err := f.svc.ListContacts(ctx, q)
		if err != nil || res.Total != 2 || fmt.Sprint(ids(res.Contacts)) != fmt.Sprint([]int64{all[1], all[3]}) {
			t.Fatalf("by ids: %v %v", res, err)
		}
		q.Tags = []string{"x"}
		if got := listIDs(t, f, q); fmt.Sprint(got) != fmt.Sprint([]int64{all[1], all[3]}) {
			t.Errorf("cursor mode: %v", got)
		}
		if got, total, _, _ := exportIDs(t, db, q); total != 2 || fmt.Sprint(got) != fmt.Sprint([]int64{all[1], all[3]}) {
			t.Errorf("export: %v (total %d)", got, total)
		}
		q.IDs = make([]int64, contacts.MaxListIDs+1)
		if _, err := f.svc.ListContacts(ctx, q); err == nil {
			t.Error("too many ids accepted")
		}
	})
}
