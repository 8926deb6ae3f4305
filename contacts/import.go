package contacts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// What a row that duplicates a contact (or an earlier row) does.
const (
	// OnDuplicateSkip leaves the existing contact as it is.
	OnDuplicateSkip = "skip"
	// OnDuplicateUpdate applies the row's non-empty values to it.
	OnDuplicateUpdate = "update"
	// OnDuplicateCreate creates a contact anyway where no unique value
	// (email, phone, external id, channel identity) clashes, and reports the
	// row as failed where one does.
	OnDuplicateCreate = "create"
)

// JobKindImport is the job kind of an import.
const JobKindImport = "import"

// AuditImport is the audit action summarising an import.
const AuditImport = "import"

// AuditImportCreate records the contacts one batch of an import created, as
// runs of ids: an entry per batch rather than per contact keeps a million
// rows' import from writing a million audit rows, and the webhook fan-out
// raises a contact.created for each contact in it.
const AuditImportCreate = "import.create"

// ImportCreatedAudit is the entry for a batch's new contacts (their ids
// set); ok is false when the batch created none.
func ImportCreatedAudit(b *ImportBatch, created []*Contact) (e AuditEntry, ok bool) {
	var r idRanges
	for _, c := range created {
		r.add(c.ID)
	}
	if len(r.r) == 0 {
		return AuditEntry{}, false
	}
	return NewAudit(b.ProjectID, b.Actor, AuditImportCreate, 0, nil,
		map[string]any{"import_id": b.ImportID, "created": r.r, "count": len(created)}, b.At), true
}

// importCreatedIDs reads the contact ids of an AuditImportCreate entry.
func importCreatedIDs(after json.RawMessage) []int64 {
	var v struct {
		Created [][2]int64 `json:"created"`
	}
	if json.Unmarshal(after, &v) != nil {
		return nil
	}
	var ids []int64
	for _, r := range v.Created {
		for id := r[0]; id <= r[1] && len(ids) < maxImportBatchIDs; id++ {
			ids = append(ids, id)
		}
	}
	return ids
}

// maxImportBatchIDs bounds what one entry may expand to, whatever it
// claims: no batch is larger.
const maxImportBatchIDs = 100_000

// ImportCancelled is the status of an import stopped on request.
const ImportCancelled = "cancelled"

// PreviewRows is how many rows a preview shows.
const PreviewRows = 20

// ImportOptions say how to read and apply a file.
type ImportOptions struct {
	OnDuplicate string `json:"on_duplicate"`
	// Map maps header names to fields (csvimport.Fields, custom.<key>, or
	// "ignore"), overriding what the header says.
	Map map[string]string `json:"map,omitempty"`
	// CustomUnmapped keeps unrecognised columns as custom attributes.
	CustomUnmapped bool `json:"custom_unmapped"`
	// DryRun reads and checks everything and writes no contact.
	DryRun bool `json:"dry_run"`
	// Region is the phone region of numbers written without +; empty: the
	// service's default.
	Region string `json:"region,omitempty"`
}

// validate checks the options and fills the defaults.
func (o *ImportOptions) validate(defaultRegion string) error {
	v := &ValidationError{}
	switch o.OnDuplicate {
	case "":
		o.OnDuplicate = OnDuplicateSkip
	case OnDuplicateSkip, OnDuplicateUpdate, OnDuplicateCreate:
	default:
		v.Add("on_duplicate", "must be skip, update or create")
	}
	for col, f := range o.Map {
		f = strings.TrimSpace(f)
		if f != "" && f != "-" && !strings.EqualFold(f, csvimport.Ignore) && !csvimport.IsField(f) {
			v.Add("map."+col, fmt.Sprintf("unknown field %q: use one of %s, custom.<key> or ignore",
				f, strings.Join(csvimport.Fields, ", ")))
		}
	}
	o.Region = strings.ToUpper(strings.TrimSpace(o.Region))
	if o.Region == "" {
		o.Region = defaultRegion
	}
	if len(o.Region) != 2 {
		v.Add("region", "must be a two-letter country code")
	}
	return v.Err()
}

