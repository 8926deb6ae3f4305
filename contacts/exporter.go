package contacts

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FileStore keeps finished export files: a local directory, or an
// S3-compatible bucket (contacts/filestore implements both).
type FileStore interface {
	// Put stores size bytes read from r under key, replacing any file there.
	// r may be read more than once (after seeking back to its start).
	Put(ctx context.Context, key string, r io.ReadSeeker, size int64) error
	// Open returns the file under key and its size; an error wrapping
	// fs.ErrNotExist when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
}

// FileMover is a FileStore that can take a finished local file over by
// moving it (a local directory on the same disk), instead of copying it.
type FileMover interface {
	PutFile(ctx context.Context, key, path string) error
}

// ExporterConfig configures an Exporter.
type ExporterConfig struct {
	Service *Service
	Files   FileStore
	// TTL is how long a finished export can be downloaded; 0 is
	// DefaultExportTTL.
	TTL time.Duration
	// TempDir holds files being written; "" is the system's temp directory.
	// On the same disk as a local FileStore, finished files are moved, not
	// copied.
	TempDir string
	Clock   Clock // nil: the service's
	Logger  *slog.Logger
	// Parallel is how many exports may run at once (default 2); more wait,
	// queued. Each keeps a core busy and a read transaction open.
	Parallel int
}

// Exporter writes the contacts a list query matches to a CSV, NDJSON or XLSX
// file in the background, keeps it for download until it expires, and then
// deletes it.
type Exporter struct {
	svc     *Service
	files   FileStore
	ttl     time.Duration
	tempDir string
	now     Clock
	log     *slog.Logger
	slots   chan struct{}
}

// NewExporter builds an Exporter.
func NewExporter(cfg ExporterConfig) *Exporter {
	x := &Exporter{svc: cfg.Service, files: cfg.Files, ttl: cfg.TTL, tempDir: cfg.TempDir, now: cfg.Clock, log: cfg.Logger}
	if x.ttl <= 0 {
		x.ttl = DefaultExportTTL
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 2
	}
	x.slots = make(chan struct{}, cfg.Parallel)
	if x.now == nil && cfg.Service != nil {
		x.now = cfg.Service.now
	}
	if x.now == nil {
		x.now = SystemClock
	}
	if x.log == nil {
		x.log = slog.Default()
	}
	x.log = x.log.With("component", "export")
	return x
}

// TTL is how long a finished export can be downloaded.
func (x *Exporter) TTL() time.Duration { return x.ttl }

// Now is the exporter's clock.
func (x *Exporter) Now() time.Time { return x.now() }

func mayExport(actor Actor) error {
	if actor.Role == RoleAgent {
		return fmt.Errorf("agents cannot export contacts: %w", ErrForbidden)
	}
	return nil
}

// Start records an export and writes it in the background; the returned
// export's job shows the progress. Agents may not export.
func (x *Exporter) Start(ctx context.Context, actor Actor, projectID int64, req ExportRequest) (*Export, error) {
	if err := mayExport(actor); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	cols, _ := parseColumns(req.Columns)
	q := req.Query
	q.ProjectID = projectID
	q.Page, q.PerPage, q.Cursor, q.After = 0, 0, false, 0
	if err := x.svc.checkQuery(&q); err != nil {
		return nil, err
	}
	now := x.now()
	e := &Export{ProjectID: projectID, Format: req.Format, Query: strings.TrimPrefix(req.RawQuery, "?"),
		Columns: req.Columns, Actor: actor.Owner(), CreatedAt: now,
		Job: Job{ProjectID: projectID, Kind: JobExport, Status: JobQueued, CreatedAt: now, UpdatedAt: now}}
	if e.Columns == nil {
		e.Columns = []string{}
	}
	if err := x.svc.store.CreateExport(ctx, e); err != nil {
		return nil, fmt.Errorf("create export: %w", err)
	}
	run := *e
	run.Columns = append([]string(nil), e.Columns...)
	x.svc.bg.wg.Add(1)
	go func() {
		defer x.svc.bg.wg.Done()
		x.run(x.svc.bg.ctx, actor, &run, q, cols)
	}()
	return e, nil
}

