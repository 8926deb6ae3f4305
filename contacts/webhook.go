package contacts

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhook event types an endpoint may subscribe to.
const (
	EventContactCreated     = "contact.created"
	EventContactUpdated     = "contact.updated"
	EventContactMerged      = "contact.merged"
	EventContactDeleted     = "contact.deleted"
	EventConversationClosed = "conversation.closed"
)

// WebhookEventTypes lists every event type, in the order the API documents.
var WebhookEventTypes = []string{EventContactCreated, EventContactUpdated, EventContactMerged,
	EventContactDeleted, EventConversationClosed}

// AuditConversationClose is the audit action of a closed conversation; the
// webhook fan-out turns it into conversation.closed.
const AuditConversationClose = "conversation.close"

// JobWebhookDelivery sends one event to one endpoint. Its payload is a
// WebhookJob.
const JobWebhookDelivery = "webhook.delivery"

// WebhookEndpoint is where a project's events are POSTed. Secret signs each
// delivery; the API shows it only when it is made. During a rotation the
// previous secret keeps signing too until PreviousUntil, so receivers can
// switch without losing deliveries.
type WebhookEndpoint struct {
	ID             int64
	ProjectID      int64
	URL            string
	Description    string
	Events         []string
	Active         bool
	Secret         string
	PreviousSecret string
	PreviousUntil  time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Subscribed reports whether the endpoint wants events of type typ.
func (w *WebhookEndpoint) Subscribed(typ string) bool { return slices.Contains(w.Events, typ) }

// Secrets returns the secrets that sign a delivery at now: the current one,
// then the previous one while it is still honoured.
func (w *WebhookEndpoint) Secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.PreviousSecret != "" && now.Before(w.PreviousUntil) {
		out = append(out, w.PreviousSecret)
	}
	return out
}

// WebhookInput creates or changes an endpoint; nil leaves a field as it is
// (on create url and events are required; active defaults to true).
type WebhookInput struct {
	URL         *string   `json:"url"`
	Events      *[]string `json:"events"`
	Active      *bool     `json:"active"`
	Description *string   `json:"description"`
}

// Limits of an endpoint's fields.
const (
	maxWebhookURL         = 2048
	maxWebhookDescription = 500
	// MaxWebhooksPerProject bounds a project's endpoints: every change fans
	// out to each of them.
	MaxWebhooksPerProject = 20
)

// Apply validates in and writes it onto w.
func (in WebhookInput) Apply(w *WebhookEndpoint) error {
	v := &ValidationError{}
	in.apply(w, v)
	return v.Err()
}

// apply writes in onto w, recording problems in v.
func (in WebhookInput) apply(w *WebhookEndpoint, v *ValidationError) {
	if in.URL != nil {
		u, err := ValidateWebhookURL(*in.URL)
		if err != nil {
			v.Add("url", err.Error())
		}
		w.URL = u
	}
	if in.Events != nil {
		evs, err := normalizeEvents(*in.Events)
		if err != nil {
			v.Add("events", err.Error())
		}
		w.Events = evs
	}
	if in.Description != nil {
		d := strings.TrimSpace(*in.Description)
		if len(d) > maxWebhookDescription {
			v.Add("description", fmt.Sprintf("must be at most %d bytes", maxWebhookDescription))
		}
		w.Description = d
	}
	if in.Active != nil {
		w.Active = *in.Active
	}
}

// ValidateWebhookURL checks an endpoint URL and returns it trimmed: an
// absolute http or https URL with a host, without credentials (the secret
// authenticates deliveries, and a URL is shown in lists and logs) and
// without a fragment (never sent). Private addresses are allowed: a
// self-hosted CRM often lives on one; the dispatcher can refuse them at
// send time (gateway/webhooks Config.BlockPrivate).
func ValidateWebhookURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("is required")
	}
	if len(s) > maxWebhookURL {
		return "", fmt.Errorf("must be at most %d bytes", maxWebhookURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("is not a valid URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("must be an http or https URL")
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("must name a host")
	case u.User != nil:
		return "", fmt.Errorf("must not carry credentials: the signing secret authenticates deliveries")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", fmt.Errorf("must not have a fragment")
	case strings.ContainsAny(s, " \t\r\n"):
		return "", fmt.Errorf("must not contain spaces")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("has an invalid port")
		}
	}
	return s, nil
}

