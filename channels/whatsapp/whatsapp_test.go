package whatsapp

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-oss/switchboard/channels"
)

type lidMap map[string]types.JID

func (m lidMap) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	if pn, ok := m[lid.User]; ok {
		return pn, nil
	}
	return types.EmptyJID, errors.New("unknown lid")
}

func event(sender types.JID, msg *waE2E.Message, mutate ...func(*events.Message)) *events.Message {
	ev := &events.Message{Info: types.MessageInfo{
		MessageSource: types.MessageSource{Chat: sender, Sender: sender},
		ID:            "3EB0C431C26A1916E1B2", PushName: "Bea Lopes", Timestamp: time.Unix(1767000000, 0),
	}, Message: msg}
	for _, f := range mutate {
		f(ev)
	}
	return ev
}

func TestInbound(t *testing.T) {
	ctx := context.Background()
	pn := types.NewJID("5511987654321", types.DefaultUserServer)
	lid := types.NewJID("123456789012345", types.HiddenUserServer)
	hello := &waE2E.Message{Conversation: proto.String("Oi, tudo bem?")}

	in, ok := Inbound(ctx, event(pn, hello), nil, 4, 8)
	if !ok || in.ExternalID != "5511987654321" || in.VerifiedPhone != "+5511987654321" || in.Hints.FirstName != "Bea" ||
		in.Text != "Oi, tudo bem?" || in.ChannelMessageID != "3EB0C431C26A1916E1B2" || in.ChannelID != 8 || in.At.Unix() != 1767000000 {
		t.Errorf("phone sender: %+v %v", in, ok)
	}
	// A LID sender with its phone in SenderAlt, or resolvable from the store.
	in, _ = Inbound(ctx, event(lid, hello, func(e *events.Message) { e.Info.SenderAlt = pn }), nil, 4, 8)
	if in.VerifiedPhone != "+5511987654321" {
		t.Errorf("lid with alt: %+v", in)
	}
	in, _ = Inbound(ctx, event(lid, hello), lidMap{"123456789012345": pn}, 4, 8)
	if in.ExternalID != "5511987654321" {
		t.Errorf("lid resolved: %+v", in)
	}
	// An unresolvable LID stays an identity of its own.
	in, ok = Inbound(ctx, event(lid, hello), lidMap{}, 4, 8)
	if !ok || in.ExternalID != "123456789012345@lid" || in.VerifiedPhone != "" {
		t.Errorf("lid only: %+v", in)
	}
	ext := &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("link: https://x.example")}}
	if in, _ := Inbound(ctx, event(pn, ext), nil, 4, 8); in.Text != "link: https://x.example" {
		t.Errorf("extended text: %q", in.Text)
	}
	img := &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("this one")}}
	if in, _ := Inbound(ctx, event(pn, img), nil, 4, 8); in.Text != "[image] this one" {
		t.Errorf("image: %q", in.Text)
	}
	for name, f := range map[string]func(*events.Message){
		"from me": func(e *events.Message) { e.Info.IsFromMe = true },
		"group": func(e *events.Message) {
			e.Info.IsGroup = true
			e.Info.Chat = types.NewJID("1203630", types.GroupServer)
		},
		"broadcast": func(e *events.Message) { e.Info.Chat = types.StatusBroadcastJID },
		"edit":      func(e *events.Message) { e.IsEdit = true },
	} {
		if _, ok := Inbound(ctx, event(pn, hello, f), nil, 4, 8); ok {
			t.Errorf("%s: not skipped", name)
		}
	}
}

type fakeClient struct {
	to   []types.JID
	text []string
	err  error
}

func (f *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	if f.err != nil {
		return whatsmeow.SendResponse{}, f.err
	}
	f.to, f.text = append(f.to, to), append(f.text, m.GetConversation())
	return whatsmeow.SendResponse{ID: "3EB0SENT"}, nil
}

func TestSender(t *testing.T) {
	fc := &fakeClient{}
	s := NewSender(func(id int64) (Client, error) {
		if id != 8 {
			return nil, ErrNotPaired
		}
		return fc, nil
	})
	id, err := s.Send(context.Background(), channels.Outbound{ChannelID: 8, To: "5511987654321", Text: "Olá!"})
	if err != nil || id != "3EB0SENT" || fc.to[0].String() != "5511987654321@s.whatsapp.net" || fc.text[0] != "Olá!" {
		t.Fatalf("send: %q %v %v %v", id, err, fc.to, fc.text)
	}
	if _, err := s.Send(context.Background(), channels.Outbound{ChannelID: 8, To: "123456789012345@lid", Text: "x"}); err != nil || fc.to[1].Server != types.HiddenUserServer {
		t.Errorf("lid send: %v %v", err, fc.to)
	}
	fc.err = whatsmeow.ErrNotConnected
	if _, err := s.Send(context.Background(), channels.Outbound{ChannelID: 8, To: "1", Text: "x"}); err == nil {
		t.Error("disconnected send succeeded")
	} else if _, retry := channels.IsRetryable(err); !retry {
		t.Errorf("disconnected is not retryable: %v", err)
	}
	if _, err := s.Send(context.Background(), channels.Outbound{ChannelID: 9, To: "1", Text: "x"}); !errors.Is(err, ErrNotPaired) {
		t.Errorf("unpaired: %v", err)
	}
}