// Get returns an export of the project; agents may not see exports.
func (x *Exporter) Get(ctx context.Context, actor Actor, projectID, id int64) (*Export, error) {
	if err := mayExport(actor); err != nil {
		return nil, err
	}
	e, err := x.svc.store.GetExport(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("get export %d: %w", id, err)
	}
	return e, nil
}

// Open returns a finished export's file and size. ErrExportExpired once it
// expired; ErrConflict while it is still being written or when it failed.
func (x *Exporter) Open(ctx context.Context, actor Actor, projectID, id int64) (*Export, io.ReadCloser, int64, error) {
	e, err := x.Get(ctx, actor, projectID, id)
	if err != nil {
		return nil, nil, 0, err
	}
	switch st := e.Status(x.now()); st {
	case JobDone:
	case ExportExpired:
		return nil, nil, 0, fmt.Errorf("export %d: %w", id, ErrExportExpired)
	case JobFailed:
		return nil, nil, 0, fmt.Errorf("export %d failed (%s), so it has no file: %w", id, e.Job.Error, ErrConflict)
	default:
		return nil, nil, 0, fmt.Errorf("export %d is not ready yet (%s): %w", id, st, ErrConflict)
	}
	rc, size, err := x.files.Open(ctx, e.FileKey)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, 0, fmt.Errorf("export %d: file missing: %w", id, ErrExportExpired)
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("open export %d: %w", id, err)
	}
	return e, rc, size, nil
}

// FileName is the name a download of e suggests.
func (x *Exporter) FileName(e *Export) string {
	return fmt.Sprintf("contacts-%s-%d.%s", e.CreatedAt.UTC().Format("20060102"), e.ID, e.Format)
}

// progressEvery is how often a running export saves its progress.
const progressEvery = time.Second

// run writes the file and records the outcome on the export's job.
func (x *Exporter) run(ctx context.Context, actor Actor, e *Export, q ListQuery, cols []column) {
	log := x.log.With("export_id", e.ID, "job_id", e.Job.ID, "format", e.Format)
	var err error
	select {
	case x.slots <- struct{}{}:
		defer func() { <-x.slots }()
	case <-ctx.Done():
		err = ctx.Err()
	}
	start := time.Now()
	if err == nil {
		err = x.write(ctx, actor, e, q, cols)
	}
	if err == nil {
		log.Info("export finished", "rows", e.Rows, "bytes", e.Size, "took", time.Since(start).Round(time.Millisecond).String())
		return
	}
	j := &e.Job
	j.Status, j.UpdatedAt = JobFailed, x.now()
	var ve *ValidationError
	switch {
	case ctx.Err() != nil:
		j.Error = "interrupted: the server stopped while the export ran"
	case errors.As(err, &ve):
		j.Error = strings.TrimPrefix(ve.Error(), "validation failed: ")
	default:
		j.Error = "the export failed; the server log has the details"
	}
	log.Error("export failed", "error", err)
	if err := x.svc.store.UpdateJob(context.WithoutCancel(ctx), j); err != nil {
		log.Error("save failed export job", "error", err)
	}
}

