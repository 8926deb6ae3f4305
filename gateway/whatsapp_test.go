package gateway

import (
	"context"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/contacts"
)

// whatsmeow's own event types, through the manager and the router into a
// real store: the contact, its identity, conversation and message rows, and
// a redelivered event adds nothing.
func TestWhatsAppEventsLandInTheStore(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		m := whatsapp.NewManager(whatsapp.ManagerConfig{Logger: quiet,
			Receive: func(ctx context.Context, in contacts.Inbound) error { _, err := e.router.Receive(ctx, in); return err }})
		ch := &contacts.ChannelConfig{ID: 0, ProjectID: e.project, Type: whatsapp.Type}
		pn := types.NewJID("5511987654321", types.DefaultUserServer)
		msg := func(id, text string) *events.Message {
			return &events.Message{Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: pn, Sender: pn}, ID: types.MessageID(id),
				PushName: "Bea Lopes", Timestamp: e.now}, Message: &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text)}}}
		}
		for _, ev := range []*events.Message{msg("3EB0A1", "oi, tudo bem?"), msg("3EB0A1", "oi, tudo bem?"), msg("3EB0A2", "quero saber o preço")} {
			e.now = e.now.Add(time.Second)
			if !m.Handle(ch, nil, ev) {
				t.Fatalf("event %s not acknowledged", ev.Info.ID)
			}
		}
		list, err := e.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: e.project, PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Contacts) != 1 {
			t.Fatalf("%d contacts", len(list.Contacts))
		}
		c := list.Contacts[0]
		wa, ok := c.Identity(contacts.ChannelWhatsApp)
		if c.Phone != "+5511987654321" || c.FirstName != "Bea" || !ok || wa.ExternalID == "" {
			t.Errorf("contact %+v", c)
		}
		convs, err := e.svc.ListConversations(ctx, e.project, c.ID)
		if err != nil || len(convs) != 1 || convs[0].MessageCount != 2 {
			t.Fatalf("conversations %+v (%v)", convs, err)
		}
		msgs, _ := e.svc.ListMessages(ctx, e.project, convs[0].ID, 0, 0)
		if len(msgs) != 2 || msgs[0].Text != "oi, tudo bem?" || msgs[1].Text != "quero saber o preço" {
			t.Errorf("messages %+v", msgs)
		}
	})
}