// ImportCounts are what happened to an import's rows. Every row read is
// counted once: Rows = Created + Updated + Unchanged + SkippedInFile +
// SkippedExisting + Failed. Blank rows are not rows.
type ImportCounts struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// SkippedInFile rows duplicate an earlier row of the file.
	SkippedInFile int `json:"skipped_in_file"`
	// SkippedExisting rows duplicate a contact that existed before.
	SkippedExisting int `json:"skipped_existing"`
	Failed          int `json:"failed"`
}

// Skipped is the rows skipped as duplicates.
func (c ImportCounts) Skipped() int { return c.SkippedInFile + c.SkippedExisting }

// Sum adds up the outcomes; it equals Rows.
func (c ImportCounts) Sum() int {
	return c.Created + c.Updated + c.Unchanged + c.SkippedInFile + c.SkippedExisting + c.Failed
}

// Import is a CSV import and its progress. Its id is its job's id.
type Import struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	FileName  string `json:"file_name"`
	// Path is where the file is read from; Owned files (uploads kept in
	// the data directory) are deleted once the import is done.
	Path      string             `json:"-"`
	Owned     bool               `json:"-"`
	Size      int64              `json:"size"`
	BytesRead int64              `json:"bytes_read"`
	Options   ImportOptions      `json:"options"`
	Columns   []csvimport.Column `json:"columns"`
	Encoding  string             `json:"encoding"`
	Delimiter string             `json:"delimiter"`
	// Status is the job's: running, done, failed, or cancelled.
	Status string       `json:"status"`
	Error  string       `json:"error,omitempty"`
	Counts ImportCounts `json:"counts"`
	// ErrorRows is how many failed-row records the error report holds.
	ErrorRows       int       `json:"error_rows"`
	Actor           Actor     `json:"-"`
	CancelRequested bool      `json:"cancel_requested"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	FinishedAt      time.Time `json:"finished_at"`
}

// ImportRowError is one problem of one failed row, a line of the error
// report.
type ImportRowError struct {
	ID     int64  `json:"-"`
	Row    int    `json:"row"`  // as a spreadsheet numbers it: the header is row 1
	Line   int    `json:"line"` // line of the file the row starts on
	Column string `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// ImportFile is a file to import.
type ImportFile struct {
	Name  string // shown to people: the upload's name
	Path  string
	Owned bool // delete it once imported
}

func canImport(actor Actor) error {
	if actor.Role == RoleAgent {
		return fmt.Errorf("agents cannot import contacts: %w", ErrForbidden)
	}
	return nil
}

// StartImport checks the file's header and the options, records the
// import and runs it in the background; the returned import is running.
// A header that maps to no field, an unknown field in the mapping or a
// file that is not CSV text is a *ValidationError.
func (s *Service) StartImport(ctx context.Context, actor Actor, projectID int64, file ImportFile, opts ImportOptions) (*Import, error) {
	imp, err := s.newImport(ctx, actor, projectID, file, opts)
	if err != nil {
		return nil, err
	}
	s.bg.wg.Add(1)
	go func() {
		defer s.bg.wg.Done()
		s.runImport(s.bg.ctx, imp, 0, nil)
	}()
	return imp, nil
}

// RunImport is StartImport done before it returns, for the command line;
// progress (may be nil) is called after every batch. Cancelling ctx stops
// the import after its current batch; the import then is failed with its
// counts as committed.
func (s *Service) RunImport(ctx context.Context, actor Actor, projectID int64, file ImportFile, opts ImportOptions, progress func(*Import)) (*Import, error) {
	imp, err := s.newImport(ctx, actor, projectID, file, opts)
	if err != nil {
		return nil, err
	}
	s.runImport(ctx, imp, 0, progress)
	return imp, nil
}

// ResumeImport runs a failed import (interrupted by a crash, a shutdown or
// a database error) or a cancelled one again from its last committed row,
// in the background. The file must still be where it was read from.
// ErrConflict when it is running or done, or its file is gone.
func (s *Service) ResumeImport(ctx context.Context, actor Actor, projectID, id int64) (*Import, error) {
	imp, err := s.restartImport(ctx, actor, projectID, id, false)
	if err != nil {
		return nil, err
	}
	s.bg.wg.Add(1)
	go func() {
		defer s.bg.wg.Done()
		s.runImport(s.bg.ctx, imp, imp.Counts.Rows, nil)
	}()
	return imp, nil
}

