package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestContactCreateGetUpdate(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{
			Name: str("Ana Maria Silva"), Email: str(" Ana@Example.COM "), Phone: str("(415) 555-0123"),
			Tags: &[]string{"VIP", "vip", "lead"}, TelegramID: str("123456"),
			Custom: map[string]*string{"plan": str("gold")},
		})
		if c.FirstName != "Ana Maria" || c.LastName != "Silva" {
			t.Errorf("name split: %q %q", c.FirstName, c.LastName)
		}
		if c.Email != "ana@example.com" || c.Phone != "+14155550123" {
			t.Errorf("normalised email/phone: %q %q", c.Email, c.Phone)
		}
		got, err := f.svc.GetContact(ctx, f.project, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Tags) != "[vip lead]" || got.Custom["plan"] != "gold" {
			t.Errorf("tags/custom: %v %v", got.Tags, got.Custom)
		}
		if id, ok := got.Identity(contacts.ChannelTelegram); !ok || id.ExternalID != "123456" {
			t.Errorf("telegram identity: %+v", got.Identities)
		}
		if got.Sources["email"].Source != contacts.SourceAPI {
			t.Errorf("email provenance: %+v", got.Sources)
		}
		if got.Channel != contacts.ChannelAPI || got.LeadStatus != contacts.LeadNew {
			t.Errorf("channel %q lead %q", got.Channel, got.LeadStatus)
		}
		up, err := f.svc.UpdateContact(ctx, f.actor, f.project, c.ID, contacts.ContactInput{Company: str("Acme"), TelegramID: str("")})
		if err != nil {
			t.Fatal(err)
		}
		if up.Company != "Acme" || len(up.Identities) != 0 || up.Email != "ana@example.com" {
			t.Errorf("update: %+v", up)
		}
		entries, err := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: c.ID})
		if err != nil || len(entries) != 2 || entries[0].Action != contacts.AuditContactUpdate || len(entries[0].Before) == 0 {
			t.Errorf("audit: %v %+v", err, entries)
		}
	})
}

func TestContactValidation(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		cases := []struct {
			name  string
			in    contacts.ContactInput
			field string
		}{
			{"nothing", contacts.ContactInput{Company: str("Acme")}, "contact"},
			{"bad email", contacts.ContactInput{Email: str("not-an-email")}, "email"},
			{"display name email", contacts.ContactInput{Email: str("Ann <ann@example.com>")}, "email"},
			{"undotted domain", contacts.ContactInput{Email: str("ann@localhost")}, "email"},
			{"bad phone", contacts.ContactInput{Phone: str("12")}, "phone"},
			{"letters phone", contacts.ContactInput{Phone: str("call me maybe")}, "phone"},
			{"bad channel", contacts.ContactInput{FirstName: str("A"), Channel: str("fax")}, "channel"},
			{"bad custom key", contacts.ContactInput{FirstName: str("A"), Custom: map[string]*string{"a b": str("x")}}, "custom"},
			{"control chars", contacts.ContactInput{FirstName: str("A\x00B")}, "first_name"},
		}
		for _, tc := range cases {
			_, err := f.svc.CreateContact(context.Background(), f.actor, f.project, tc.in)
			var ve *contacts.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
				t.Errorf("%s: want validation error on %s, got %v", tc.name, tc.field, err)
			}
		}
		var n int
		db.r.Get(&n, `SELECT COUNT(*) FROM contacts`)
		if n != 0 {
			t.Errorf("%d contacts written by failed creates", n)
		}
	})
}

func TestContactUniqueness(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{Email: str("a@example.com"), Phone: str("+44 20 7946 0958"), ExternalID: str("crm-1"), WhatsAppID: str("447700900123")})
		for field, in := range map[string]contacts.ContactInput{
			"email":       {Email: str("A@example.com")},
			"phone":       {Phone: str("+442079460958")},
			"external_id": {FirstName: str("x"), ExternalID: str("crm-1")},
			"whatsapp_id": {FirstName: str("x"), WhatsAppID: str("+447700900123")},
		} {
			_, err := f.svc.CreateContact(ctx, f.actor, f.project, in)
			var de *contacts.DuplicateError
			if !errors.As(err, &de) || de.Field != field || de.ExistingID != a.ID || !errors.Is(err, contacts.ErrConflict) {
				t.Errorf("%s: want duplicate of %d, got %v (%+v)", field, a.ID, err, de)
			}
		}
		b := f.create(t, contacts.ContactInput{Email: str("b@example.com")})
		_, err := f.svc.UpdateContact(ctx, f.actor, f.project, b.ID, contacts.ContactInput{Email: str("a@example.com")})
		var de *contacts.DuplicateError
		if !errors.As(err, &de) || de.ExistingID != a.ID {
			t.Errorf("update into duplicate: %v", err)
		}
		// Another project may hold the same values.
		p2, _ := f.svc.CreateProject(ctx, "Other")
		if _, err := f.svc.CreateContact(ctx, f.actor, p2.ID, contacts.ContactInput{Email: str("a@example.com")}); err != nil {
			t.Errorf("same email in another project: %v", err)
		}
		if _, err := f.svc.GetContact(ctx, p2.ID, a.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("cross-project get: %v", err)
		}
	})
}

