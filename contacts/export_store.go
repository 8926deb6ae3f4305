package contacts

import (
	"context"
	"time"
)

// ExportStore persists what the export features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type ExportStore interface {
	// ExportContacts reads every contact q matches (its paging and sort are
	// ignored) in id order, from one consistent snapshot of the database, in
	// pages on the read side. It first calls head with how many contacts
	// match and, when customKeys is set, the custom attribute keys they use,
	// sorted; then fn with each contact, identities attached. An error from
	// head or fn stops the scan and is returned as it is.
	ExportContacts(ctx context.Context, q ListQuery, customKeys bool,
		head func(total int, keys []string) error, fn func(*Contact) error) error

	// CreateExport records a new export and its job (setting both ids) in
	// one transaction.
	CreateExport(ctx context.Context, e *Export) error
	// FinishExport records a written export (rows, size, file, expiry), its
	// job as done and the audit entry, in one transaction.
	FinishExport(ctx context.Context, e *Export, audit AuditEntry) error
	// GetExport loads an export of the project with its job; ErrNotFound
	// when there is none.
	GetExport(ctx context.Context, projectID, id int64) (*Export, error)
	// ExpiredExports lists up to limit exports, of any project, whose file
	// is still kept but expired at or before the given time.
	ExpiredExports(ctx context.Context, before time.Time, limit int) ([]Export, error)
	// ForgetExportFile records that an export's file was deleted.
	ForgetExportFile(ctx context.Context, id int64) error
}
