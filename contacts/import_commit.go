package contacts

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
)

// importCommitter commits an import's batches in file order and keeps its
// progress.
type importCommitter struct {
	s       *Service
	imp     *Import
	created idRanges
	dry     map[uint64]int64 // dry run: keys of the rows it would create
}

func (s *Service) newImportCommitter(_ context.Context, imp *Import) *importCommitter {
	c := &importCommitter{s: s, imp: imp}
	if imp.Options.DryRun {
		c.dry = map[uint64]int64{}
	}
	return c
}

func (c *importCommitter) planner(rows []*importRow) *importPlanner {
	p := &importPlanner{policy: c.imp.Options.OnDuplicate, region: c.imp.Options.Region, now: c.s.now(),
		rows: rows, base: c.imp.Counts, createdBy: &c.created}
	if c.dry != nil {
		p.extra = func(k string) (int64, bool) {
			id, ok := c.dry[keyHash(k)]
			return id, ok
		}
	}
	return p
}

func keyHash(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

// commit writes one batch with the import's progress, all or nothing. A
// unique value another writer took meanwhile fails the whole transaction;
// the batch is then split and retried (each half planned afresh), down to
// the one row that clashes, which is reported as failed.
func (c *importCommitter) commit(ctx context.Context, rows []*importRow, bytesRead int64) error {
	if c.dry != nil {
		return c.dryRun(ctx, rows, bytesRead)
	}
	p := c.planner(rows)
	b := &ImportBatch{ImportID: c.imp.ID, ProjectID: c.imp.ProjectID, Actor: c.imp.Actor, At: p.now,
		Keys: batchKeys(rows), Plan: p.plan, Done: c.done(p, bytesRead)}
	cancelled, err := c.s.store.CommitImportBatch(ctx, b)
	var de *DuplicateError
	switch {
	case errors.As(err, &de) && len(rows) == 1:
		r := rows[0]
		failed := &importRow{row: r.row, line: r.line, errs: []ImportRowError{{Row: r.row, Line: r.line, Field: de.Field,
			Value: de.Value, Reason: fmt.Sprintf("%s %q was taken by contact %d while the import ran", de.Field, de.Value, de.ExistingID)}}}
		return c.commit(ctx, []*importRow{failed}, bytesRead)
	case errors.As(err, &de):
		half := len(rows) / 2
		if err := c.commit(ctx, rows[:half], bytesRead); err != nil {
			return err
		}
		return c.commit(ctx, rows[half:], bytesRead)
	case err != nil:
		return fmt.Errorf("commit rows %d to %d: %w", rows[0].row, rows[len(rows)-1].row, err)
	}
	c.advance(p, bytesRead)
	for _, ct := range p.creates {
		c.created.add(ct.ID)
	}
	if cancelled {
		return errImportCancelled
	}
	return nil
}

// done is the batch's Done: the import as it stands after the batch.
func (c *importCommitter) done(p *importPlanner, bytesRead int64) func() (*Import, []ImportRowError) {
	return func() (*Import, []ImportRowError) {
		next := *c.imp
		next.Counts, next.BytesRead, next.UpdatedAt = p.counts, bytesRead, p.now
		next.ErrorRows += len(p.errs)
		return &next, p.errs
	}
}

func (c *importCommitter) advance(p *importPlanner, bytesRead int64) {
	c.imp.Counts, c.imp.BytesRead, c.imp.UpdatedAt = p.counts, bytesRead, p.now
	c.imp.ErrorRows += len(p.errs)
}

// dryRun plans a batch against the store without writing a contact: the
// updates are tried on contacts as loaded, the creates remembered (as
// hashes of their keys) so later rows see them. It records the failed
// rows and the counts a real run would give.
func (c *importCommitter) dryRun(ctx context.Context, rows []*importRow, bytesRead int64) error {
	p := c.planner(rows)
	found, err := c.s.store.MatchImportKeys(ctx, c.imp.ProjectID, batchKeys(rows))
	if err != nil {
		return fmt.Errorf("dry run: look up duplicates: %w", err)
	}
	plan, err := p.plan(found)
	if err != nil {
		return err
	}
	for _, u := range plan.Updates {
		ct, err := c.s.store.GetContact(ctx, c.imp.ProjectID, u.ContactID)
		if errors.Is(err, ErrNotFound) {
			p.counts.Unchanged++ // deleted meanwhile
			continue
		}
		if err != nil {
			return fmt.Errorf("dry run: load contact %d: %w", u.ContactID, err)
		}
		u.Apply(ct)
	}
	for i, ct := range plan.Creates {
		keys, name := rowKeys(ct)
		if name != "" {
			keys = append(keys, name)
		}
		for _, k := range keys {
			c.dry[keyHash(k)] = -int64(p.rowOf[i].row)
		}
	}
	b := &ImportBatch{ImportID: c.imp.ID, ProjectID: c.imp.ProjectID, Actor: c.imp.Actor, At: p.now, Keys: &ImportKeys{},
		Plan: func(*ImportMatches) (*ImportPlan, error) { return &ImportPlan{}, nil }, Done: c.done(p, bytesRead)}
	cancelled, err := c.s.store.CommitImportBatch(ctx, b)
	if err != nil {
		return fmt.Errorf("dry run: record progress: %w", err)
	}
	c.advance(p, bytesRead)
	if cancelled {
		return errImportCancelled
	}
	return nil
}
