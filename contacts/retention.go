package contacts

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RetentionInterval is the least time between two runs of a project's
// retention policies; the scheduler may call RunRetention more often.
const RetentionInterval = time.Hour

// RetentionRun is what one run of a project's policies did.
type RetentionRun struct {
	Archived            int `json:"archived"`
	PurgedContacts      int `json:"purged_contacts"`
	PurgedMessageBodies int `json:"purged_message_bodies"`
}

// RunRetention erases the contacts whose erasure grace period has ended, and
// applies every project's retention policies, each project at most once per
// RetentionInterval (the last run is kept in the store, so restarts and
// several processes sharing a database do not run them more often). A run
// that changed anything is audited as retention.run by the system, with its
// counts. A failing project does not stop the others; the errors are
// returned together.
func (s *Service) RunRetention(ctx context.Context) error {
	var errs []error
	if n, err := s.PurgeDueErasures(ctx); err != nil {
		errs = append(errs, fmt.Errorf("erasures past their grace period: %w", err))
	} else if n > 0 {
		s.log.Info("erased contacts past their grace period", "contacts", n)
	}
	now := s.now()
	due, err := s.store.RetentionDue(ctx, now.Add(-RetentionInterval))
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("retention: %w", err))...)
	}
	for _, p := range due {
		if ctx.Err() != nil {
			break
		}
		won, err := s.store.ClaimRetentionRun(ctx, p.ProjectID, now, now.Add(-RetentionInterval))
		if err != nil {
			errs = append(errs, fmt.Errorf("retention of project %d: %w", p.ProjectID, err))
			continue
		}
		if !won {
			continue
		}
		run, err := s.applyRetention(ctx, p.ProjectID, p.Settings, now)
		// What was done is recorded even when a later step failed.
		if run != (RetentionRun{}) {
			audit := NewAudit(p.ProjectID, SystemActor, AuditRetentionRun, 0, nil, map[string]any{"counts": run, "policy": p.Settings.Retention}, s.now())
			if aerr := s.store.AppendAudit(ctx, audit); aerr != nil {
				err = errors.Join(err, aerr)
			}
			s.log.Info("retention policies applied", "project_id", p.ProjectID, "archived", run.Archived,
				"purged_contacts", run.PurgedContacts, "purged_message_bodies", run.PurgedMessageBodies)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("retention of project %d: %w", p.ProjectID, err))
		}
	}
	return errors.Join(errs...)
}

// applyRetention runs one project's policies at now.
func (s *Service) applyRetention(ctx context.Context, projectID int64, set PrivacySettings, now time.Time) (RetentionRun, error) {
	var run RetentionRun
	pol := set.Retention
	if pol.ArchiveInactiveMonths > 0 {
		n, err := s.store.ArchiveInactive(ctx, projectID, now.AddDate(0, -pol.ArchiveInactiveMonths, 0), now)
		run.Archived = n
		if err != nil {
			return run, fmt.Errorf("archive inactive contacts: %w", err)
		}
	}
	if pol.PurgeArchivedMonths > 0 && pol.ArchiveInactiveMonths > 0 {
		n, err := s.purgeArchived(ctx, projectID, set.ErasureDefault, now.AddDate(0, -pol.PurgeArchivedMonths, 0))
		run.PurgedContacts = n
		if err != nil {
			return run, fmt.Errorf("purge archived contacts: %w", err)
		}
	}
	if pol.PurgeMessageBodiesDays > 0 {
		n, err := s.store.PurgeMessageBodies(ctx, projectID, now.AddDate(0, 0, -pol.PurgeMessageBodiesDays), now)
		run.PurgedMessageBodies = n
		if err != nil {
			return run, fmt.Errorf("purge message bodies: %w", err)
		}
	}
	return run, nil
}

// purgeArchived erases, in mode, the contacts archived before the given
// time with no activity since; each erasure is its own transaction.
func (s *Service) purgeArchived(ctx context.Context, projectID int64, mode ErasureMode, before time.Time) (int, error) {
	n := 0
	for ctx.Err() == nil {
		ids, err := s.store.ArchivedBefore(ctx, projectID, before, 200)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			c, err := s.store.ErasableContact(ctx, projectID, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return n, err
			}
			if err := s.eraseNow(ctx, SystemActor, c, mode, map[string]any{"reason": "retention"}); err != nil && !errors.Is(err, ErrNotFound) {
				return n, fmt.Errorf("erase contact %d: %w", id, err)
			}
			n++
		}
	}
	return n, ctx.Err()
}
