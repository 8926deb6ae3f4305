package contacts

import (
	"fmt"
	"time"
)

// ErasureMode is how a contact is erased: its conversations deleted with it,
// or kept for the business's records, unlinked and anonymised.
type ErasureMode string

const (
	ErasureDelete    ErasureMode = "delete"
	ErasureAnonymize ErasureMode = "anonymize"
)

// Audit actions of the privacy features.
const (
	AuditErasureRequest = "contact.erase_request" // hidden for the grace period
	AuditErasureCancel  = "contact.restore"       // restored within it
	AuditPrivacyUpdate  = "privacy.update"
	AuditRetentionRun   = "retention.run"
)

// Bounds of the privacy settings.
const (
	MaxGraceDays         = 365
	MaxRetentionMonths   = 120
	MaxBodyRetentionDays = 3650
)

// PrivacySettings are a project's erasure default and retention policies.
// Zero values mean "off"; a project that never saved any has the zero
// settings with ErasureDefault delete.
type PrivacySettings struct {
	ErasureDefault ErasureMode `json:"erasure_default"`
	// ErasureGraceDays hides an erased contact that long (restorable)
	// before it is erased for good; 0 erases at once.
	ErasureGraceDays int             `json:"erasure_grace_days"`
	Retention        RetentionPolicy `json:"retention"`
	UpdatedAt        time.Time       `json:"-"` // zero: never saved
	// LastRetentionRun is when the scheduler last applied the policies.
	LastRetentionRun time.Time `json:"-"`
}

// RetentionPolicy is what the scheduler does on its own; 0 turns a rule off.
type RetentionPolicy struct {
	// ArchiveInactiveMonths archives contacts with no activity (message,
	// visit) for that many months: lead status archived, and the clock of
	// PurgeArchivedMonths starts.
	ArchiveInactiveMonths int `json:"archive_inactive_months"`
	// PurgeArchivedMonths erases contacts archived that long with no
	// activity since, in the project's erasure mode.
	PurgeArchivedMonths int `json:"purge_archived_months"`
	// PurgeMessageBodiesDays blanks the text and attachments of messages
	// older than that; the messages, their counts and metadata stay.
	PurgeMessageBodiesDays int `json:"purge_message_bodies_days"`
}

// Active reports whether any rule is on.
func (p RetentionPolicy) Active() bool {
	return p.ArchiveInactiveMonths > 0 || p.PurgeArchivedMonths > 0 || p.PurgeMessageBodiesDays > 0
}

// DefaultPrivacySettings are a project's settings until it saves its own.
func DefaultPrivacySettings() PrivacySettings {
	return PrivacySettings{ErasureDefault: ErasureDelete}
}

// PrivacyInput is a change of the privacy settings; nil fields keep their
// value.
type PrivacyInput struct {
	ErasureDefault   *string         `json:"erasure_default"`
	ErasureGraceDays *int            `json:"erasure_grace_days"`
	Retention        *RetentionInput `json:"retention"`
}

// RetentionInput is a change of the retention policy; nil fields keep
// their value.
type RetentionInput struct {
	ArchiveInactiveMonths  *int `json:"archive_inactive_months"`
	PurgeArchivedMonths    *int `json:"purge_archived_months"`
	PurgeMessageBodiesDays *int `json:"purge_message_bodies_days"`
}

// Apply validates in and writes it onto s.
func (in PrivacyInput) Apply(s *PrivacySettings) error {
	v := &ValidationError{}
	if in.ErasureDefault != nil {
		switch m := ErasureMode(*in.ErasureDefault); m {
		case ErasureDelete, ErasureAnonymize:
			s.ErasureDefault = m
		default:
			v.Add("erasure_default", "must be delete or anonymize")
		}
	}
	bounded := func(field string, p *int, max int, dst *int) {
		if p == nil {
			return
		}
		if *p < 0 || *p > max {
			v.Add(field, fmt.Sprintf("must be between 0 (off) and %d", max))
			return
		}
		*dst = *p
	}
	bounded("erasure_grace_days", in.ErasureGraceDays, MaxGraceDays, &s.ErasureGraceDays)
	if r := in.Retention; r != nil {
		bounded("retention.archive_inactive_months", r.ArchiveInactiveMonths, MaxRetentionMonths, &s.Retention.ArchiveInactiveMonths)
		bounded("retention.purge_archived_months", r.PurgeArchivedMonths, MaxRetentionMonths, &s.Retention.PurgeArchivedMonths)
		bounded("retention.purge_message_bodies_days", r.PurgeMessageBodiesDays, MaxBodyRetentionDays, &s.Retention.PurgeMessageBodiesDays)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if s.Retention.PurgeArchivedMonths > 0 && s.Retention.ArchiveInactiveMonths == 0 {
		return Invalid("retention.purge_archived_months", "needs archive_inactive_months: only archived contacts are purged")
	}
	return nil
}

// Erasure is a contact in its erasure grace period: hidden from every list,
// search and read, restorable until EraseAfter, then erased.
type Erasure struct {
	ProjectID   int64       `json:"-"`
	ContactID   int64       `json:"contact_id"`
	Name        string      `json:"name"` // the contact's display name, for staff deciding on a restore
	Mode        ErasureMode `json:"mode"`
	RequestedAt time.Time   `json:"requested_at"`
	EraseAfter  time.Time   `json:"erase_after"`
	ActorKind   string      `json:"requested_by_kind"`
	ActorID     int64       `json:"requested_by_id"`
	ActorName   string      `json:"requested_by"`
}

// MayReceiveAutomated reports whether anything automated (bot replies,
// follow-ups, campaigns) may message the contact. Only an opt-out stops it:
// the opt-out confirmation itself and messages staff write by hand are not
// automated.
func (c *Contact) MayReceiveAutomated() bool { return !c.DoNotContact }
