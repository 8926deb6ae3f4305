package contacts

import (
	"context"
	"fmt"
)

// The API key changes an owner makes: role-checked, scoped to the
// project and audited. The audit entry names the key by id, name and
// visible prefix; the secret is never stored, so it cannot leak there.

// apiKeyAudit is what the audit log keeps of a key.
type apiKeyAudit struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
}

// APIKeys lists the project's keys, revoked ones included; owners only.
func (s *Service) APIKeys(ctx context.Context, actor Actor, projectID int64) ([]APIKey, error) {
	if err := MayManageAccess(actor); err != nil {
		return nil, err
	}
	if projectID == 0 {
		return nil, fmt.Errorf("api keys: no project: %w", ErrInvalid)
	}
	return s.store.ListAPIKeys(ctx, projectID)
}

// CreateAPIKeyBy makes a key for the project as actor (an owner) and
// returns it with its secret, to be shown once.
func (s *Service) CreateAPIKeyBy(ctx context.Context, actor Actor, projectID int64, name string) (*APIKey, string, error) {
	if err := MayManageAccess(actor); err != nil {
		return nil, "", err
	}
	k, secret, err := s.CreateAPIKey(ctx, projectID, name)
	if err != nil {
		return nil, "", err
	}
	s.AuditSettings(ctx, actor, projectID, AuditAPIKeyCreate, nil, apiKeyAudit{ID: k.ID, Name: k.Name, Prefix: k.Prefix})
	return k, secret, nil
}

// RevokeAPIKeyBy revokes one of the project's keys as actor (an owner).
// ErrNotFound for another project's key, an unknown one, or one revoked
// already.
func (s *Service) RevokeAPIKeyBy(ctx context.Context, actor Actor, projectID, id int64) error {
	keys, err := s.APIKeys(ctx, actor, projectID)
	if err != nil {
		return err
	}
	var key *APIKey
	for i := range keys {
		if keys[i].ID == id && keys[i].RevokedAt.IsZero() {
			key = &keys[i]
		}
	}
	if key == nil {
		return fmt.Errorf("api key %d: %w", id, ErrNotFound)
	}
	if err := s.RevokeAPIKey(ctx, id); err != nil {
		return err
	}
	s.AuditSettings(ctx, actor, projectID, AuditAPIKeyRevoke, apiKeyAudit{ID: key.ID, Name: key.Name, Prefix: key.Prefix}, nil)
	return nil
}
