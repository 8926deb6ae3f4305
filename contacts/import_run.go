package contacts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// importBatchRows is how many rows one batch (one transaction) holds:
// enough to amortise the commit, few enough to keep the SQLite writer
// free for messages arriving meanwhile (a batch holds it for about 0.1 s).
// Files above largeImportBytes (some 200,000 rows) take largeBatchRows:
// fewer commits rewrite the pages of the email, phone and name indexes
// fewer times (measured 7 % faster at 300,000 rows), for about a second
// of writer time per batch.
const (
	importBatchRows  = 2000
	largeBatchRows   = 10_000
	largeImportBytes = 16 << 20
)

// rawRow is a record as read, before it is checked.
type rawRow struct {
	row, line int
	cells     []string
	err       error // a record that could not be read
}

// chunk is one batch's rows on their way from the reader through a
// checking worker to the committer, which takes chunks in file order.
type chunk struct {
	raw       []rawRow
	rows      []*importRow
	bytesRead int64
	ready     chan struct{}
}

// runImport runs an import to its end and records how it ended. skip is
// the number of rows an earlier run committed (a resume).
func (s *Service) runImport(ctx context.Context, imp *Import, skip int, progress func(*Import)) {
	log := s.log.With("import_id", imp.ID, "project_id", imp.ProjectID)
	err := s.importRows(ctx, imp, skip, progress)
	imp.Status = JobDone
	switch {
	case errors.Is(err, errImportCancelled):
		imp.Status, imp.Error = ImportCancelled, "cancelled: the rows counted were imported, the rest were not read"
	case err != nil && ctx.Err() != nil:
		imp.Status, imp.Error = JobFailed, "interrupted: the rows counted were imported; resume it to go on"
	case err != nil:
		imp.Status, imp.Error = JobFailed, "import stopped: "+err.Error()
		log.Error("import failed", "error", err)
	}
	now := s.now()
	imp.FinishedAt, imp.UpdatedAt = now, now
	audit := NewAudit(imp.ProjectID, imp.Actor, AuditImport, 0, nil, importSummary(imp), now)
	if err := s.store.FinishImport(context.WithoutCancel(ctx), imp, audit); err != nil {
		log.Error("record import result", "error", err)
	}
	if imp.Owned && imp.Status == JobDone {
		if err := os.Remove(imp.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			log.Warn("remove imported upload", "error", err)
		}
	}
	log.Info("import finished", "status", imp.Status, "rows", imp.Counts.Rows, "created", imp.Counts.Created,
		"updated", imp.Counts.Updated, "skipped", imp.Counts.Skipped(), "failed", imp.Counts.Failed)
}

// importSummary is the audit entry's record of an import.
func importSummary(imp *Import) map[string]any {
	return map[string]any{"import_id": imp.ID, "file": imp.FileName, "status": imp.Status, "error": imp.Error,
		"on_duplicate": imp.Options.OnDuplicate, "dry_run": imp.Options.DryRun, "counts": imp.Counts}
}

// importRows streams the file through reading, checking (on every core)
// and committing, batch by batch; memory holds a few batches whatever the
// file's size.
func (s *Service) importRows(ctx context.Context, imp *Import, skip int, progress func(*Import)) error {
	src, err := openImportSource(imp.Path, imp.Options)
	if err != nil {
		return err
	}
	defer src.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	workers := max(1, runtime.GOMAXPROCS(0))
	ordered := make(chan *chunk, workers+1)
	work := make(chan *chunk, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range work {
				ch.rows = s.checkRows(ch.raw, src, imp)
				ch.raw = nil
				close(ch.ready)
			}
		}()
	}
	batch := importBatchRows
	if imp.Size >= largeImportBytes {
		batch = largeBatchRows
	}
	go func() {
		defer close(ordered)
		defer close(work)
		readChunks(ctx, src.rd, skip, batch, ordered, work)
	}()
	defer func() {
		cancel()
		for range ordered { // let the reader finish
		}
		wg.Wait()
	}()

	committer := s.newImportCommitter(ctx, imp)
	for ch := range ordered {
		select {
		case <-ch.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		if len(ch.rows) == 0 {
			continue
		}
		if err := committer.commit(ctx, ch.rows, ch.bytesRead); err != nil {
			return err
		}
		if progress != nil {
			progress(imp)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// readChunks reads the file into chunks of non-blank rows, skipping the
// first skip of them, and hands each to a worker and, in order, to the
// committer. A record that cannot be read is passed on as a failed row; one
// that ends reading (an unclosed quote) is the last.
func readChunks(ctx context.Context, rd *csvimport.Reader, skip, batch int, ordered, work chan<- *chunk) {
	cur := &chunk{ready: make(chan struct{})}
	send := func() bool {
		cur.bytesRead = rd.BytesRead()
		select {
		case ordered <- cur:
		case <-ctx.Done():
			return false
		}
		select {
		case work <- cur:
		case <-ctx.Done():
			return false
		}
		cur = &chunk{ready: make(chan struct{})}
		return true
	}
	for {
		rec, err := rd.Read()
		var re *csvimport.RecordError
		switch {
		case errors.Is(err, io.EOF):
			if len(cur.raw) > 0 {
				send()
			}
			return
		case errors.As(err, &re):
			msg := re.Err.Error()
			if re.Fatal() {
				msg += fmt.Sprintf("; nothing from line %d on could be read", re.Line)
			}
			if skip > 0 {
				skip--
			} else {
				cur.raw = append(cur.raw, rawRow{row: re.Row, line: re.Line, err: errors.New(msg)})
			}
			if re.Fatal() {
				if len(cur.raw) > 0 {
					send()
				}
				return
			}
		case err != nil:
			cur.raw = append(cur.raw, rawRow{err: fmt.Errorf("reading the file failed: %w", err)})
			send()
			return
		case rec.Blank():
			continue
		case skip > 0:
			skip--
			continue
		default:
			cur.raw = append(cur.raw, rawRow{row: rec.Row, line: rec.Line, cells: rec.Fields})
		}
		if len(cur.raw) >= batch && !send() {
			return
		}
	}
}

// checkRows validates a chunk's rows as new contacts.
func (s *Service) checkRows(raw []rawRow, src *importSource, imp *Import) []*importRow {
	now := s.now()
	out := make([]*importRow, len(raw))
	for i, r := range raw {
		if r.err != nil {
			out[i] = &importRow{row: r.row, line: r.line, errs: []ImportRowError{{Row: r.row, Line: r.line, Reason: r.err.Error()}}}
			continue
		}
		out[i] = src.mapping.checkRow(r.row, r.line, r.cells, len(src.columns), imp.ProjectID, imp.Options.Region, now)
	}
	return out
}
