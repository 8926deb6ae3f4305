package sqlstore

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
)

func TestListExports(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		e := newExportEnv(t, db, filestore.NewLocal(t.TempDir()))
		e.create(t, contacts.ContactInput{Name: str("Ana Silva"), Tags: &[]string{"vip"}})
		e.create(t, contacts.ContactInput{Name: str("Bob Stone")})

		if got, err := e.x.List(ctx, e.actor, e.project, 10); err != nil || len(got) != 0 {
			t.Fatalf("no exports yet: %v %v", got, err)
		}
		first := e.run(t, contacts.ExportRequest{Query: contacts.ListQuery{Tags: []string{"vip"}}, RawQuery: "tags=vip"})
		second := e.run(t, contacts.ExportRequest{Format: "ndjson", Columns: []string{"email"}})
		other, err := e.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.x.Start(ctx, e.actor, other.ID, contacts.ExportRequest{}); err != nil {
			t.Fatal(err)
		}

		got, err := e.x.List(ctx, e.actor, e.project, 10)
		if err != nil || len(got) != 2 {
			t.Fatalf("list: %v %v", got, err)
		}
		if got[0].ID != second.ID || got[1].ID != first.ID {
			t.Errorf("order: %d, %d; want newest first %d, %d", got[0].ID, got[1].ID, second.ID, first.ID)
		}
		if g := got[1]; g.Query != "tags=vip" || g.Rows != 1 || g.Format != "csv" || g.Job.Status != contacts.JobDone ||
			g.FileKey == "" || g.ExpiresAt.IsZero() {
			t.Errorf("first export as listed: %+v", g)
		}
		if g := got[0]; g.Format != "ndjson" || len(g.Columns) != 1 || g.Columns[0] != "email" || g.Rows != 2 {
			t.Errorf("second export as listed: %+v", g)
		}
		if got, _ := e.x.List(ctx, e.actor, e.project, 1); len(got) != 1 || got[0].ID != second.ID {
			t.Errorf("limit 1: %+v", got)
		}

		agent := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Name: "agent", Role: contacts.RoleAgent}
		if _, err := e.x.List(ctx, agent, e.project, 10); !errors.Is(err, contacts.ErrForbidden) {
			t.Errorf("agent list: %v", err)
		}
	})
}
