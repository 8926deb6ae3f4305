package contacts

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Export formats.
const (
	FormatCSV    = "csv"
	FormatNDJSON = "ndjson"
	FormatXLSX   = "xlsx"
)

// ExportFormats are the formats an export may take.
var ExportFormats = []string{FormatCSV, FormatNDJSON, FormatXLSX}

// ExportExpired is the status of a finished export whose file has expired.
// The other statuses are its job's (queued, running, done, failed).
const ExportExpired = "expired"

// AuditContactExport records a finished export: its filter, format, columns
// and row count, by whoever asked for it.
const AuditContactExport = "contact.export"

// JobExport is the kind of an export's job.
const JobExport = "export"

// ErrExportExpired is returned for the file of an export past its expiry.
var ErrExportExpired = errors.New("this export has expired and its file was deleted: start a new export")

// DefaultExportTTL is how long a finished export can be downloaded.
const DefaultExportTTL = 24 * time.Hour

// MaxXLSXRows is how many contacts an XLSX export holds: a worksheet has
// 1,048,576 rows, one of them the header.
const MaxXLSXRows = 1<<20 - 1

// Export is a file of contacts being written, or written and kept for
// download until it expires.
type Export struct {
	ID        int64
	ProjectID int64
	Format    string
	// Query is the contact-list query string that selected the contacts.
	Query string
	// Columns are the columns asked for; empty means all.
	Columns []string
	// Actor names who asked (Actor.Owner), for the record.
	Actor      string
	Rows       int
	Size       int64
	FileKey    string // where Files keeps it; "" before it is written and after it is deleted
	CreatedAt  time.Time
	FinishedAt time.Time
	ExpiresAt  time.Time
	// Job is the export's progress; Job.ID links the two.
	Job Job
}

// Status is the export's job status, or expired once its file is due for
// deletion or deleted.
func (e *Export) Status(now time.Time) string {
	if e.Job.Status == JobDone && (e.FileKey == "" || !now.Before(e.ExpiresAt)) {
		return ExportExpired
	}
	return e.Job.Status
}

// ExportRequest asks for the contacts a list query matches, as a file.
type ExportRequest struct {
	// Query selects the contacts exactly as the contact list does; its
	// paging, cursor and sort are ignored (rows come in id order).
	Query ListQuery
	// RawQuery is the query string Query was read from, kept with the
	// export and in the audit log.
	RawQuery string
	Format   string   // csv, ndjson or xlsx; "" is csv
	Columns  []string // ExportColumns names or custom.<key>; empty is all
}

func (r *ExportRequest) validate() error {
	v := &ValidationError{}
	if r.Format == "" {
		r.Format = FormatCSV
	}
	r.Format = strings.ToLower(strings.TrimSpace(r.Format))
	known := false
	for _, f := range ExportFormats {
		known = known || f == r.Format
	}
	if !known {
		v.Add("format", "must be one of "+strings.Join(ExportFormats, ", "))
	}
	if len(r.RawQuery) > 4000 {
		v.Add("query", "is too long")
	}
	if _, err := parseColumns(r.Columns); err != nil {
		v.Add("columns", err.Error())
	}
	return v.Err()
}

// parseColumns checks a column choice and resolves it; none means all.
func parseColumns(names []string) ([]column, error) {
	if len(names) == 0 {
		names = ExportColumns
	}
	if len(names) > 200 {
		return nil, errors.New("at most 200 columns")
	}
	out := make([]column, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		c, ok := columnNamed(n)
		if !ok {
			return nil, fmt.Errorf("unknown column %q: use %s, or custom.<key>", n, strings.Join(ExportColumns, ", "))
		}
		if seen[n] || (c.field == colCustomKey && seen["custom"]) || (c.field == colCustom && anyCustomKey(seen)) {
			return nil, fmt.Errorf("column %q is named twice (custom includes every custom.<key>)", n)
		}
		seen[n] = true
		out = append(out, c)
	}
	return out, nil
}

func anyCustomKey(seen map[string]bool) bool {
	for n := range seen {
		if strings.HasPrefix(n, "custom.") {
			return true
		}
	}
	return false
}