// RunResumedImport is ResumeImport done before it returns. With
// interrupted it also resumes an import still marked running, which the
// caller knows no process runs any more (the command line after a crash;
// serve marks such imports failed when it starts).
func (s *Service) RunResumedImport(ctx context.Context, actor Actor, projectID, id int64, interrupted bool, progress func(*Import)) (*Import, error) {
	imp, err := s.restartImport(ctx, actor, projectID, id, interrupted)
	if err != nil {
		return nil, err
	}
	s.runImport(ctx, imp, imp.Counts.Rows, progress)
	return imp, nil
}

func (s *Service) restartImport(ctx context.Context, actor Actor, projectID, id int64, interrupted bool) (*Import, error) {
	if err := canImport(actor); err != nil {
		return nil, err
	}
	imp, err := s.store.GetImport(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("resume import %d: %w", id, err)
	}
	if imp.Status != JobFailed && imp.Status != ImportCancelled && !(interrupted && imp.Status == JobRunning) {
		return nil, fmt.Errorf("import %d is %s; only a failed or cancelled import can be resumed: %w", id, imp.Status, ErrConflict)
	}
	if imp.Options.DryRun {
		return nil, fmt.Errorf("import %d was a dry run; start it again instead: %w", id, ErrConflict)
	}
	if _, err := os.Stat(imp.Path); err != nil {
		return nil, fmt.Errorf("import %d: its file is no longer there: %w", id, ErrConflict)
	}
	if err := s.store.RestartImport(ctx, projectID, id, s.now(), interrupted); err != nil {
		return nil, fmt.Errorf("resume import %d: %w", id, err)
	}
	imp.Status, imp.Error, imp.FinishedAt, imp.CancelRequested = JobRunning, "", time.Time{}, false
	imp.Actor = actor
	return imp, nil
}

// newImport validates and records an import.
func (s *Service) newImport(ctx context.Context, actor Actor, projectID int64, file ImportFile, opts ImportOptions) (*Import, error) {
	if err := canImport(actor); err != nil {
		return nil, err
	}
	if err := opts.validate(s.region); err != nil {
		return nil, err
	}
	src, err := openImportSource(file.Path, opts)
	if err != nil {
		return nil, err
	}
	src.Close()
	now := s.now()
	imp := &Import{ProjectID: projectID, FileName: file.Name, Path: file.Path, Owned: file.Owned, Size: src.size,
		Options: opts, Columns: src.columns, Encoding: src.encoding, Delimiter: src.delimiter,
		Status: JobRunning, Actor: actor, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateImport(ctx, imp); err != nil {
		return nil, fmt.Errorf("record import: %w", err)
	}
	return imp, nil
}

// GetImport returns an import's progress.
func (s *Service) GetImport(ctx context.Context, projectID, id int64) (*Import, error) {
	imp, err := s.store.GetImport(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("get import %d: %w", id, err)
	}
	return imp, nil
}

// ListImports lists a project's latest imports.
func (s *Service) ListImports(ctx context.Context, projectID int64, limit int) ([]Import, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return s.store.ListImports(ctx, projectID, limit)
}

// CancelImport asks a running import to stop after its current batch:
// the rows committed so far stay, and its counts say how many.
func (s *Service) CancelImport(ctx context.Context, actor Actor, projectID, id int64) (*Import, error) {
	if err := canImport(actor); err != nil {
		return nil, err
	}
	if err := s.store.RequestImportCancel(ctx, projectID, id, s.now()); err != nil {
		return nil, fmt.Errorf("cancel import %d: %w", id, err)
	}
	return s.GetImport(ctx, projectID, id)
}

// ImportErrors walks an import's error report in order, page by page.
func (s *Service) ImportErrors(ctx context.Context, projectID, id int64, each func([]ImportRowError) error) error {
	if _, err := s.store.GetImport(ctx, projectID, id); err != nil {
		return fmt.Errorf("import %d errors: %w", id, err)
	}
	var after int64
	for {
		page, err := s.store.ImportErrors(ctx, projectID, id, after, 1000)
		if err != nil {
			return fmt.Errorf("import %d errors: %w", id, err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := each(page); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// errImportCancelled stops a run on request.
var errImportCancelled = errors.New("cancelled")
