package gateway

import (
	"sync"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Event is something live views follow: a message stored in a
// conversation (a visitor's chat socket, the staff inbox), or a
// conversation opened, closed or handed over (the staff inbox).
type Event struct {
	// Kind is EventMessage (also when empty) or one of the conversation
	// kinds, which carry ConversationID and no Message.
	Kind           string `json:",omitempty"`
	ProjectID      int64
	ContactID      int64
	ConversationID int64 `json:",omitempty"`
	Message        contacts.Message
}

// Event kinds.
const (
	EventMessage              = "message"
	EventConversationOpened   = "conversation.opened"
	EventConversationClosed   = "conversation.closed"
	EventConversationAssigned = "conversation.assigned"
)

// IsMessage reports an event about a stored message.
func (ev Event) IsMessage() bool { return ev.Kind == "" || ev.Kind == EventMessage }

// Conversation is the id of the conversation the event is about.
func (ev Event) Conversation() int64 {
	if ev.IsMessage() {
		return ev.Message.ConversationID
	}
	return ev.ConversationID
}

// Hub fans events out to subscribers by contact (message events only) and
// by project (every event). A slow subscriber never holds the router up: a
// contact's subscriber misses events, and clients catch up through the
// message list (after=) they already use; a project's subscriber is closed
// (see ProjectSubscription). Alone it reaches this process's
// subscribers; with a Bus (NATS) every serve process sharing the database
// sees every event.
type Hub struct {
	mu       sync.Mutex
	subs     map[int64]map[*Subscription]struct{}
	projects map[int64]map[*ProjectSubscription]struct{}
	bus      Bus
}

// Bus carries events between serve processes.
type Bus interface {
	// Publish sends an event to every process (this one included).
	Publish(ev Event) error
	// Listen delivers every process's events to fn until the bus closes.
	Listen(fn func(Event)) error
}

// UseBus routes events through a bus: Publish goes to the bus, and what the
// bus delivers is fanned out here. Call it before publishing.
func (h *Hub) UseBus(b Bus) error {
	if err := b.Listen(h.fanOut); err != nil {
		return err
	}
	h.mu.Lock()
	h.bus = b
	h.mu.Unlock()
	return nil
}

// Subscription receives the events of one contact until closed.
type Subscription struct {
	C       chan Event
	hub     *Hub
	contact int64
	once    sync.Once
}

// NewHub makes an empty hub.
func NewHub() *Hub {
	return &Hub{subs: map[int64]map[*Subscription]struct{}{}, projects: map[int64]map[*ProjectSubscription]struct{}{}}
}

// Subscribe follows one contact's conversations.
func (h *Hub) Subscribe(contactID int64) *Subscription {
	s := &Subscription{C: make(chan Event, 64), hub: h, contact: contactID}
	h.mu.Lock()
	if h.subs[contactID] == nil {
		h.subs[contactID] = map[*Subscription]struct{}{}
	}
	h.subs[contactID][s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Close stops the subscription and closes its channel.
func (s *Subscription) Close() {
	s.once.Do(func() {
		h := s.hub
		h.mu.Lock()
		delete(h.subs[s.contact], s)
		if len(h.subs[s.contact]) == 0 {
			delete(h.subs, s.contact)
		}
		h.mu.Unlock()
		close(s.C)
	})
}

// Publish hands ev to the contact's and the project's subscribers, in
// every process when a bus is in use, without waiting.
func (h *Hub) Publish(ev Event) {
	h.mu.Lock()
	bus := h.bus
	h.mu.Unlock()
	if bus != nil {
		if err := bus.Publish(ev); err == nil {
			return
		}
		// The bus is down: this process's subscribers still get it.
	}
	h.fanOut(ev)
}

func (h *Hub) fanOut(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.IsMessage() {
		for s := range h.subs[ev.ContactID] {
			select {
			case s.C <- ev:
			default:
			}
		}
	}
	h.fanOutProject(ev)
}