// normalizeEvents checks event types and returns them without repeats, in
// the documented order.
func normalizeEvents(evs []string) ([]string, error) {
	if len(evs) == 0 {
		return nil, fmt.Errorf("must name at least one of %s", strings.Join(WebhookEventTypes, ", "))
	}
	for _, e := range evs {
		if !slices.Contains(WebhookEventTypes, e) {
			return nil, fmt.Errorf("unknown event %q: want %s", e, strings.Join(WebhookEventTypes, ", "))
		}
	}
	out := make([]string, 0, len(evs))
	for _, t := range WebhookEventTypes {
		if slices.Contains(evs, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// WebhookEvent is one event as the fan-out derives it from an audit entry:
// ids only. The delivery renders the body when it is sent, so a retry never
// sends a stale contact, and an erased contact is never sent at all.
type WebhookEvent struct {
	// ID is stable across retries and redeliveries ("evt_<audit id>"), for
	// receivers to deduplicate.
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	AuditID        int64     `json:"audit_id"`
	ContactID      int64     `json:"contact_id"`
	ConversationID int64     `json:"conversation_id,omitempty"`
	MergedIDs      []int64   `json:"merged_ids,omitempty"`
	At             time.Time `json:"at"`
}

// WebhookJob is the payload of JobWebhookDelivery.
type WebhookJob struct {
	EndpointID int64        `json:"endpoint_id"`
	Event      WebhookEvent `json:"event"`
	// Manual marks a redelivery staff asked for.
	Manual bool `json:"manual,omitempty"`
}

// WebhookEventsOf maps an audit entry to the webhook events it raises. What
// a channel does to a contact without auditing it (a message moving
// last_seen) raises none, so chat traffic does not flood receivers.
func WebhookEventsOf(e AuditEntry) []WebhookEvent {
	ev := WebhookEvent{ID: "evt_" + strconv.FormatInt(e.ID, 10), AuditID: e.ID, ContactID: e.ContactID, At: e.At}
	switch e.Action {
	case AuditContactCreate:
		ev.Type = EventContactCreated
	case AuditContactUpdate, AuditContactEnrich, AuditSuggestionAccept:
		ev.Type = EventContactUpdated
	case AuditContactMerge:
		ev.Type = EventContactMerged
		ev.MergedIDs = mergedIDs(e.Before)
	case AuditContactDelete, AuditPurgeVisitor:
		ev.Type = EventContactDeleted
	case AuditConversationClose:
		ev.Type = EventConversationClosed
		var after struct {
			ConversationID int64 `json:"conversation_id"`
		}
		if json.Unmarshal(e.After, &after) != nil || after.ConversationID == 0 {
			return nil
		}
		ev.ConversationID = after.ConversationID
	case AuditImportCreate:
		ev.Type = EventContactCreated
		ids := importCreatedIDs(e.After)
		out := make([]WebhookEvent, 0, len(ids))
		for _, id := range ids {
			o := ev
			o.ID, o.ContactID = ev.ID+"_"+strconv.FormatInt(id, 10), id
			out = append(out, o)
		}
		return out
	case AuditMergeUndo:
		// The primary is restored in place and the merged-away contacts
		// come back with their ids: each is an update to a receiver that
		// saw the merge.
		ev.Type = EventContactUpdated
		out := []WebhookEvent{ev}
		for _, id := range restoredIDs(e.After) {
			if id != e.ContactID {
				o := ev
				o.ID, o.ContactID = ev.ID+"_"+strconv.FormatInt(id, 10), id
				out = append(out, o)
			}
		}
		return out
	default:
		return nil
	}
	return []WebhookEvent{ev}
}

// WebhookDetailActions are the audit actions whose before/after the fan-out
// needs (WebhookEventsOf reads them); for the rest it skips the snapshots.
var WebhookDetailActions = []string{AuditContactMerge, AuditMergeUndo, AuditConversationClose, AuditImportCreate}

// mergedIDs reads the merged-away contacts' ids from a merge's before
// snapshot ({"others": [{"contact": {"id": ...}}]}).
func mergedIDs(before json.RawMessage) []int64 {
	var snap struct {
		Others []struct {
			Contact struct {
				ID int64 `json:"id"`
			} `json:"contact"`
		} `json:"others"`
	}
	if json.Unmarshal(before, &snap) != nil {
		return nil
	}
	ids := make([]int64, 0, len(snap.Others))
	for _, o := range snap.Others {
		if o.Contact.ID != 0 {
			ids = append(ids, o.Contact.ID)
		}
	}
	return ids
}

// restoredIDs reads the contacts' ids from an undone merge's after (a list
// of contacts).
func restoredIDs(after json.RawMessage) []int64 {
	var cs []struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(after, &cs) != nil {
		return nil
	}
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

// Webhook delivery outcomes.
const (
	DeliveryDelivered = "delivered" // 2xx
	DeliveryRetrying  = "retrying"  // failed; queued again at RetryAt
	DeliveryFailed    = "failed"    // failed for good: a 4xx, a redirect, or out of attempts
	DeliverySkipped   = "skipped"   // nothing to send: the contact or conversation is gone
)

// WebhookDelivery is one attempt to deliver an event, as the delivery log
// keeps it.
type WebhookDelivery struct {
	ID         int64
	ProjectID  int64
	EndpointID int64
	Event      WebhookEvent
	Attempt    int
	Manual     bool
	Outcome    string
	StatusCode int // 0 when no response came
	Error      string
	// Response is the start of the receiver's answer, for debugging.
	Response string
	Duration time.Duration
	RetryAt  time.Time
	At       time.Time
}

// WebhookFanOut counts what one fan-out pass did.
type WebhookFanOut struct {
	Entries int // audit entries read
	Jobs    int // deliveries queued
}
