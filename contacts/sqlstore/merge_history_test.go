package sqlstore

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestMergePreviewAndHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{FirstName: str("Ana"), Email: str("ana@example.com"), Company: str("Acme")})
		b := f.create(t, contacts.ContactInput{FirstName: str("Anna"), Email: str("anna@work.example"), Phone: str("+14155550123")})
		req := contacts.MergeRequest{PrimaryID: a.ID, ContactIDs: []int64{b.ID}, Fields: map[string]int64{"email": b.ID}}

		p, err := f.svc.PreviewMerge(ctx, f.actor, f.project, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Contacts) != 2 || p.Contacts[0].ID != a.ID || p.Result.ID != a.ID {
			t.Fatalf("preview contacts: %+v", p.Contacts)
		}
		if p.Result.Email != "anna@work.example" || p.Result.Phone != "+14155550123" || p.Result.Company != "Acme" {
			t.Errorf("preview result: %+v", p.Result)
		}
		fields := map[string]contacts.MergeField{}
		for _, fl := range p.Fields {
			fields[fl.Field] = fl
		}
		if len(fields) != 2 || fields["email"].Winner != b.ID || fields["first_name"].Winner != a.ID || len(fields["email"].Values) != 2 {
			t.Errorf("differing fields: %+v", p.Fields)
		}
		kept := map[string]string{}
		for _, k := range p.Kept {
			kept[k.Field] = k.Value
		}
		if kept["email"] != "ana@example.com" || kept["first_name"] != "Anna" || len(kept) != 2 {
			t.Errorf("kept conflicts: %+v", p.Kept)
		}
		// Nothing was written: both contacts are as they were.
		for _, c := range []*contacts.Contact{a, b} {
			got, err := f.svc.GetContact(ctx, f.project, c.ID)
			if err != nil || got.Email != c.Email || len(got.Conflicts) != 0 {
				t.Errorf("preview wrote contact %d: %+v %v", c.ID, got, err)
			}
		}

		merged, m, err := f.svc.Merge(ctx, f.actor, f.project, req)
		if err != nil {
			t.Fatal(err)
		}
		if merged.Email != p.Result.Email || merged.FirstName != p.Result.FirstName || len(merged.Conflicts) != len(p.Result.Conflicts) {
			t.Errorf("merge differs from its preview: %+v vs %+v", merged, p.Result)
		}
		got, err := f.svc.GetMerge(ctx, f.project, m.ID)
		if err != nil || got.PrimaryID != a.ID || len(got.MergedIDs) != 1 || got.MergedIDs[0] != b.ID || !got.UndoneAt.IsZero() || !got.CreatedAt.Equal(f.now) {
			t.Fatalf("get merge: %+v %v", got, err)
		}
		for _, id := range []int64{a.ID, b.ID} {
			ms, err := f.svc.ContactMerges(ctx, f.project, id, 0)
			if err != nil || len(ms) != 1 || ms[0].ID != m.ID {
				t.Errorf("merges of %d: %+v %v", id, ms, err)
			}
		}
		if _, err := f.svc.UndoMerge(ctx, f.actor, f.project, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.GetMerge(ctx, f.project, m.ID); err != nil || got.UndoneAt.IsZero() {
			t.Errorf("undone merge: %+v %v", got, err)
		}

		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.GetMerge(ctx, other.ID, m.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("merge of another project: %v", err)
		}
		if ms, err := f.svc.ContactMerges(ctx, other.ID, a.ID, 0); err != nil || len(ms) != 0 {
			t.Errorf("merges seen from another project: %+v %v", ms, err)
		}
		if _, err := f.svc.PreviewMerge(ctx, f.actor, other.ID, req); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("preview across projects: %v", err)
		}
	})
}
