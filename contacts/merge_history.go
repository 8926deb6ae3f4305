package contacts

import (
	"context"
	"fmt"
)

// MergeHistoryStore reads the records merges keep for undo.
type MergeHistoryStore interface {
	// GetMerge returns one merge of the project; ErrNotFound for an unknown
	// one or one of another project.
	GetMerge(ctx context.Context, projectID, id int64) (*Merge, error)
	// MergesOfContact lists up to limit merges the contact took part in,
	// as the primary or as a contact merged away, newest first.
	MergesOfContact(ctx context.Context, projectID, contactID int64, limit int) ([]Merge, error)
}

// GetMerge returns a merge record, e.g. for the page that offers its undo.
func (s *Service) GetMerge(ctx context.Context, projectID, id int64) (*Merge, error) {
	m, err := s.store.GetMerge(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("get merge %d: %w", id, err)
	}
	return m, nil
}

// ContactMerges lists the merges a contact took part in, newest first (at
// most limit; 0 means 20).
func (s *Service) ContactMerges(ctx context.Context, projectID, contactID int64, limit int) ([]Merge, error) {
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	ms, err := s.store.MergesOfContact(ctx, projectID, contactID, limit)
	if err != nil {
		return nil, fmt.Errorf("merges of contact %d: %w", contactID, err)
	}
	return ms, nil
}
