package sqlstore

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestMergeAndUndo(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		staff := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Name: "ann@acme.test", Role: contacts.RoleAdmin}
		ai := contacts.Actor{Kind: contacts.ActorAI, Name: "ai", Role: contacts.RoleAdmin}
		primary, err := f.svc.CreateContact(ctx, ai, f.project, contacts.ContactInput{FirstName: str("Jon"), Email: str("jon@example.com"), Tags: &[]string{"a"}, TelegramID: str("111")})
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.svc.CreateContact(ctx, staff, f.project, contacts.ContactInput{FirstName: str("Jonathan"), LastName: str("Doe"),
			Phone: str("+14155550100"), Email: str("jd@work.example"), Tags: &[]string{"b"}, WhatsAppID: str("14155550100"),
			Memories: &[]string{"likes tea"}})
		if err != nil {
			t.Fatal(err)
		}
		third := f.create(t, contacts.ContactInput{Company: str("Initech"), TelegramID: str("222"), FirstName: str("J")})
		conv := &contacts.Conversation{ProjectID: f.project, ContactID: other.ID, Channel: contacts.ChannelWhatsApp, StartedAt: f.now}
		if err := db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		note, err := f.svc.AddNote(ctx, staff, f.project, other.ID, "VIP caller")
		if err != nil {
			t.Fatal(err)
		}

		merged, m, err := f.svc.Merge(ctx, staff, f.project, contacts.MergeRequest{
			PrimaryID: primary.ID, ContactIDs: []int64{other.ID, third.ID}, Fields: map[string]int64{"email": other.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Picked email wins; staff-typed first name beats the AI's; empty
		// fields filled; losing values kept as conflicts.
		if merged.Email != "jd@work.example" || merged.FirstName != "Jonathan" || merged.Phone != "+14155550100" ||
			merged.Company != "Initech" || merged.LastName != "Doe" {
			t.Errorf("merged fields: %+v", merged)
		}
		conflicts := map[string]string{}
		for _, c := range merged.Conflicts {
			conflicts[c.Field] = c.Value
		}
		if conflicts["email"] != "jon@example.com" || conflicts["first_name"] == "" || conflicts["identity:telegram"] != "222" {
			t.Errorf("conflicts: %+v", merged.Conflicts)
		}
		if len(merged.Tags) != 2 || len(merged.Memories) != 1 || len(merged.Identities) != 2 || merged.ConversationCount != 1 {
			t.Errorf("unions: tags %v memories %v identities %+v convs %d", merged.Tags, merged.Memories, merged.Identities, merged.ConversationCount)
		}
		for _, id := range []int64{other.ID, third.ID} {
			if _, err := f.svc.GetContact(ctx, f.project, id); !errors.Is(err, contacts.ErrNotFound) {
				t.Errorf("merged-away %d still there: %v", id, err)
			}
		}
		convs, _ := f.svc.ListConversations(ctx, f.project, primary.ID)
		notes, _ := f.svc.ListNotes(ctx, f.project, primary.ID)
		if len(convs) != 1 || len(notes) != 1 {
			t.Errorf("moved: %d conversations %d notes", len(convs), len(notes))
		}
		audit, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditContactMerge})
		if len(audit) != 1 || len(audit[0].Before) < 100 {
			t.Errorf("merge audit: %+v", audit)
		}

		restored, err := f.svc.UndoMerge(ctx, staff, f.project, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(restored) != 3 {
			t.Errorf("restored %d contacts", len(restored))
		}
		back, err := f.svc.GetContact(ctx, f.project, other.ID)
		if err != nil || back.Email != "jd@work.example" || len(back.Identities) != 1 || back.Memories[0] != "likes tea" {
			t.Errorf("restored other: %v %+v", err, back)
		}
		p, _ := f.svc.GetContact(ctx, f.project, primary.ID)
		if p.Email != "jon@example.com" || len(p.Conflicts) != 0 || len(p.Identities) != 1 {
			t.Errorf("restored primary: %+v", p)
		}
		convs, _ = f.svc.ListConversations(ctx, f.project, other.ID)
		notes, _ = f.svc.ListNotes(ctx, f.project, other.ID)
		if len(convs) != 1 || len(notes) != 1 || notes[0].ID != note.ID {
			t.Errorf("history not returned: %d conversations %d notes", len(convs), len(notes))
		}
		if _, err := f.svc.UndoMerge(ctx, staff, f.project, m.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("second undo: %v", err)
		}
	})
}

