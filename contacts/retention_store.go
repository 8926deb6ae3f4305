package contacts

import (
	"context"
	"time"
)

// RetentionStore persists what the retention features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
//
// A contact with a pending erasure is hidden: GetContact, UpdateContact,
// ListContacts (and so search, cursor pages and bulk selections),
// FindDuplicates and Stats leave it out as if it were gone.
type RetentionStore interface {
	// PrivacySettings returns a project's settings, DefaultPrivacySettings
	// when it never saved any.
	PrivacySettings(ctx context.Context, projectID int64) (*PrivacySettings, error)
	// UpdatePrivacySettings loads the settings, lets mutate change them and
	// saves them with an audit entry (before and after) in one transaction;
	// mutate's error aborts it.
	UpdatePrivacySettings(ctx context.Context, projectID int64, actor Actor, at time.Time, mutate func(*PrivacySettings) error) (*PrivacySettings, error)

	// RequestErasure hides a contact until e.EraseAfter and records audit, in
	// one transaction. ErrNotFound for a missing or already hidden contact.
	RequestErasure(ctx context.Context, e *Erasure, audit AuditEntry) error
	// CancelErasure shows a hidden contact again and records audit.
	// ErrNotFound when the contact has no pending erasure; ErrConflict when
	// its grace period ended by at (it is about to be erased).
	CancelErasure(ctx context.Context, projectID, contactID int64, at time.Time, audit AuditEntry) error
	// ListErasures lists a project's pending erasures, soonest first.
	ListErasures(ctx context.Context, projectID int64) ([]Erasure, error)
	// DueErasures lists up to limit pending erasures of any project whose
	// grace period ended by now.
	DueErasures(ctx context.Context, now time.Time, limit int) ([]Erasure, error)
	// ErasableContact loads a contact whether or not it is hidden (erasing
	// one needs its values to redact them); ErrNotFound when it is gone.
	ErasableContact(ctx context.Context, projectID, id int64) (*Contact, error)

	// RetentionDue lists the projects with a retention rule on whose
	// policies last ran before since (or never).
	RetentionDue(ctx context.Context, since time.Time) ([]ProjectPrivacy, error)
	// ClaimRetentionRun records a run of the project's policies at now,
	// unless one was recorded after since; it reports whether this caller
	// won, so processes sharing a database run each project once.
	ClaimRetentionRun(ctx context.Context, projectID int64, now, since time.Time) (bool, error)
	// ArchiveInactive archives the project's contacts with no activity since
	// inactiveBefore (archived_at = at, lead status archived), restarting
	// the archive clock of those active again since they were archived, a
	// batch per transaction; it returns how many it archived.
	ArchiveInactive(ctx context.Context, projectID int64, inactiveBefore, at time.Time) (int, error)
	// ArchivedBefore lists up to limit contacts archived before the given
	// time with no activity since.
	ArchivedBefore(ctx context.Context, projectID int64, before time.Time, limit int) ([]int64, error)
	// PurgeMessageBodies blanks the text, first text and attachments of the
	// project's messages created before the given time, a batch per
	// transaction, keeping the messages; it returns how many it blanked.
	PurgeMessageBodies(ctx context.Context, projectID int64, before, at time.Time) (int, error)
	// AppendAudit appends one audit entry on its own (a retention run, a
	// login, a settings change).
	AppendAudit(ctx context.Context, audit AuditEntry) error
}

// ProjectPrivacy is a project's privacy settings, for the scheduler.
type ProjectPrivacy struct {
	ProjectID int64
	Settings  PrivacySettings
}
