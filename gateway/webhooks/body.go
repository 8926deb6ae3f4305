package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Envelope is the JSON body of every delivery.
type Envelope struct {
	// ID is the event id, the same on every retry and redelivery: receivers
	// deduplicate by it.
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"` // when the change happened
	ProjectID int64     `json:"project_id"`
	Data      any       `json:"data"`
}

// Data of each event type. Contacts and conversations are rendered when the
// delivery is sent, so a late retry carries the current state, never an
// older one than a delivery before it.
type (
	contactData struct {
		ContactID int64 `json:"contact_id"`
		Contact   any   `json:"contact"`
	}
	mergedData struct {
		ContactID int64   `json:"contact_id"` // the primary, which the others were folded into
		Contact   any     `json:"contact"`
		MergedIDs []int64 `json:"merged_ids"` // erased by the merge
	}
	deletedData struct {
		ContactID int64 `json:"contact_id"` // the data is erased: only its id is sent
	}
	conversationData struct {
		ContactID    *int64 `json:"contact_id"` // null when the contact was erased with its history kept
		Conversation any    `json:"conversation"`
		Contact      any    `json:"contact"`
	}
)

// errGone is a delivery with nothing left to send: the contact or
// conversation was erased or merged away before it went out (the event
// that erased it is delivered in its own right).
var errGone = errors.New("nothing to send")

// body renders an event's envelope.
func (d *Dispatcher) body(ctx context.Context, projectID int64, ev contacts.WebhookEvent) ([]byte, error) {
	env := Envelope{ID: ev.ID, Type: ev.Type, CreatedAt: ev.At.UTC(), ProjectID: projectID}
	switch ev.Type {
	case contacts.EventContactDeleted:
		env.Data = deletedData{ContactID: ev.ContactID}
	case contacts.EventConversationClosed:
		conv, err := d.svc.Conversation(ctx, projectID, ev.ConversationID)
		if errors.Is(err, contacts.ErrNotFound) {
			return nil, fmt.Errorf("conversation %d is gone: %w", ev.ConversationID, errGone)
		}
		if err != nil {
			return nil, err
		}
		data := conversationData{Conversation: d.cfg.RenderConversation(conv)}
		if conv.ContactID != 0 {
			c, err := d.svc.GetContact(ctx, projectID, conv.ContactID)
			switch {
			case err == nil:
				id := conv.ContactID
				data.ContactID, data.Contact = &id, d.cfg.RenderContact(c)
			case !errors.Is(err, contacts.ErrNotFound):
				return nil, err
			}
		}
		env.Data = data
	default:
		c, err := d.svc.GetContact(ctx, projectID, ev.ContactID)
		if errors.Is(err, contacts.ErrNotFound) {
			return nil, fmt.Errorf("contact %d no longer exists: %w", ev.ContactID, errGone)
		}
		if err != nil {
			return nil, err
		}
		if ev.Type == contacts.EventContactMerged {
			ids := ev.MergedIDs
			if ids == nil {
				ids = []int64{}
			}
			env.Data = mergedData{ContactID: c.ID, Contact: d.cfg.RenderContact(c), MergedIDs: ids}
		} else {
			env.Data = contactData{ContactID: c.ID, Contact: d.cfg.RenderContact(c)}
		}
	}
	return json.Marshal(env)
}
