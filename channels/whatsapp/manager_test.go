package whatsapp

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestManagerEvents(t *testing.T) {
	var got []contacts.Inbound
	devices := map[int64]string{}
	m := NewManager(ManagerConfig{
		Receive: func(_ context.Context, in contacts.Inbound) error { got = append(got, in); return nil },
		SetDevice: func(_ context.Context, ch *contacts.ChannelConfig, jid string) error {
			devices[ch.ID] = jid
			return nil
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	ch := &contacts.ChannelConfig{ID: 12, ProjectID: 3, Type: Type}
	pn := types.NewJID("5511987654321", types.DefaultUserServer)
	msg := &events.Message{Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: pn, Sender: pn}, ID: "ABC", PushName: "Bea",
		Timestamp: time.Unix(1767000000, 0)}, Message: &waE2E.Message{Conversation: proto.String("oi")}}

	m.Handle(ch, nil, &events.PairSuccess{ID: types.NewADJID("5511999990000", 0, 12)})
	m.Handle(ch, nil, &events.Connected{})
	m.Handle(ch, nil, msg)
	if state, _ := m.State(12); state != StateConnected || devices[12] == "" {
		t.Errorf("after pairing: state %s, device %q", state, devices[12])
	}
	if len(got) != 1 || got[0].ChannelID != 12 || got[0].ProjectID != 3 || got[0].VerifiedPhone != "+5511987654321" {
		t.Errorf("routed %+v", got)
	}
	m.Handle(ch, nil, &events.LoggedOut{})
	if state, _ := m.State(12); state != StateLoggedOut || devices[12] != "" {
		t.Errorf("after logout: state %s, device %q", state, devices[12])
	}
	if _, err := m.Client(12); err != ErrNotPaired {
		t.Errorf("client after logout: %v", err)
	}
	if state, _ := m.State(99); state != StateUnpaired {
		t.Errorf("unknown channel: %s", state)
	}
}

func TestConfig(t *testing.T) {
	if _, err := (Kind{}).Normalize(json.RawMessage(`{}`)); err != nil {
		t.Error(err)
	}
	if _, err := (Kind{}).Normalize(json.RawMessage(`{"device_jid": "5511999990000.0:12@s.whatsapp.net"}`)); err != nil {
		t.Error(err)
	}
	if _, err := (Kind{}).Normalize(json.RawMessage(`{"token": "x"}`)); err == nil {
		t.Error("unknown setting accepted")
	}
}
