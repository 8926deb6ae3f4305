package contacts

import (
	"context"
	"fmt"
	"time"
)

// Suggestion is an AI value that conflicts with what a contact has, kept for
// staff to accept (it replaces the value, as staff's) or reject (it is never
// suggested again).
type Suggestion struct {
	ID         int64     `json:"id"`
	ProjectID  int64     `json:"-"`
	ContactID  int64     `json:"contact_id"`
	Field      string    `json:"field"`
	Value      string    `json:"value"`
	Current    string    `json:"current"` // the contact's value when suggested
	Confidence float64   `json:"confidence"`
	MessageIDs []int64   `json:"message_ids"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	DecidedAt  time.Time `json:"decided_at"` // zero while pending
	DecidedBy  string    `json:"decided_by,omitempty"`
}

// Suggestion statuses.
const (
	SuggestionPending  = "pending"
	SuggestionAccepted = "accepted"
	SuggestionRejected = "rejected"
)

// AuditSuggestionAccept is the audit action of an accepted suggestion.
const AuditSuggestionAccept = "suggestion.accept"

// ListSuggestions lists a contact's suggestions with the given status ("" for all), newest first.
func (s *Service) ListSuggestions(ctx context.Context, projectID, contactID int64, status string) ([]Suggestion, error) {
	switch status {
	case "", SuggestionPending, SuggestionAccepted, SuggestionRejected:
	default:
		return nil, Invalid("status", "must be pending, accepted or rejected")
	}
	out, err := s.store.ListSuggestions(ctx, projectID, contactID, status)
	if err != nil {
		return nil, fmt.Errorf("list suggestions of contact %d: %w", contactID, err)
	}
	return out, nil
}

// DecideSuggestion accepts or rejects a pending suggestion. Accepting writes
// the value as the actor's (staff provenance for a user), with the same
// validation as any edit; a value another contact holds is a conflict.
func (s *Service) DecideSuggestion(ctx context.Context, actor Actor, projectID, contactID, id int64, accept bool) (*Suggestion, *Contact, error) {
	now := s.now()
	sg, c, err := s.store.DecideSuggestion(ctx, projectID, contactID, id, accept, actor, now, func(c *Contact, sg *Suggestion) error {
		v := sg.Value
		in := ContactInput{}
		switch sg.Field {
		case "first_name":
			in.FirstName = &v
		case "last_name":
			in.LastName = &v
		case "email":
			in.Email = &v
		case "phone":
			in.Phone = &v
		case "company":
			in.Company = &v
		case "country":
			in.Country = &v
		default:
			return Invalid("field", "cannot be set from a suggestion")
		}
		if err := in.Apply(c, sourceFor(actor), now, s.region); err != nil {
			return err
		}
		c.UpdatedAt = now
		c.ApplyLead(now)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("decide suggestion %d: %w", id, err)
	}
	return sg, c, nil
}
