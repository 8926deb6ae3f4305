package contacts

import (
	"context"
	"time"
)

// ImportStore persists what the import features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type ImportStore interface {
	// CreateImport records a new import and its job (kind "import", the
	// same id, which it sets on imp) in one transaction.
	CreateImport(ctx context.Context, imp *Import) error
	// GetImport returns an import with its job's status; ErrNotFound for a
	// missing one or one of another project.
	GetImport(ctx context.Context, projectID, id int64) (*Import, error)
	// ListImports lists a project's latest imports, newest first.
	ListImports(ctx context.Context, projectID int64, limit int) ([]Import, error)
	// MatchImportKeys finds which contacts of a project hold the keys.
	MatchImportKeys(ctx context.Context, projectID int64, keys *ImportKeys) (*ImportMatches, error)
	// CommitImportBatch writes one batch of an import in one transaction:
	// it looks up the batch's keys, lets Plan decide given what it found,
	// inserts the new contacts, loads and applies each update (saving and
	// auditing it when Apply reports a change), then records the failed
	// rows and the progress Done returns on the import and its job. It
	// reports whether cancelling the import was asked for. A unique value
	// that clashes anyway (a concurrent writer) returns a *DuplicateError
	// and writes nothing.
	CommitImportBatch(ctx context.Context, b *ImportBatch) (cancelRequested bool, err error)
	// FinishImport saves an import's final counts and its job's status
	// (done or failed), with the audit entry, in one transaction.
	FinishImport(ctx context.Context, imp *Import, audit AuditEntry) error
	// RestartImport sets a failed import's job running again (a resume);
	// with interrupted, also one still marked running whose process died.
	// ErrConflict otherwise.
	RestartImport(ctx context.Context, projectID, id int64, at time.Time, interrupted bool) error
	// RequestImportCancel asks a running import to stop after its current
	// batch; ErrConflict when it is not running, ErrNotFound when missing.
	RequestImportCancel(ctx context.Context, projectID, id int64, at time.Time) error
	// ImportErrors lists up to limit failed-row records of an import with
	// ids above afterID, in order.
	ImportErrors(ctx context.Context, projectID, id, afterID int64, limit int) ([]ImportRowError, error)
}

// ImportKeys are the values an import matches its rows on.
type ImportKeys struct {
	Emails      []string
	Phones      []string
	ExternalIDs []string
	Identities  []IdentityKey
	// Names are sort names (lower-case display names) of rows that carry
	// no unique value; such rows match contacts that carry none either, on
	// name and company.
	Names []string
}

// IdentityKey is a channel identity.
type IdentityKey struct {
	Channel    Channel
	ExternalID string
}

// ImportMatches says which contacts hold an import's keys.
type ImportMatches struct {
	Email      map[string]int64
	Phone      map[string]int64
	ExternalID map[string]int64
	Identity   map[IdentityKey]int64
	Name       map[string][]NameMatch // only contacts without unique values
}

// NameMatch is a contact found by sort name, with its company.
type NameMatch struct {
	ID      int64
	Company string
}

// ImportBatch is one batch of an import for CommitImportBatch.
type ImportBatch struct {
	ImportID  int64
	ProjectID int64
	Actor     Actor // audits the updates
	At        time.Time
	Keys      *ImportKeys
	// Plan decides the batch's rows given the contacts holding its keys.
	// The store may call it again (after a clash), so it starts afresh
	// each time.
	Plan func(found *ImportMatches) (*ImportPlan, error)
	// Done returns the import's progress after the batch and the failed
	// rows to record; the store calls it after the writes.
	Done func() (*Import, []ImportRowError)
}

// ImportPlan is what a batch writes.
type ImportPlan struct {
	Creates []*Contact
	Updates []ImportUpdate
}

// ImportUpdate applies a row to an existing contact. Apply changes c and
// reports whether it changed anything that must be saved; the store calls
// it with nil when the contact was deleted meanwhile.
type ImportUpdate struct {
	ContactID int64
	Apply     func(c *Contact) bool
}
