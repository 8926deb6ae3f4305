package contacts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Member is a staff user of one project, with the role they have there.
type Member struct {
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"` // when the account was made
}

// ErrLastOwner refuses a change that would leave a project without an
// owner, whom nobody else could replace.
var ErrLastOwner = fmt.Errorf("a project needs an owner: make someone else owner first: %w", ErrConflict)

// MemberStore lists and changes a project's members.
type MemberStore interface {
	// ListMembers lists the project's members by email.
	ListMembers(ctx context.Context, projectID int64) ([]Member, error)
	// ChangeMemberRole gives a member another role and appends audit(the
	// member as they were) in the same transaction; the role they have
	// already changes and audits nothing. ErrNotFound when the
	// user is not a member; ErrLastOwner when the project would be left
	// without an owner.
	ChangeMemberRole(ctx context.Context, projectID, userID int64, role Role, audit func(before Member) AuditEntry) (*Member, error)
	// RemoveMember takes the user out of the project (the account stays,
	// as do its other projects) and appends audit(the member as they
	// were) in the same transaction; their sessions in the project end
	// with the membership. ErrNotFound and ErrLastOwner as above.
	RemoveMember(ctx context.Context, projectID, userID int64, audit func(before Member) AuditEntry) error
}

// memberAudit is what the audit log keeps of a member: never a password.
type memberAudit struct {
	UserID     int64  `json:"user_id"`
	Email      string `json:"email"`
	Role       Role   `json:"role"`
	NewAccount bool   `json:"new_account,omitempty"`
}

// Members lists the project's staff; owners only.
func (s *Service) Members(ctx context.Context, actor Actor, projectID int64) ([]Member, error) {
	if err := MayManageAccess(actor); err != nil {
		return nil, err
	}
	ms, err := s.store.ListMembers(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return ms, nil
}

// MemberAdded is the outcome of AddMember.
type MemberAdded struct {
	Member Member
	// Password is the generated password of a new account, shown once;
	// empty when the owner chose one or the account existed.
	Password string
	// Existing: the email had an account already (from another project),
	// which keeps its own password.
	Existing bool
}

// AddMember gives the user with email a role in the project, as actor (an
// owner). A new account gets password, or a generated one returned in the
// outcome; an existing account keeps its password, whatever was typed,
// since one project's owner must not take over another's user. A user
// who is a member already is a validation error on email: their role is
// changed with ChangeMemberRole, which guards the last owner.
func (s *Service) AddMember(ctx context.Context, actor Actor, projectID int64, email string, role Role, password string) (*MemberAdded, error) {
	if err := MayManageAccess(actor); err != nil {
		return nil, err
	}
	v := &ValidationError{}
	e, err := NormalizeEmail(email)
	if err != nil || e == "" {
		v.Add("email", "is not a valid email address")
	}
	if !ValidRole(role) {
		v.Add("role", "must be owner, admin or agent")
	}
	if password != "" {
		if _, err := HashPassword(password); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				v.Add("password", ve.Fields["password"])
			} else {
				return nil, err
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := &MemberAdded{}
	u, err := s.store.UserByEmail(ctx, e)
	switch {
	case errors.Is(err, ErrNotFound):
		if u, out.Password, err = s.newAccount(ctx, e, password); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("add member %s: %w", e, err)
	default:
		out.Existing = true
		ms, err := s.store.Memberships(ctx, u.ID)
		if err != nil {
			return nil, fmt.Errorf("add member %s: %w", e, err)
		}
		for _, m := range ms {
			if m.ProjectID == projectID {
				return nil, Invalid("email", "is a member already: change their role in the list")
			}
		}
	}
	if err := s.store.SetMembership(ctx, Membership{ProjectID: projectID, UserID: u.ID, Role: role}); err != nil {
		return nil, fmt.Errorf("add %s to project: %w", e, err)
	}
	out.Member = Member{UserID: u.ID, Email: u.Email, Role: role, CreatedAt: u.CreatedAt}
	s.AuditSettings(ctx, actor, projectID, AuditUserAdd, nil,
		memberAudit{UserID: u.ID, Email: u.Email, Role: role, NewAccount: !out.Existing})
	return out, nil
}

// newAccount creates a user with password, or a generated one it returns.
func (s *Service) newAccount(ctx context.Context, email, password string) (*User, string, error) {
	generated := ""
	if password == "" {
		pw, err := RandomPassword()
		if err != nil {
			return nil, "", err
		}
		password, generated = pw, pw
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	u := &User{Email: email, PasswordHash: hash, CreatedAt: s.now()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrConflict) {
			return nil, "", fmt.Errorf("%s signed up meanwhile: add them again: %w", email, ErrConflict)
		}
		return nil, "", fmt.Errorf("create user: %w", err)
	}
	return u, generated, nil
}

// ChangeMemberRole gives a member another role, as actor (an owner).
// ErrLastOwner when it would demote the project's only owner.
func (s *Service) ChangeMemberRole(ctx context.Context, actor Actor, projectID, userID int64, role Role) (*Member, error) {
	if err := MayManageAccess(actor); err != nil {
		return nil, err
	}
	if !ValidRole(role) {
		return nil, Invalid("role", "must be owner, admin or agent")
	}
	now := s.now()
	m, err := s.store.ChangeMemberRole(ctx, projectID, userID, role, func(b Member) AuditEntry {
		return NewAudit(projectID, actor, AuditUserRole, 0, memberAudit{UserID: b.UserID, Email: b.Email, Role: b.Role},
			memberAudit{UserID: b.UserID, Email: b.Email, Role: role}, now)
	})
	if err != nil {
		return nil, fmt.Errorf("change the role of user %d: %w", userID, err)
	}
	return m, nil
}

// RemoveMember takes a user out of the project, as actor (an owner).
// ErrLastOwner when they are its only owner.
func (s *Service) RemoveMember(ctx context.Context, actor Actor, projectID, userID int64) error {
	if err := MayManageAccess(actor); err != nil {
		return err
	}
	now := s.now()
	err := s.store.RemoveMember(ctx, projectID, userID, func(b Member) AuditEntry {
		return NewAudit(projectID, actor, AuditUserRemove, 0, memberAudit{UserID: b.UserID, Email: b.Email, Role: b.Role}, nil, now)
	})
	if err != nil {
		return fmt.Errorf("remove user %d from the project: %w", userID, err)
	}
	return nil
}

// ParseRole reads a role a form or request names.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	return r, ValidRole(r)
}
