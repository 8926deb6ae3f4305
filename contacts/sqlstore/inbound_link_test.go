package sqlstore

import (
	"context"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

// A value the channel verifies joins the sender to the contact holding it,
// even when the sender's identity already has a contact of its own: the
// Telegram user who shares their number after /start, the anonymous widget
// visitor who logs in. The sender's contact is merged into the holder, with
// its conversation, so one person keeps one history.
func TestInboundVerifiedValueLinksAnExistingIdentity(t *testing.T) {
	ctx := context.Background()
	cases := map[string]func(t *testing.T, f *fixture, db *DB){
		"telegram shares its own number after /start": func(t *testing.T, f *fixture, db *DB) {
			wa := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "351912345678", VerifiedPhone: "+351912345678",
				Hints: contacts.Hints{FirstName: "Rita"}, ChannelMessageID: "wamid.1", Text: "olá"})
			start := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "42", ChannelMessageID: "42:1", Text: "/start"})
			if start.Contact.ID == wa.Contact.ID {
				t.Fatal("/start should not know the phone yet")
			}
			shared := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "42", VerifiedPhone: "+351912345678",
				ChannelMessageID: "42:2", Text: "[shared a contact]"})
			if !shared.Linked || shared.Contact.ID != wa.Contact.ID {
				t.Fatalf("shared number: linked %v, contact %d; want the WhatsApp contact %d", shared.Linked, shared.Contact.ID, wa.Contact.ID)
			}
			if _, err := db.GetContact(ctx, f.project, start.Contact.ID); err == nil {
				t.Error("the /start contact still exists beside the one it was merged into")
			}
			if n := count(t, db, `SELECT COUNT(*) FROM conversations WHERE contact_id = ?`, wa.Contact.ID); n != 2 {
				t.Errorf("the merged contact has %d conversations, want its WhatsApp and its Telegram one", n)
			}
			next := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "42", ChannelMessageID: "42:3", Text: "thanks"})
			if next.Contact.ID != wa.Contact.ID || next.Conversation.ID != start.Conversation.ID {
				t.Errorf("the next Telegram message went to contact %d conversation %d", next.Contact.ID, next.Conversation.ID)
			}
			tg, ok := next.Contact.Identity(contacts.ChannelTelegram)
			if _, wok := next.Contact.Identity(contacts.ChannelWhatsApp); !ok || !wok || tg.ExternalID != "42" {
				t.Errorf("identities after the link: %+v", next.Contact.Identities)
			}
		},
		"a holder with its own account on the channel is only suggested": func(t *testing.T, f *fixture, db *DB) {
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "351911111111", VerifiedPhone: "+351911111111",
				ChannelMessageID: "wamid.2", Text: "olá"})
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "7", VerifiedPhone: "+351911111111",
				ChannelMessageID: "7:1", Text: "[shared a contact]"}) // links: the holder had no Telegram account
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "8", ChannelMessageID: "8:1", Text: "/start"})
			other := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "8", VerifiedPhone: "+351911111111",
				ChannelMessageID: "8:2", Text: "[shared a contact]"})
			if other.Linked {
				t.Error("a second Telegram account sharing the number was merged into the first one's contact")
			}
			if n := count(t, db, `SELECT COUNT(*) FROM duplicate_claims WHERE contact_id = ?`, other.Contact.ID); n != 1 {
				t.Errorf("%d duplicate suggestions, want 1", n)
			}
		},
		"a number someone typed in a form links nobody": func(t *testing.T, f *fixture, db *DB) {
			typed := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "v-typo", Hints: contacts.Hints{Phone: "+351913333333"},
				ChannelMessageID: "v-typo:1", Text: "call me"})
			if typed.Contact.Phone != "+351913333333" {
				t.Fatalf("the form's phone was not kept: %+v", typed.Contact)
			}
			// The number's real owner writes on WhatsApp, then on Telegram.
			wa := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "351913333333", VerifiedPhone: "+351913333333",
				ChannelMessageID: "wamid.typo", Text: "olá"})
			if wa.Contact.ID == typed.Contact.ID || wa.Linked {
				t.Errorf("the WhatsApp owner of the number joined the visitor who typed it")
			}
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "55", ChannelMessageID: "55:1", Text: "/start"})
			tg := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "55", VerifiedPhone: "+351913333333",
				ChannelMessageID: "55:2", Text: "[shared a contact]"})
			if tg.Contact.ID == typed.Contact.ID {
				t.Errorf("the Telegram owner of the number was merged into the visitor who typed it")
			}
			if n := count(t, db, `SELECT COUNT(*) FROM duplicate_claims WHERE other_id = ?`, typed.Contact.ID); n != 2 {
				t.Errorf("%d suggestions for staff, want the WhatsApp and the Telegram claim", n)
			}
		},
		"a number a WhatsApp user without one told the bot links nobody": func(t *testing.T, f *fixture, db *DB) {
			// WhatsApp knows this sender by a LID only; they tell the bot a
			// number, which is theirs by their word alone.
			lid := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "9876543210@lid", Hints: contacts.Hints{Phone: "+351914444444"},
				ChannelMessageID: "wamid.lid", Text: "my number is +351914444444"})
			if lid.Contact.Phone != "+351914444444" {
				t.Fatalf("the told number was not kept: %+v", lid.Contact)
			}
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "66", ChannelMessageID: "66:1", Text: "/start"})
			tg := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "66", VerifiedPhone: "+351914444444",
				ChannelMessageID: "66:2", Text: "[shared a contact]"})
			if tg.Linked || tg.Contact.ID == lid.Contact.ID {
				t.Error("the number's Telegram owner was merged into the WhatsApp user who only told it")
			}
		},
		"the vouched holder among a number's variants wins": func(t *testing.T, f *fixture, db *DB) {
			// A visitor typed the number without Brazil's ninth digit; staff
			// entered it with. WhatsApp verifies it: the staff's contact.
			f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "v-br", Hints: contacts.Hints{Phone: "+551187654321"},
				ChannelMessageID: "v-br:1", Text: "oi"})
			staff := f.create(t, contacts.ContactInput{Name: str("Caio"), Phone: str("+5511987654321")})
			wa := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "5511987654321", VerifiedPhone: "+5511987654321",
				ChannelMessageID: "wamid.br", Text: "oi"})
			if wa.Contact.ID != staff.ID {
				t.Errorf("WhatsApp landed on contact %d, want the staff-entered %d", wa.Contact.ID, staff.ID)
			}
		},
		"widget visitors identified by the site": func(t *testing.T, f *fixture, db *DB) {
			member := f.create(t, contacts.ContactInput{Name: str("Ana Costa"), ExternalID: str("user-7")})
			visit := func(visitor, identifier, id string) *contacts.InboundResult {
				return f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: visitor, VerifiedExternalID: identifier,
					ChannelMessageID: id, Text: "hi"})
			}
			if first := visit("v0", "user-7", "v0:1"); first.Contact.ID != member.ID {
				t.Fatalf("the member's first visit landed on contact %d", first.Contact.ID)
			}
			anon := visit("v1", "", "v1:1")
			if anon.Contact.ID == member.ID {
				t.Fatal("an anonymous visitor found the member")
			}
			in := visit("v1", "user-7", "v1:2") // logs in
			if !in.Linked || in.Contact.ID != member.ID {
				t.Fatalf("login: linked %v, contact %d, want the member %d", in.Linked, in.Contact.ID, member.ID)
			}
			// Replies and polls reach the browser the member writes from.
			if id, _ := in.Contact.Identity(contacts.ChannelWidget); id.ExternalID != "v1" {
				t.Errorf("after the login the widget identity is %q, want v1", id.ExternalID)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM identities WHERE external_id = 'v1' AND contact_id = ?`, member.ID); n != 1 {
				t.Error("the logged-in browser's identity is not stored on the member")
			}
			other := visit("v2", "user-7", "v2:1") // the same user in another browser
			if other.NewContact || other.Contact.ID != member.ID {
				t.Errorf("second browser: contact %d (new %v), want the member", other.Contact.ID, other.NewContact)
			}
			fresh := visit("v3", "user-9", "v3:1")
			if !fresh.NewContact || fresh.Contact.ExternalID != "user-9" || fresh.Contact.Sources["external_id"].Source != contacts.SourceChannel {
				t.Errorf("a new identified visitor: %+v", fresh.Contact)
			}
			// A shared browser: user-9 logs out and user-7 logs in on v3.
			swapped := visit("v3", "user-7", "v3:2")
			if swapped.Contact.ID != member.ID {
				t.Errorf("user-7 on user-9's browser landed on contact %d, want the member", swapped.Contact.ID)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
				WHERE c.contact_id = ?`, fresh.Contact.ID); n != 1 {
				t.Errorf("user-9's history has %d messages, want only their own", n)
			}
			again := visit("v3", "user-7", "v3:3") // the cached sender must not undo the move
			if again.Contact.ID != member.ID {
				t.Errorf("the next message went to contact %d", again.Contact.ID)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM contacts`); n != 2 {
				t.Errorf("%d contacts, want the member and user-9", n)
			}
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, db *DB) { run(t, newFixture(t, db), db) })
		})
	}
}
