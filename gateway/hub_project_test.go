package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestProjectSubscriptionSeesItsProjectOnly(t *testing.T) {
	h := NewHub()
	proj := h.SubscribeProject(1)
	defer proj.Close()
	other := h.SubscribeProject(2)
	defer other.Close()
	contact := h.Subscribe(10)
	defer contact.Close()

	h.Publish(Event{ProjectID: 1, ContactID: 10, Message: contacts.Message{ID: 5, ConversationID: 7}})
	h.Publish(Event{Kind: EventConversationClosed, ProjectID: 1, ContactID: 10, ConversationID: 7})

	for _, want := range []string{"", EventConversationClosed} {
		select {
		case ev := <-proj.C:
			if ev.Kind != want || ev.Conversation() != 7 {
				t.Errorf("project event %+v, want kind %q about conversation 7", ev, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("no %q event for the project", want)
		}
	}
	// The contact's subscriber (a visitor's widget) gets messages only.
	if ev := <-contact.C; ev.Message.ID != 5 {
		t.Errorf("contact event %+v", ev)
	}
	select {
	case ev := <-contact.C:
		t.Errorf("the contact's subscriber got %+v", ev)
	case ev := <-other.C:
		t.Errorf("another project's subscriber got %+v", ev)
	default:
	}
}

func TestSlowProjectSubscriberIsClosedNotWaitedFor(t *testing.T) {
	h := NewHub()
	slow := h.SubscribeProject(1)
	fast := h.SubscribeProject(1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range projectBuffer + 10 {
			h.Publish(Event{ProjectID: 1, Message: contacts.Message{ID: int64(i + 1)}})
			<-fast.C // this one keeps up
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	n := 0
	for range slow.C {
		n++
	}
	if n != projectBuffer || !slow.Lagged() {
		t.Errorf("the slow subscriber got %d events (lagged %v), want %d then a close", n, slow.Lagged(), projectBuffer)
	}
	if fast.Lagged() {
		t.Error("the subscriber that kept up was marked lagged")
	}
	fast.Close()
	fast.Close() // twice is harmless
	slow.Close()
	if len(h.projects) != 0 {
		t.Errorf("subscriptions left behind: %v", h.projects)
	}
}

// TestRouterPublishesToTheProject follows one conversation's life as the
// inbox sees it: opened, the customer's message, the bot's reply, a
// handover to staff, the staff reply, the close.
func TestRouterPublishesToTheProject(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		sub := e.router.Hub().SubscribeProject(e.project)
		defer sub.Close()
		next := func(want string) Event {
			t.Helper()
			select {
			case ev := <-sub.C:
				kind := ev.Kind
				if ev.IsMessage() {
					kind = "message:" + ev.Message.SenderKind
				}
				if kind != want {
					t.Fatalf("event %+v, want %s", ev, want)
				}
				return ev
			case <-time.After(2 * time.Second):
				t.Fatalf("no %s event", want)
			}
			return Event{}
		}
		res := e.receive(t, "42", "m1", "Hello")
		if ev := next(EventConversationOpened); ev.ConversationID != res.Conversation.ID || ev.ContactID != res.Contact.ID {
			t.Errorf("opened %+v", ev)
		}
		if ev := next("message:contact"); ev.Message.ID != res.Message.ID {
			t.Errorf("inbound %+v", ev)
		}
		e.receive(t, "42", "m2", "Still there?")
		next("message:contact") // the same conversation: not opened again
		e.drain(t)
		next("message:bot")
		next("message:bot")
		if err := e.router.Assign(ctx, e.project, res.Conversation.ID, contacts.AssigneeStaff); err != nil {
			t.Fatal(err)
		}
		if ev := next(EventConversationAssigned); ev.ConversationID != res.Conversation.ID || ev.ContactID != res.Contact.ID {
			t.Errorf("assigned %+v", ev)
		}
		if _, err := e.router.SendAsStaff(ctx, e.project, res.Conversation.ID, "A person here"); err != nil {
			t.Fatal(err)
		}
		if ev := next("message:staff"); ev.Message.Status != contacts.StatusSent {
			t.Errorf("staff reply %+v", ev)
		}
		if err := e.router.CloseConversation(ctx, e.project, res.Conversation.ID); err != nil {
			t.Fatal(err)
		}
		next(EventConversationClosed)
	})
}
