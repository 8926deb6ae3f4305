// Package natsbus carries the gateway's live events between serve
// processes over NATS, so a staff reply handled by one process reaches a
// visitor whose socket is held by another.
package natsbus

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/switchboard-oss/switchboard/gateway"
)

// Subject carries message events; a process keeps only its subscribers'
// ones. ConversationSubject carries the conversation events (opened,
// closed, handed over) on a subject of their own, so a process of an
// earlier version, which reads every event on Subject as a message, never
// sees them during a rolling upgrade.
const (
	Subject             = "switchboard.events"
	ConversationSubject = "switchboard.conversations"
)

// Bus is a gateway.Bus over a NATS connection.
type Bus struct {
	nc   *nats.Conn
	subs []*nats.Subscription
	log  *slog.Logger
}

var _ gateway.Bus = (*Bus)(nil)

// Connect opens a connection that reconnects by itself.
func Connect(url string, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	nc, err := nats.Connect(url, nats.Name("switchboard"), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { log.Warn("nats disconnected", "error", err) }),
		nats.ReconnectHandler(func(*nats.Conn) { log.Info("nats reconnected") }))
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", url, err)
	}
	return &Bus{nc: nc, log: log.With("component", "natsbus")}, nil
}

// Publish sends an event to every process.
func (b *Bus) Publish(ev gateway.Event) error {
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	subject := Subject
	if !ev.IsMessage() {
		subject = ConversationSubject
	}
	return b.nc.Publish(subject, raw)
}

// Listen delivers every process's events to fn.
func (b *Bus) Listen(fn func(gateway.Event)) error {
	handle := func(m *nats.Msg) {
		var ev gateway.Event
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			b.log.Warn("drop a malformed event", "error", err)
			return
		}
		fn(ev)
	}
	for _, subject := range []string{Subject, ConversationSubject} {
		sub, err := b.nc.Subscribe(subject, handle)
		if err != nil {
			return fmt.Errorf("subscribe to %s: %w", subject, err)
		}
		b.subs = append(b.subs, sub)
	}
	return b.nc.Flush()
}

// Close drains the subscription and closes the connection.
func (b *Bus) Close() {
	for _, sub := range b.subs {
		sub.Unsubscribe()
	}
	b.nc.Close()
}
