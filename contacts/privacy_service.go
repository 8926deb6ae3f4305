package contacts

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PrivacySettings returns the project's privacy settings.
func (s *Service) PrivacySettings(ctx context.Context, projectID int64) (*PrivacySettings, error) {
	set, err := s.store.PrivacySettings(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("privacy settings: %w", err)
	}
	return set, nil
}

// UpdatePrivacySettings changes the project's privacy settings; agents may
// not.
func (s *Service) UpdatePrivacySettings(ctx context.Context, actor Actor, projectID int64, in PrivacyInput) (*PrivacySettings, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot change privacy settings: %w", ErrForbidden)
	}
	set, err := s.store.UpdatePrivacySettings(ctx, projectID, actor, s.now(), in.Apply)
	if err != nil {
		return nil, fmt.Errorf("update privacy settings: %w", err)
	}
	return set, nil
}

// EraseContact erases a contact, or with a grace period in the project's
// settings hides it until the period ends (restorable with RestoreContact),
// then the scheduler erases it. keepHistory picks the mode (anonymise and
// keep the conversations, or delete them); nil takes the project's default.
// It returns the pending erasure, or nil when the contact is erased already.
// Agents may not erase.
func (s *Service) EraseContact(ctx context.Context, actor Actor, projectID, id int64, keepHistory *bool) (*Erasure, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot delete contacts: %w", ErrForbidden)
	}
	set, err := s.PrivacySettings(ctx, projectID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.GetContact(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("erase contact %d: %w", id, err)
	}
	mode := set.ErasureDefault
	if keepHistory != nil {
		mode = ErasureDelete
		if *keepHistory {
			mode = ErasureAnonymize
		}
	}
	if set.ErasureGraceDays == 0 {
		if err := s.eraseNow(ctx, actor, c, mode, nil); err != nil {
			return nil, fmt.Errorf("erase contact %d: %w", id, err)
		}
		return nil, nil
	}
	now := s.now()
	e := &Erasure{ProjectID: projectID, ContactID: id, Name: c.Name(), Mode: mode, RequestedAt: now,
		EraseAfter: now.AddDate(0, 0, set.ErasureGraceDays), ActorKind: actor.Kind, ActorID: actor.ID, ActorName: actor.Name}
	// Names the mode and the date, never the contact's values.
	audit := NewAudit(projectID, actor, AuditErasureRequest, id, nil, map[string]any{"mode": mode, "erase_after": e.EraseAfter}, now)
	if err := s.store.RequestErasure(ctx, e, audit); err != nil {
		return nil, fmt.Errorf("erase contact %d: %w", id, err)
	}
	return e, nil
}

// eraseNow erases c for good in mode. The audit entry records the erasure
// (mode and detail), not the erased data; the store scrubs the contact's
// earlier entries.
func (s *Service) eraseNow(ctx context.Context, actor Actor, c *Contact, mode ErasureMode, detail map[string]any) error {
	var redact func(string) string
	if mode == ErasureAnonymize {
		redact = c.Redactor()
	}
	after := map[string]any{"keep_history": mode == ErasureAnonymize}
	for k, v := range detail {
		after[k] = v
	}
	audit := NewAudit(c.ProjectID, actor, AuditContactDelete, c.ID, nil, after, s.now())
	return s.store.DeleteContact(ctx, c.ProjectID, c.ID, redact, audit)
}

// RestoreContact cancels a pending erasure; the contact shows again as it
// was. ErrNotFound when none is pending, ErrConflict when the grace period
// is over. Agents may not restore.
func (s *Service) RestoreContact(ctx context.Context, actor Actor, projectID, id int64) (*Contact, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot restore contacts: %w", ErrForbidden)
	}
	now := s.now()
	if err := s.store.CancelErasure(ctx, projectID, id, now, NewAudit(projectID, actor, AuditErasureCancel, id, nil, nil, now)); err != nil {
		return nil, fmt.Errorf("restore contact %d: %w", id, err)
	}
	return s.GetContact(ctx, projectID, id)
}

// ListErasures lists the project's pending erasures; agents may not.
func (s *Service) ListErasures(ctx context.Context, actor Actor, projectID int64) ([]Erasure, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot see pending erasures: %w", ErrForbidden)
	}
	es, err := s.store.ListErasures(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("list erasures: %w", err)
	}
	return es, nil
}

// PurgeDueErasures erases the contacts whose grace period has ended, in the
// mode asked for, and returns how many it erased.
func (s *Service) PurgeDueErasures(ctx context.Context) (int, error) {
	n := 0
	for {
		es, err := s.store.DueErasures(ctx, s.now(), 200)
		if err != nil || len(es) == 0 {
			return n, err
		}
		for _, e := range es {
			// Another process may have erased it meanwhile.
			c, err := s.store.ErasableContact(ctx, e.ProjectID, e.ContactID)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return n, fmt.Errorf("erase contact %d: %w", e.ContactID, err)
			}
			detail := map[string]any{"requested_by": e.ActorName, "requested_at": e.RequestedAt.Format(time.RFC3339)}
			if err := s.eraseNow(ctx, SystemActor, c, e.Mode, detail); err != nil && !errors.Is(err, ErrNotFound) {
				return n, fmt.Errorf("erase contact %d: %w", e.ContactID, err)
			}
			n++
		}
	}
}