func (x *Exporter) write(ctx context.Context, actor Actor, e *Export, q ListQuery, cols []column) error {
	if x.tempDir != "" {
		if err := os.MkdirAll(x.tempDir, 0o700); err != nil {
			return fmt.Errorf("export temp dir: %w", err)
		}
	}
	tmp, err := os.CreateTemp(x.tempDir, tempPrefix+"*.part")
	if err != nil {
		return fmt.Errorf("export temp file: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // gone already when moved into the store
	}()
	buf := bufio.NewWriterSize(tmp, 256<<10)
	j := &e.Job
	var w rowWriter
	saved := time.Now()
	head := func(total int, keys []string) error {
		if e.Format == FormatXLSX && total > MaxXLSXRows {
			return Invalid("format", fmt.Sprintf("the query matches %d contacts and an XLSX sheet holds at most %d: export as CSV or NDJSON", total, MaxXLSXRows))
		}
		var werr error
		if w, werr = newRowWriter(e.Format, buf, cols, keys); werr != nil {
			return werr
		}
		j.Status, j.Total, j.UpdatedAt = JobRunning, total, x.now()
		if err := x.svc.store.UpdateJob(ctx, j); err != nil {
			return fmt.Errorf("save export job: %w", err)
		}
		return w.header()
	}
	row := func(c *Contact) error {
		if err := w.write(c); err != nil {
			return err
		}
		j.Done++
		if j.Done%1000 == 0 && time.Since(saved) >= progressEvery {
			if err := ctx.Err(); err != nil {
				return err
			}
			saved, j.UpdatedAt = time.Now(), x.now()
			if err := x.svc.store.UpdateJob(ctx, j); err != nil {
				return fmt.Errorf("save export progress: %w", err)
			}
		}
		return nil
	}
	err = x.svc.store.ExportContacts(ctx, q, needsCustomKeys(cols, e.Format), head, row)
	if w != nil {
		// Close even after a failure: the XLSX writer holds temp files.
		if cerr := w.close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	key, err := x.fileKey(e)
	if err != nil {
		return err
	}
	if err := x.keep(ctx, key, tmp, size); err != nil {
		return fmt.Errorf("store export file: %w", err)
	}
	now := x.now()
	e.Rows, e.Size, e.FileKey, e.FinishedAt, e.ExpiresAt = j.Done, size, key, now, now.Add(x.ttl)
	j.Status, j.Total, j.UpdatedAt = JobDone, j.Done, now
	audit := NewAudit(e.ProjectID, actor, AuditContactExport, 0, nil, map[string]any{
		"export_id": e.ID, "query": e.Query, "format": e.Format, "columns": e.Columns, "rows": e.Rows,
	}, now)
	if err := x.svc.store.FinishExport(context.WithoutCancel(ctx), e, audit); err != nil {
		if derr := x.files.Delete(context.WithoutCancel(ctx), key); derr != nil {
			x.log.Warn("delete unrecorded export file", "key", key, "error", derr)
		}
		return fmt.Errorf("finish export: %w", err)
	}
	return nil
}

// keep hands the finished temp file to the file store.
func (x *Exporter) keep(ctx context.Context, key string, tmp *os.File, size int64) error {
	if m, ok := x.files.(FileMover); ok {
		if err := tmp.Close(); err != nil {
			return err
		}
		return m.PutFile(ctx, key, tmp.Name())
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return x.files.Put(ctx, key, tmp, size)
}

// fileKey names an export's file; the random part keeps a name from ever
// being reused (say, after a database restore).
func (x *Exporter) fileKey(e *Export) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/export-%d-%s.%s", e.ProjectID, e.ID, hex.EncodeToString(b[:]), e.Format), nil
}

// tempPrefix names the files an export writes before the store keeps them.
const tempPrefix = "switchboard-export-"

// PurgeExpired deletes the files of expired exports, and temp files that a
// crashed run left behind, and returns how many export files it deleted.
// The scheduler calls it.
func (x *Exporter) PurgeExpired(ctx context.Context) (int, error) {
	n := 0
	for {
		es, err := x.svc.store.ExpiredExports(ctx, x.now(), 200)
		if err != nil {
			return n, fmt.Errorf("list expired exports: %w", err)
		}
		for _, e := range es {
			if err := x.files.Delete(ctx, e.FileKey); err != nil {
				return n, fmt.Errorf("delete export %d file: %w", e.ID, err)
			}
			if err := x.svc.store.ForgetExportFile(ctx, e.ID); err != nil {
				return n, fmt.Errorf("forget export %d file: %w", e.ID, err)
			}
			n++
		}
		if len(es) < 200 {
			break
		}
	}
	x.removeStaleTemp()
	return n, nil
}

// removeStaleTemp deletes temp files older than a day: no export runs that
// long, so they are what a crash left, and they hold personal data.
func (x *Exporter) removeStaleTemp() {
	dir := x.tempDir
	if dir == "" {
		dir = os.TempDir()
	}
	paths, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*.part"))
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			if err := os.Remove(p); err != nil {
				x.log.Warn("remove stale export temp file", "path", p, "error", err)
			}
		}
	}
}
