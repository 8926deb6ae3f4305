package contacts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Bulk actions.
const (
	BulkAddTags      = "add_tags"
	BulkRemoveTags   = "remove_tags"
	BulkSet          = "set"
	BulkDoNotContact = "set_do_not_contact"
	BulkDelete       = "delete"
)

// BulkRequest applies one action to the listed contacts, or to every contact
// the query matches (not just one page).
type BulkRequest struct {
	IDs          []int64
	Query        *ListQuery
	Action       string
	Tags         []string
	Set          *ContactInput
	DoNotContact bool
	// KeepHistory picks the erasure mode of a delete; nil takes the
	// project's default, and its grace period applies as for one contact.
	KeepHistory *bool
}

// BulkResult says what a bulk action did at once, or which job does it.
type BulkResult struct {
	Matched  int   `json:"matched"`
	Affected int   `json:"affected"`
	Failed   int   `json:"failed"`
	JobID    int64 `json:"job_id,omitempty"`
}

func (r *BulkRequest) validate() error {
	v := &ValidationError{}
	switch r.Action {
	case BulkAddTags, BulkRemoveTags:
		if _, err := NormalizeTags(r.Tags); err != nil || len(r.Tags) == 0 {
			v.Add("tags", "name at least one valid tag")
		}
	case BulkSet:
		if r.Set == nil {
			v.Add("set", "name the fields to set")
		} else if err := r.Set.Apply(&Contact{}, SourceAPI, time.Time{}, "US"); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				for f, m := range ve.Fields {
					v.Add("set."+f, m)
				}
			}
		}
	case BulkDoNotContact, BulkDelete:
	default:
		v.Add("action", "must be add_tags, remove_tags, set, set_do_not_contact or delete")
	}
	if len(r.IDs) == 0 && r.Query == nil {
		v.Add("ids", "name ids or a query")
	}
	if len(r.IDs) > 10000 {
		v.Add("ids", "at most 10000 ids; use a query for more")
	}
	return v.Err()
}

// jobs tracks background work so shutdown can wait for it.
type jobs struct {
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// Close cancels running background jobs and waits for them to stop.
func (s *Service) Close() {
	s.bg.cancel()
	s.bg.wg.Wait()
}

// Bulk applies an action to many contacts. Up to BulkSyncLimit contacts are
// done before it returns; more run as a background job whose id it returns.
func (s *Service) Bulk(ctx context.Context, actor Actor, projectID int64, req BulkRequest) (*BulkResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	if actor.Role == RoleAgent && req.Action == BulkDelete {
		return nil, fmt.Errorf("agents cannot delete contacts: %w", ErrForbidden)
	}
	ids := req.IDs
	if len(ids) == 0 {
		q := *req.Query
		q.ProjectID = projectID
		var err error
		if ids, err = s.matchingIDs(ctx, q); err != nil {
			return nil, err
		}
	}
	res := &BulkResult{Matched: len(ids)}
	if len(ids) <= s.BulkSyncLimit {
		for _, id := range ids {
			if err := s.bulkOne(ctx, actor, projectID, req, id); err != nil {
				res.Failed++
			} else {
				res.Affected++
			}
		}
		return res, nil
	}
	now := s.now()
	job := &Job{ProjectID: projectID, Kind: "bulk." + req.Action, Status: JobRunning, Total: len(ids), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateJob(ctx, job); err != nil {
		return nil, fmt.Errorf("create bulk job: %w", err)
	}
	res.JobID = job.ID
	s.bg.wg.Add(1)
	go func() {
		defer s.bg.wg.Done()
		s.runBulkJob(s.bg.ctx, actor, projectID, req, ids, job)
	}()
	return res, nil
}

func (s *Service) runBulkJob(ctx context.Context, actor Actor, projectID int64, req BulkRequest, ids []int64, job *Job) {
	log := s.log.With("job_id", job.ID, "action", req.Action)
	for i, id := range ids {
		if ctx.Err() != nil {
			job.Status, job.Error = JobFailed, "interrupted by shutdown"
			break
		}
		if err := s.bulkOne(ctx, actor, projectID, req, id); err != nil {
			job.Failed++
		} else {
			job.Done++
		}
		if (i+1)%200 == 0 {
			job.UpdatedAt = s.now()
			if err := s.store.UpdateJob(context.WithoutCancel(ctx), job); err != nil {
				log.Warn("save job progress", "error", err)
			}
		}
	}
	if job.Status == JobRunning {
		job.Status = JobDone
	}
	job.UpdatedAt = s.now()
	if err := s.store.UpdateJob(context.WithoutCancel(ctx), job); err != nil {
		log.Error("save job result", "error", err)
	}
	log.Info("bulk job finished", "done", job.Done, "failed", job.Failed, "status", job.Status)
}

func (s *Service) bulkOne(ctx context.Context, actor Actor, projectID int64, req BulkRequest, id int64) error {
	var err error
	switch req.Action {
	case BulkAddTags:
		_, err = s.AddTags(ctx, actor, projectID, id, req.Tags)
	case BulkRemoveTags:
		_, err = s.RemoveTags(ctx, actor, projectID, id, req.Tags)
	case BulkSet:
		in := *req.Set
		_, err = s.UpdateContact(ctx, actor, projectID, id, in)
	case BulkDoNotContact:
		dnc := req.DoNotContact
		_, err = s.UpdateContact(ctx, actor, projectID, id, ContactInput{DoNotContact: &dnc})
	case BulkDelete:
		_, err = s.EraseContact(ctx, actor, projectID, id, req.KeepHistory)
	}
	return err
}

// matchingIDs walks every contact the query matches in id order.
func (s *Service) matchingIDs(ctx context.Context, q ListQuery) ([]int64, error) {
	q.Cursor, q.After, q.PerPage = true, 0, MaxPerPage
	if err := s.checkQuery(&q); err != nil {
		return nil, err
	}
	var ids []int64
	for {
		res, err := s.store.ListContacts(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("bulk: list contacts: %w", err)
		}
		for _, c := range res.Contacts {
			ids = append(ids, c.ID)
		}
		if res.NextAfter == 0 {
			return ids, nil
		}
		q.After = res.NextAfter
	}
}
