package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func (f *fixture) inbound(t *testing.T, in contacts.Inbound) *contacts.InboundResult {
	t.Helper()
	in.ProjectID = f.project
	if in.At.IsZero() {
		in.At = f.now
	}
	res, err := f.svc.RecordInbound(context.Background(), in, 0)
	if err != nil {
		t.Fatalf("record %+v: %v", in, err)
	}
	return res
}

func count(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.r.Get(&n, db.q(query), args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInboundFirstMessageAndRedelivery(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		first := contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "4242", Handle: "@ana",
			Hints: contacts.Hints{FirstName: "Ana", LastName: "Silva", Email: "not an email"}, ChannelMessageID: "4242:1", Text: "Hi there"}
		res := f.inbound(t, first)
		c := res.Contact
		if !res.NewContact || res.Duplicate || c.FirstName != "Ana" || c.Email != "" || c.Channel != contacts.ChannelTelegram {
			t.Fatalf("first message: %+v", res)
		}
		if c.Sources["first_name"].Source != contacts.SourceChannel || c.ConversationCount != 1 || c.LastSeenAt.IsZero() {
			t.Errorf("provenance/counters: %+v", c)
		}
		if id, _ := c.Identity(contacts.ChannelTelegram); id.ExternalID != "4242" || id.Handle != "@ana" {
			t.Errorf("identity: %+v", c.Identities)
		}
		again := f.inbound(t, first)
		if !again.Duplicate || again.Message.ID != res.Message.ID || again.Contact.ID != c.ID {
			t.Errorf("redelivery: %+v", again)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM messages`); n != 1 {
			t.Errorf("%d messages after a redelivery", n)
		}
		// Hints never overwrite what staff typed.
		staff := contacts.Actor{Kind: contacts.ActorUser, ID: 1, Name: "staff", Role: contacts.RoleAdmin}
		if _, err := f.svc.UpdateContact(context.Background(), staff, f.project, c.ID, contacts.ContactInput{FirstName: str("Anabela")}); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Minute)
		res = f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "4242", Hints: contacts.Hints{FirstName: "Ana"}, ChannelMessageID: "4242:2", Text: "still me"})
		if res.Contact.FirstName != "Anabela" || res.Conversation.MessageCount != 2 || res.NewContact {
			t.Errorf("second message: name %q, conversation %+v", res.Contact.FirstName, res.Conversation)
		}
	})
}

func TestInboundConversationsCloseWhenIdle(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		msg := func(n int) *contacts.InboundResult {
			return f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "visitor-1", ChannelMessageID: fmt.Sprint("w", n), Text: "hello"})
		}
		a := msg(1)
		f.now = f.now.Add(29 * time.Minute)
		b := msg(2)
		f.now = f.now.Add(31 * time.Minute)
		c := msg(3)
		if a.Conversation.ID != b.Conversation.ID || c.Conversation.ID == b.Conversation.ID {
			t.Fatalf("conversations %d %d %d", a.Conversation.ID, b.Conversation.ID, c.Conversation.ID)
		}
		if c.Contact.ConversationCount != 2 {
			t.Errorf("conversation_count %d", c.Contact.ConversationCount)
		}
		old, err := db.GetConversation(context.Background(), f.project, a.Conversation.ID)
		if err != nil || old.Status != contacts.ConversationClosed || !old.EndedAt.Equal(b.Message.CreatedAt) {
			t.Errorf("idle conversation not closed at its last message: %+v %v", old, err)
		}
	})
}

func TestInboundVerifiedPhoneLinksAndClaimsDoNot(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		known := f.create(t, contacts.ContactInput{Name: str("Bea Lopes"), Phone: str("+5511912345678"), Email: str("bea@example.com")})
		// WhatsApp vouches for the number: the identity joins the contact.
		res := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "5511912345678", VerifiedPhone: "+5511912345678",
			ChannelMessageID: "wamid.1", Text: "oi"})
		if res.NewContact || res.Contact.ID != known.ID {
			t.Fatalf("verified phone made a new contact: %+v", res.Contact)
		}
		// An email typed into a pre-chat form never merges or steals.
		res = f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "v-9", Hints: contacts.Hints{Email: "bea@example.com", Phone: "+5511912345678"},
			ChannelMessageID: "v-9:1", Text: "hello"})
		if !res.NewContact || res.Contact.Email != "" || res.Contact.Phone != "" {
			t.Errorf("unverified claim: %+v", res.Contact)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contacts`); n != 2 {
			t.Errorf("%d contacts", n)
		}
		// The collision is a suggestion for staff.
		groups, err := f.svc.Duplicates(context.Background(), f.project, 0)
		if err != nil {
			t.Fatal(err)
		}
		claimed := 0
		for _, g := range groups {
			if g.Reason == "claimed" {
				claimed++
				if len(g.Contacts) != 2 || g.Contacts[0].ID != known.ID || g.Contacts[1].ID != res.Contact.ID {
					t.Errorf("claimed group %s: %v", g.Value, ids(g.Contacts))
				}
			}
		}
		if claimed != 2 {
			t.Errorf("%d claimed groups (email and phone), groups %+v", claimed, groups)
		}
	})
}

func TestInboundOptOut(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		send := func(id, text string) *contacts.InboundResult {
			f.now = f.now.Add(time.Second)
			return f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "77", ChannelMessageID: id, Text: text})
		}
		send("1", "hello")
		for i, text := range []string{"stop sending me offers", "STOPPED"} {
			if r := send(fmt.Sprint("x", i), text); r.OptedOut || r.Contact.DoNotContact {
				t.Errorf("%q opted out", text)
			}
		}
		r := send("2", "  Stop! ")
		if !r.OptedOut || !r.Contact.DoNotContact || r.Contact.Tags[0] != contacts.TagOptOut || r.Contact.LeadStatus != contacts.LeadArchived {
			t.Errorf("STOP: %+v", r.Contact)
		}
		if r := send("3", "unsubscribe"); r.OptedOut {
			t.Error("opted out twice")
		}
		r = send("4", "start")
		if !r.OptedIn || r.Contact.DoNotContact || len(r.Contact.Tags) != 0 {
			t.Errorf("START: %+v", r.Contact)
		}
	})
}

