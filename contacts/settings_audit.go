package contacts

import (
	"context"
	"fmt"
)

// Audit actions of settings changes. Their entries name no contact
// (contact_id 0), so the webhook fan-out raises no event for them.
const (
	AuditChannelCreate = "channel.create"
	AuditChannelUpdate = "channel.update"
	AuditChannelDelete = "channel.delete"
	AuditBotUpdate     = "bot.update"
	AuditAPIKeyCreate  = "api_key.create"
	AuditAPIKeyRevoke  = "api_key.revoke"
	AuditUserAdd       = "user.add"
	AuditUserRole      = "user.role"
	AuditUserRemove    = "user.remove"
)

// MayChangeSettings is the role rule of project settings (channels, the
// bot): admins and owners (and API keys, which act as admins), not agents.
func MayChangeSettings(actor Actor) error {
	if actor.Role == RoleAgent || actor.Role == "" {
		return fmt.Errorf("only admins and owners change settings: %w", ErrForbidden)
	}
	return nil
}

// MayManageAccess is the role rule of who gets in: only owners add and
// remove users, change roles and make or revoke API keys.
func MayManageAccess(actor Actor) error {
	if actor.Role != RoleOwner {
		return fmt.Errorf("only owners manage users and API keys: %w", ErrForbidden)
	}
	return nil
}

// AuditSettings appends a settings change to the audit log. The change has
// been made already, so a failure to record it is logged, not returned:
// the caller's answer must say what happened. before and after must hold
// no secrets; callers pass redacted views.
func (s *Service) AuditSettings(ctx context.Context, actor Actor, projectID int64, action string, before, after any) {
	e := NewAudit(projectID, actor, action, 0, before, after, s.now())
	if err := s.store.AppendAudit(ctx, e); err != nil {
		s.log.Error("audit a settings change", "action", action, "project_id", projectID,
			"actor_kind", actor.Kind, "actor_id", actor.ID, "error", err)
	}
}