func TestMergeUndoBlockedByLaterMerge(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{FirstName: str("A")})
		b := f.create(t, contacts.ContactInput{FirstName: str("B")})
		c := f.create(t, contacts.ContactInput{FirstName: str("C")})
		_, m1, err := f.svc.Merge(ctx, f.actor, f.project, contacts.MergeRequest{PrimaryID: a.ID, ContactIDs: []int64{b.ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, m2, err := f.svc.Merge(ctx, f.actor, f.project, contacts.MergeRequest{PrimaryID: c.ID, ContactIDs: []int64{a.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UndoMerge(ctx, f.actor, f.project, m1.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("undo of an earlier merge: %v", err)
		}
		if _, err := f.svc.UndoMerge(ctx, f.actor, f.project, m2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UndoMerge(ctx, f.actor, f.project, m1.ID); err != nil {
			t.Errorf("undo after the later one was undone: %v", err)
		}
		p2, _ := f.svc.CreateProject(ctx, "Other")
		if _, err := f.svc.UndoMerge(ctx, f.actor, p2.ID, m1.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project undo: %v", err)
		}
		if _, _, err := f.svc.Merge(ctx, f.actor, p2.ID, contacts.MergeRequest{PrimaryID: a.ID, ContactIDs: []int64{b.ID}}); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project merge: %v", err)
		}
		for _, bad := range []contacts.MergeRequest{
			{PrimaryID: a.ID},
			{PrimaryID: a.ID, ContactIDs: []int64{a.ID}},
			{PrimaryID: a.ID, ContactIDs: []int64{b.ID}, Fields: map[string]int64{"password": b.ID}},
			{PrimaryID: a.ID, ContactIDs: []int64{b.ID}, Fields: map[string]int64{"email": 424242}},
		} {
			var ve *contacts.ValidationError
			if _, _, err := f.svc.Merge(ctx, f.actor, f.project, bad); !errors.As(err, &ve) {
				t.Errorf("%+v: want validation error, got %v", bad, err)
			}
		}
	})
}

func TestDuplicates(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{Email: str("john.smith@gmail.com")})
		b := f.create(t, contacts.ContactInput{Email: str("JohnSmith+promo@googlemail.com")})
		c := f.create(t, contacts.ContactInput{Phone: str("+14155550199")})
		d := f.create(t, contacts.ContactInput{FirstName: str("Wa"), WhatsAppID: str("14155550199")})
		e := f.create(t, contacts.ContactInput{Name: str("Ann Lee"), Company: str("Acme")})
		g := f.create(t, contacts.ContactInput{Name: str("ann lee"), Company: str("ACME")})
		f.create(t, contacts.ContactInput{Name: str("Ann Lee")}) // no company: not a suggestion
		groups, err := f.svc.Duplicates(ctx, f.project, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int64{"email": {a.ID, b.ID}, "phone": {c.ID, d.ID}, "name_company": {e.ID, g.ID}}
		if len(groups) != 3 {
			t.Fatalf("groups: %+v", groups)
		}
		for _, g := range groups {
			w := want[g.Reason]
			if len(g.Contacts) != 2 || g.Contacts[0].ID != w[0] || g.Contacts[1].ID != w[1] {
				t.Errorf("%s group: %v", g.Reason, ids(g.Contacts))
			}
		}
	})
}