func TestInboundConcurrentFirstMessages(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.RecordInbound(context.Background(), contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelWhatsApp,
					ExternalID: "447911123456", ChannelMessageID: fmt.Sprint("m", i%50), Text: "hi", At: f.now}, 0)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if c, v, m := count(t, db, `SELECT COUNT(*) FROM contacts`), count(t, db, `SELECT COUNT(*) FROM conversations`), count(t, db, `SELECT COUNT(*) FROM messages`); c != 1 || v != 1 || m != 50 {
			t.Errorf("100 first messages (50 distinct) made %d contacts, %d conversations, %d messages", c, v, m)
		}
	})
}

func TestInboundRejectsBadInput(t *testing.T) {
	f := newFixture(t, OpenTest(t))
	for _, in := range []contacts.Inbound{
		{Channel: "fax", ExternalID: "1", ChannelMessageID: "1"},
		{Channel: contacts.ChannelTelegram, ChannelMessageID: "1"},
		{Channel: contacts.ChannelTelegram, ExternalID: "1"},
		{Channel: contacts.ChannelTelegram, ExternalID: "1", ChannelMessageID: "1", Attachments: []byte("{not json")},
	} {
		in.ProjectID = f.project
		var ve *contacts.ValidationError
		if _, err := f.svc.RecordInbound(context.Background(), in, 0); !errors.As(err, &ve) {
			t.Errorf("%+v: want a validation error, got %v", in, err)
		}
	}
}

func TestInboundWhatsAppNinthDigit(t *testing.T) {
	cases := []struct{ name, stored, fromWhatsApp string }{
		// WhatsApp reports this Brazilian mobile without its ninth digit.
		{"Brazil", "+55 11 98765-4321", "+551187654321"},
		// An Argentine mobile stored with the 9 after +54, reported without.
		{"Argentina", "+54 9 11 2345-6789", "+541123456789"},
		// And the other way round.
		{"Argentina without the 9 stored", "+54 11 2345-6789", "+5491123456789"},
	}
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		for i, tc := range cases {
			known := f.create(t, contacts.ContactInput{Name: str(tc.name), Phone: str(tc.stored)})
			res := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: tc.fromWhatsApp[1:], VerifiedPhone: tc.fromWhatsApp,
				ChannelMessageID: fmt.Sprint("wamid.", i), Text: "hola"})
			if res.NewContact || res.Contact.ID != known.ID {
				t.Errorf("%s: the variant %s made a second contact beside %s: %+v", tc.name, tc.fromWhatsApp, tc.stored, res.Contact)
			}
		}
	})
}

func TestPurgeAnonymousVisitors(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		visit := func(id string, hints contacts.Hints) *contacts.Contact {
			return f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: id, Hints: hints, ChannelMessageID: id + ":1", Text: "hi"}).Contact
		}
		gone := visit("visitor-anon-1", contacts.Hints{})
		named := visit("visitor-named", contacts.Hints{FirstName: "Ana"})
		tagged := visit("visitor-tagged", contacts.Hints{})
		if _, err := f.svc.AddTags(ctx, f.actor, f.project, tagged.ID, []string{"keep"}); err != nil {
			t.Fatal(err)
		}
		tg := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "1", ChannelMessageID: "1:1", Text: "hi"}).Contact
		f.now = f.now.Add(29 * 24 * time.Hour)
		recent := visit("visitor-anon-2", contacts.Hints{})
		f.now = f.now.Add(2 * 24 * time.Hour)
		n, err := f.svc.PurgeAnonymous(ctx, 30*24*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("purged %d (%v), want 1", n, err)
		}
		if _, err := f.svc.GetContact(ctx, f.project, gone.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("anonymous visitor kept: %v", err)
		}
		for _, c := range []*contacts.Contact{named, tagged, tg, recent} {
			if _, err := f.svc.GetContact(ctx, f.project, c.ID); err != nil {
				t.Errorf("contact %d purged: %v", c.ID, err)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id WHERE v.contact_id IS NULL`); n != 0 {
			t.Errorf("%d orphaned messages", n)
		}
	})
}

func TestInboundEdits(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		orig := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "5", ChannelMessageID: "5:1", Text: "ship to Lisbon?"})
		f.now = f.now.Add(time.Minute)
		res := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "5", ChannelMessageID: "5:1", Text: "ship to Porto?", Edit: true})
		if !res.Edited || res.Duplicate || res.Message.ID != orig.Message.ID {
			t.Fatalf("edit: %+v", res)
		}
		msgs, _ := f.svc.ListMessages(context.Background(), f.project, orig.Conversation.ID, 0, 0)
		var original string
		db.r.Get(&original, db.q(`SELECT original_text FROM messages WHERE id = ?`), orig.Message.ID)
		if len(msgs) != 1 || msgs[0].Text != "ship to Porto?" || msgs[0].EditedAt.IsZero() || original != "ship to Lisbon?" {
			t.Errorf("after the edit: %+v (original %q)", msgs, original)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM queue`); n != 1 {
			t.Errorf("an edit queued a reply: %d jobs", n)
		}
		if _, err := f.svc.RecordInbound(context.Background(), contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelTelegram,
			ExternalID: "5", ChannelMessageID: "5:99", Text: "x", Edit: true}, 0); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("edit of an unknown message: %v", err)
		}
	})
}
