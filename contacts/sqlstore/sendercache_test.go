package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// A sender's next message is stored from the sender cache without reads.
// Whatever staff, the AI or another message did to the contact or the
// conversation in between must still be honoured: each case changes
// something behind a cached sender, and the next message must land where an
// uncached one would, with nothing overwritten.
func TestSenderCacheYieldsToChangesMadeElsewhere(t *testing.T) {
	type state struct {
		f     *fixture
		first *contacts.InboundResult // the sender's first message
	}
	cases := []struct {
		name  string
		after time.Duration // when the third message comes, after the first
		event func(t *testing.T, s state)
		check func(t *testing.T, s state, third *contacts.InboundResult)
	}{{
		name: "staff renamed the contact",
		event: func(t *testing.T, s state) {
			if _, err := s.f.svc.UpdateContact(context.Background(), s.f.actor, s.f.project, s.first.Contact.ID,
				contacts.ContactInput{FirstName: str("Anabela"), Tags: &[]string{"vip"}}); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			stored, err := s.f.db.GetContact(context.Background(), s.f.project, s.first.Contact.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.FirstName != "Anabela" || len(stored.Tags) != 1 || third.Contact.FirstName != "Anabela" {
				t.Errorf("the rename was lost: stored %q %v, result %q", stored.FirstName, stored.Tags, third.Contact.FirstName)
			}
			if third.Conversation.ID != s.first.Conversation.ID || third.Conversation.MessageCount != 3 {
				t.Errorf("conversation %+v, want the first one with 3 messages", third.Conversation)
			}
		},
	}, {
		name: "staff closed the conversation",
		event: func(t *testing.T, s state) {
			if err := s.f.svc.CloseConversation(context.Background(), s.f.project, s.first.Conversation.ID); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Conversation.ID == s.first.Conversation.ID || third.Conversation.MessageCount != 1 {
				t.Errorf("conversation %+v, want a new one", third.Conversation)
			}
			if n := count(t, s.f.db, `SELECT message_count FROM conversations WHERE id = ?`, s.first.Conversation.ID); n != 2 {
				t.Errorf("the closed conversation has %d messages, want 2", n)
			}
		},
	}, {
		name: "the conversation went idle",
		// The fixture's idle is the default 30 minutes.
		after: time.Hour,
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Conversation.ID == s.first.Conversation.ID {
				t.Errorf("an idle conversation was continued: %+v", third.Conversation)
			}
			if n := count(t, s.f.db, `SELECT COUNT(*) FROM conversations WHERE id = ? AND status = ?`,
				s.first.Conversation.ID, contacts.ConversationClosed); n != 1 {
				t.Error("the idle conversation was not closed")
			}
		},
	}, {
		name: "staff took the conversation over",
		event: func(t *testing.T, s state) {
			if err := s.f.svc.Assign(context.Background(), s.f.project, s.first.Conversation.ID, contacts.AssigneeStaff); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Conversation.ID != s.first.Conversation.ID || third.Conversation.Assignee != contacts.AssigneeStaff {
				t.Errorf("conversation %+v, want the first one, with staff", third.Conversation)
			}
		},
	}, {
		name: "staff replied",
		event: func(t *testing.T, s state) {
			if _, _, err := s.f.svc.RecordOutbound(context.Background(), s.f.project, s.first.Conversation.ID, contacts.SenderStaff, "hello from staff", ""); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Conversation.ID != s.first.Conversation.ID || third.Conversation.MessageCount != 4 {
				t.Errorf("conversation %+v, want the first one with 4 messages", third.Conversation)
			}
			if n := count(t, s.f.db, `SELECT message_count FROM conversations WHERE id = ?`, s.first.Conversation.ID); n != 4 {
				t.Errorf("stored message_count %d, want 4", n)
			}
		},
	}, {
		name: "the contact was merged into another",
		event: func(t *testing.T, s state) {
			winner := s.f.create(t, contacts.ContactInput{FirstName: str("Winner"), Email: str("winner@example.com")})
			if _, _, err := s.f.svc.Merge(context.Background(), s.f.actor, s.f.project,
				contacts.MergeRequest{PrimaryID: winner.ID, ContactIDs: []int64{s.first.Contact.ID}}); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Contact.ID == s.first.Contact.ID || third.Contact.FirstName != "Winner" {
				t.Errorf("message went to contact %d %q, want the merge's winner", third.Contact.ID, third.Contact.FirstName)
			}
			if n := count(t, s.f.db, `SELECT COUNT(*) FROM contacts`); n != 1 {
				t.Errorf("%d contacts, want the winner alone", n)
			}
		},
	}, {
		name: "staff deleted the contact",
		event: func(t *testing.T, s state) {
			if err := s.f.svc.DeleteContact(context.Background(), s.f.actor, s.f.project, s.first.Contact.ID, false); err != nil {
				t.Fatal(err)
			}
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Contact.ID == s.first.Contact.ID || !third.NewContact {
				t.Errorf("contact %d (new %v), want a new contact", third.Contact.ID, third.NewContact)
			}
			if n := count(t, s.f.db, `SELECT COUNT(*) FROM identities WHERE external_id = '77' AND contact_id = ?`, third.Contact.ID); n != 1 {
				t.Error("the sender's identity does not point at the new contact")
			}
		},
	}, {
		name: "another message of the sender took the full path",
		event: func(t *testing.T, s state) {
			// A hint the contact lacks changes the profile: the full path.
			s.f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "77",
				Hints: contacts.Hints{LastName: "Silva"}, ChannelMessageID: "77:side", Text: "it's Ana Silva"})
		},
		check: func(t *testing.T, s state, third *contacts.InboundResult) {
			if third.Contact.LastName != "Silva" || third.Conversation.MessageCount != 4 {
				t.Errorf("contact %q, conversation %+v; want Silva and 4 messages", third.Contact.LastName, third.Conversation)
			}
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := OpenTest(t)
			s := state{f: newFixture(t, db)}
			msg := func(n int, at time.Time) contacts.Inbound {
				return contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "77", Hints: contacts.Hints{FirstName: "Ana"},
					ChannelMessageID: fmt.Sprint("77:", n), Text: "hello", At: at}
			}
			s.first = s.f.inbound(t, msg(1, s.f.now))
			s.f.inbound(t, msg(2, s.f.now.Add(time.Second)))
			key := keyOf(contacts.Inbound{ProjectID: s.f.project, Channel: contacts.ChannelTelegram, ExternalID: "77"})
			if db.senders.get(key) == nil {
				t.Fatal("the second message did not cache its sender")
			}
			if tc.event != nil {
				tc.event(t, s)
			}
			at := s.f.now.Add(2 * time.Second)
			if tc.after != 0 {
				at = s.f.now.Add(tc.after)
			}
			third := s.f.inbound(t, msg(3, at))
			tc.check(t, s, third)
			if n := count(t, db, `SELECT COUNT(*) FROM messages WHERE channel_message_id = '77:3'`); n != 1 {
				t.Errorf("the third message is stored %d times", n)
			}
			// Whatever happened, the fourth message again finds the sender
			// cached and lands beside the third.
			fourth := s.f.inbound(t, msg(4, at.Add(time.Second)))
			if fourth.Contact.ID != third.Contact.ID || fourth.Conversation.ID != third.Conversation.ID ||
				fourth.Conversation.MessageCount != third.Conversation.MessageCount+1 {
				t.Errorf("fourth message: contact %d conversation %+v; third: contact %d conversation %+v",
					fourth.Contact.ID, fourth.Conversation, third.Contact.ID, third.Conversation)
			}
			if e := db.senders.get(key); e == nil || e.contact.ID != fourth.Contact.ID {
				t.Error("the sender is not cached after the fourth message")
			}
		})
	}
}