func TestConcurrentCreateSameEmail(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, dup := 0, 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CreateContact(context.Background(), f.actor, f.project, contacts.ContactInput{Email: str("same@example.com")})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, contacts.ErrConflict):
					dup++
				default:
					t.Errorf("unexpected: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || dup != 19 {
			t.Errorf("created %d, conflicts %d; want 1 and 19", ok, dup)
		}
	})
}

func TestDeleteContact(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for _, keep := range []bool{false, true} {
			c := f.create(t, contacts.ContactInput{Email: str(fmt.Sprintf("del%v@example.com", keep)), TelegramID: str(fmt.Sprint(keep))})
			conv := &contacts.Conversation{ProjectID: f.project, ContactID: c.ID, Channel: contacts.ChannelTelegram, StartedAt: f.now}
			if err := db.CreateConversation(ctx, conv); err != nil {
				t.Fatal(err)
			}
			if err := db.AddMessage(ctx, f.project, &contacts.Message{ConversationID: conv.ID, Direction: contacts.DirectionInbound,
				SenderKind: contacts.SenderContact, Text: fmt.Sprintf("hi, write to DEL%v@example.com please", keep), ChannelMessageID: fmt.Sprint("m", keep), CreatedAt: f.now}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.AddNote(ctx, f.actor, f.project, c.ID, "called"); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.DeleteContact(ctx, f.actor, f.project, c.ID, keep); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.GetContact(ctx, f.project, c.ID); !errors.Is(err, contacts.ErrNotFound) {
				t.Errorf("deleted contact still readable: %v", err)
			}
			var convs, msgs, idents, notes int
			db.r.Get(&convs, db.q(`SELECT COUNT(*) FROM conversations WHERE id = ?`), conv.ID)
			db.r.Get(&msgs, db.q(`SELECT COUNT(*) FROM messages WHERE conversation_id = ?`), conv.ID)
			db.r.Get(&idents, db.q(`SELECT COUNT(*) FROM identities WHERE contact_id = ?`), c.ID)
			db.r.Get(&notes, db.q(`SELECT COUNT(*) FROM notes WHERE contact_id = ?`), c.ID)
			want := 0
			if keep {
				want = 1
			}
			if convs != want || msgs != want || idents != 0 || notes != 0 {
				t.Errorf("keep=%v: conversations %d messages %d identities %d notes %d", keep, convs, msgs, idents, notes)
			}
			if keep {
				var text string
				var owner sql.NullInt64
				db.r.Get(&text, db.q(`SELECT text FROM messages WHERE conversation_id = ?`), conv.ID)
				db.r.Get(&owner, db.q(`SELECT contact_id FROM conversations WHERE id = ?`), conv.ID)
				if text != "hi, write to [redacted] please" || owner.Valid {
					t.Errorf("kept history not anonymised: %q, contact %v", text, owner)
				}
				audit, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: c.ID, Action: contacts.AuditContactDelete})
				if len(audit) != 1 || strings.Contains(string(audit[0].Before)+string(audit[0].After), "example.com") {
					t.Errorf("delete audit keeps erased data: %+v", audit)
				}
			}
			res, _ := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, Q: "del"})
			if res.Total != 0 {
				t.Errorf("deleted contact still in search")
			}
		}
		if err := f.svc.DeleteContact(ctx, f.actor, f.project, 999999, false); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("delete missing: %v", err)
		}
	})
}

// Concurrent creates are committed in groups on SQLite; a failing row must
// fail alone and the others must all be stored.
func TestConcurrentCreatesMixed(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		taken := f.create(t, contacts.ContactInput{Email: str("taken@example.com")})
		var wg sync.WaitGroup
		results := make([]error, 60)
		created := make([]*contacts.Contact, 60)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				email := fmt.Sprintf("u%d@example.com", i)
				if i%3 == 0 {
					email = "taken@example.com"
				}
				created[i], results[i] = f.svc.CreateContact(ctx, f.actor, f.project, contacts.ContactInput{Email: str(email)})
			}()
		}
		wg.Wait()
		for i, err := range results {
			var de *contacts.DuplicateError
			if i%3 == 0 {
				if !errors.As(err, &de) || de.ExistingID != taken.ID {
					t.Errorf("row %d: want duplicate of %d, got %v", i, taken.ID, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("row %d: %v", i, err)
				continue
			}
			got, err := f.svc.GetContact(ctx, f.project, created[i].ID)
			if err != nil || got.Email != fmt.Sprintf("u%d@example.com", i) {
				t.Errorf("row %d stored as %+v (%v)", i, got, err)
			}
		}
		res, _ := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project})
		if res.Total != 41 {
			t.Errorf("%d contacts stored, want 41", res.Total)
		}
		audit, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditContactCreate, Limit: 1000})
		if len(audit) != 41 {
			t.Errorf("%d create audit rows, want 41", len(audit))
		}
	})
}
