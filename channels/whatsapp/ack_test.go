package whatsapp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-oss/switchboard/contacts"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestHandleReportsWhetherStored: whatsmeow (SynchronousAck) acknowledges a
// message only when the handler returns true, so Handle must return false
// exactly when a message that could be stored was not.
func TestHandleReportsWhetherStored(t *testing.T) {
	pn := types.NewJID("5511987654321", types.DefaultUserServer)
	msg := func(fromMe bool) *events.Message {
		return &events.Message{Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: pn, Sender: pn, IsFromMe: fromMe},
			ID: "ABC", Timestamp: time.Unix(1767000000, 0)}, Message: &waE2E.Message{Conversation: proto.String("oi")}}
	}
	for _, tc := range []struct {
		name    string
		evt     any
		receive error
		want    bool
		calls   int
	}{
		{"stored", msg(false), nil, true, 1},
		{"save failed: not acked, redelivered", msg(false), errors.New("database is locked"), false, 1},
		{"shutting down: not acked", msg(false), context.Canceled, false, 1},
		{"never storable: acked", msg(false), contacts.Invalid("text", "too long"), true, 1},
		{"our own message: acked unstored", msg(true), errors.New("unused"), true, 0},
		{"connection event", &events.Connected{}, errors.New("unused"), true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			m := NewManager(ManagerConfig{Logger: quietLog(), Receive: func(context.Context, contacts.Inbound) error {
				calls++
				return tc.receive
			}})
			if got := m.Handle(&contacts.ChannelConfig{ID: 1, ProjectID: 1, Type: Type}, nil, tc.evt); got != tc.want || calls != tc.calls {
				t.Errorf("Handle = %v after %d receives, want %v after %d", got, calls, tc.want, tc.calls)
			}
		})
	}
}

// TestClientAcksAfterHandlers: the clients the manager builds defer acks
// to the handlers' result, keep decrypted messages for redelivery, and
// tell whatsmeow when a message was not stored.
func TestClientAcksAfterHandlers(t *testing.T) {
	fail := true
	m := NewManager(ManagerConfig{Logger: quietLog(), Receive: func(context.Context, contacts.Inbound) error {
		if fail {
			return errors.New("disk full")
		}
		return nil
	}})
	cli := m.client(&contacts.ChannelConfig{ID: 4, Type: Type}, &store.Device{})
	if !cli.SynchronousAck || !cli.EnableDecryptedEventBuffer {
		t.Errorf("SynchronousAck %v, EnableDecryptedEventBuffer %v", cli.SynchronousAck, cli.EnableDecryptedEventBuffer)
	}
	if cli.AutoReconnectHook == nil {
		t.Error("whatsmeow's uncapped reconnect loop is not handed over")
	}
	pn := types.NewJID("5511987654321", types.DefaultUserServer)
	msg := &events.Message{Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: pn, Sender: pn}, ID: "ABC"},
		Message: &waE2E.Message{Conversation: proto.String("oi")}}
	// DispatchEvent is what whatsmeow runs before deciding to ack.
	if failed := cli.DangerousInternals().DispatchEvent(msg); !failed {
		t.Error("a message whose save failed was reported handled: whatsmeow would ack it")
	}
	fail = false
	if failed := cli.DangerousInternals().DispatchEvent(msg); failed {
		t.Error("a stored message was reported failed: whatsmeow would never ack it")
	}
}