// A redelivered message whose sender is cached is stored once.
func TestSenderCacheRedelivery(t *testing.T) {
	db := OpenTest(t)
	f := newFixture(t, db)
	for _, n := range []int{1, 2, 2, 3, 3} {
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "5", ChannelMessageID: fmt.Sprint("5:", n), Text: "hi"})
	}
	if n := count(t, db, `SELECT COUNT(*) FROM messages`); n != 3 {
		t.Errorf("%d messages stored, want 3", n)
	}
	if n := count(t, db, `SELECT message_count FROM conversations`); n != 3 {
		t.Errorf("message_count %d, want 3", n)
	}
}

// The cache keeps at most senderCacheSize senders, and the newest survive.
func TestSenderCacheBounded(t *testing.T) {
	var sc senderCache
	key := func(i int) senderKey { return senderKey{projectID: 1, channel: "telegram", externalID: fmt.Sprint(i)} }
	const n = 3 * senderCacheSize
	for i := range n {
		sc.put(key(i), &knownSender{contact: &contacts.Contact{ID: int64(i)}})
	}
	if size := len(sc.young) + len(sc.old); size > senderCacheSize {
		t.Errorf("%d senders cached, want at most %d", size, senderCacheSize)
	}
	if e := sc.get(key(n - 1)); e == nil || e.contact.ID != n-1 {
		t.Error("the newest sender was evicted")
	}
	if sc.get(key(1)) != nil {
		t.Error("the oldest sender is still cached")
	}
	sc.drop(key(n - 1))
	if sc.get(key(n-1)) != nil {
		t.Error("a dropped sender is still cached")
	}
}
