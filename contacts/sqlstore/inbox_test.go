package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestInbox(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		base := f.now
		at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }

		ana := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "4242", Handle: "@ana",
			Hints: contacts.Hints{FirstName: "Ana", LastName: "Silva"}, ChannelMessageID: "tg:1", Text: "Hello", At: at(1)})
		bob := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWhatsApp, ExternalID: "+34600111222",
			ChannelMessageID: "wa:1", Text: strings.Repeat("long ", 100), At: at(2)})
		visitor := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ExternalID: "v-0123456789abcdef",
			ChannelMessageID: "w:1", Text: "Anyone there?", At: at(3)})
		closed := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelMessenger, ExternalID: "psid-1",
			Hints: contacts.Hints{FirstName: "Cleo"}, ChannelMessageID: "m:1", Text: "bye", At: at(4)})
		if err := f.svc.CloseConversation(ctx, f.project, closed.Conversation.ID); err != nil {
			t.Fatal(err)
		}
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RecordInbound(ctx, contacts.Inbound{ProjectID: other.ID, Channel: contacts.ChannelTelegram,
			ExternalID: "1", ChannelMessageID: "tg:x", Text: "elsewhere", At: at(5)}, 0); err != nil {
			t.Fatal(err)
		}
		// Staff answer Ana last: her conversation moves to the top, and she
		// no longer waits for a reply.
		f.now = at(6)
		if _, _, err := f.svc.RecordOutbound(ctx, f.project, ana.Conversation.ID, contacts.SenderStaff, "Hi Ana", ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Assign(ctx, f.project, ana.Conversation.ID, contacts.AssigneeStaff); err != nil {
			t.Fatal(err)
		}

		page, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		want := []int64{ana.Conversation.ID, visitor.Conversation.ID, bob.Conversation.ID}
		if !equalIDs(ids, want) || page.Total != 3 || page.Next != nil {
			t.Fatalf("inbox %v (total %d, next %v), want %v", ids, page.Total, page.Next, want)
		}
		first, vis, wa := page.Items[0], page.Items[1], page.Items[2]
		if first.DisplayName() != "Ana Silva" || first.Assignee != contacts.AssigneeStaff || first.AwaitingReply() ||
			first.LastMessage.Text != "Hi Ana" || first.LastMessage.SenderKind != contacts.SenderStaff || first.MessageCount != 2 {
			t.Errorf("Ana's row %+v, last %+v", first, first.LastMessage)
		}
		if vis.ContactName != "" || vis.DisplayName() != "Visitor #"+strconv.FormatInt(visitor.Contact.ID, 10) || !vis.AwaitingReply() {
			t.Errorf("the visitor's row %+v", vis)
		}
		if wa.DisplayName() != "+34600111222" || len(wa.LastMessage.Text) != contacts.InboxPreviewLen+1 || !wa.LastMessage.CreatedAt.Equal(at(2)) {
			t.Errorf("Bob's row: name %q, preview of %d chars at %v (%v)", wa.DisplayName(), len(wa.LastMessage.Text), wa.LastMessage.CreatedAt, at(2))
		}

		// Paging: two at a time, the cursor continues where the page ended.
		p1, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project, Limit: 2})
		if err != nil || len(p1.Items) != 2 || p1.Next == nil {
			t.Fatalf("first page %+v, %v", p1, err)
		}
		cur, err := contacts.ParseInboxCursor(p1.Next.String())
		if err != nil {
			t.Fatal(err)
		}
		p2, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project, Limit: 2, After: cur})
		if err != nil || len(p2.Items) != 1 || p2.Items[0].ID != bob.Conversation.ID || p2.Next != nil {
			t.Fatalf("second page %+v, %v", p2, err)
		}

		staff, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project, Assignee: contacts.AssigneeStaff})
		if err != nil || len(staff.Items) != 1 || staff.Total != 1 || staff.Items[0].ID != ana.Conversation.ID {
			t.Fatalf("staff's conversations %+v, %v", staff, err)
		}
		if _, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project, Assignee: "nobody"}); !errors.As(err, new(*contacts.ValidationError)) {
			t.Errorf("an unknown assignee: %v", err)
		}

		// One conversation, closed ones too; another project's is not found.
		it, err := f.svc.InboxItem(ctx, f.project, closed.Conversation.ID)
		if err != nil || it.Status != contacts.ConversationClosed || it.DisplayName() != "Cleo" {
			t.Fatalf("closed item %+v, %v", it, err)
		}
		otherPage, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: other.ID})
		if err != nil || len(otherPage.Items) != 1 {
			t.Fatalf("other project %+v, %v", otherPage, err)
		}
		if _, err := f.svc.InboxItem(ctx, f.project, otherPage.Items[0].ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("another project's conversation: %v", err)
		}
	})
}

func TestInboxCursorParse(t *testing.T) {
	for _, bad := range []string{"", "1", "x.1", "1.x", "-1.2", "1.0", "1.2.3"} {
		if _, err := contacts.ParseInboxCursor(bad); err == nil {
			t.Errorf("cursor %q parsed", bad)
		}
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A contact awaiting erasure is hidden: its conversations leave the inbox
// and its count, and come back when it is restored.
func TestInboxHidesContactsAwaitingErasure(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ana := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "1", ChannelMessageID: "tg:1", Text: "Hi"})
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "2", ChannelMessageID: "tg:2", Text: "Hi"})
		grace := 30
		if _, err := f.svc.UpdatePrivacySettings(ctx, f.actor, f.project, contacts.PrivacyInput{ErasureGraceDays: &grace}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.EraseContact(ctx, f.actor, f.project, ana.Contact.ID, nil); err != nil {
			t.Fatal(err)
		}
		count := func() (int, int) {
			page, err := f.svc.Inbox(ctx, contacts.InboxQuery{ProjectID: f.project})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items), page.Total
		}
		if n, total := count(); n != 1 || total != 1 {
			t.Fatalf("while awaiting erasure: %d items, total %d", n, total)
		}
		if _, err := f.svc.RestoreContact(ctx, f.actor, f.project, ana.Contact.ID); err != nil {
			t.Fatal(err)
		}
		if n, total := count(); n != 2 || total != 2 {
			t.Fatalf("after restore: %d items, total %d", n, total)
		}
	})
}
