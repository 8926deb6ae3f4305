package contacts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Session is a staff user's admin UI login. The secret travels only in the
// cookie; the store keeps its hash.
type Session struct {
	Hash       string
	UserID     int64
	Email      string
	ProjectID  int64
	Role       Role // the user's role in ProjectID
	CSRF       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Actor is who the session acts as in the audit log and role checks.
func (s *Session) Actor() Actor {
	return Actor{Kind: ActorUser, ID: s.UserID, Name: s.Email, Role: s.Role}
}

// SessionStore persists admin UI sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session with the user's email and role in
	// its project; ErrNotFound when there is none or the user lost the
	// project.
	SessionByHash(ctx context.Context, hash string) (*Session, error)
	TouchSession(ctx context.Context, hash string, seen, expires time.Time) error
	SetSessionProject(ctx context.Context, hash string, projectID int64) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions ends every session of the user but keepHash.
	DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error
	PurgeExpiredSessions(ctx context.Context, before time.Time) (int64, error)
}

// Session lifetimes: a session ends after SessionIdle without a request, and
// a request renews it at most once per sessionTouchEvery.
const (
	SessionIdle       = 7 * 24 * time.Hour
	sessionTouchEvery = time.Minute
)

// Audit actions of staff accounts.
const (
	AuditLogin          = "user.login"
	AuditLogout         = "user.logout"
	AuditPasswordChange = "user.password_change"
)

func randomToken() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// Login checks the password and opens a session in the user's first
// project. It returns the session and the secret for the cookie. A wrong
// email or password is ErrUnauthorized; a user without projects ErrForbidden.
func (s *Service) Login(ctx context.Context, email, password string) (*Session, string, error) {
	u, err := s.CheckPassword(ctx, email, password)
	if err != nil {
		return nil, "", err
	}
	ms, err := s.store.Memberships(ctx, u.ID)
	if err != nil {
		return nil, "", fmt.Errorf("login: %w", err)
	}
	if len(ms) == 0 {
		return nil, "", fmt.Errorf("%s belongs to no project: %w", u.Email, ErrForbidden)
	}
	secret, err := randomToken()
	if err != nil {
		return nil, "", err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	sess := &Session{Hash: HashAPIKey(secret), UserID: u.ID, Email: u.Email, ProjectID: ms[0].ProjectID, Role: ms[0].Role,
		CSRF: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionIdle)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, "", fmt.Errorf("create session: %w", err)
	}
	s.auditAccount(ctx, sess, AuditLogin)
	return sess, secret, nil
}

// auditAccount records an account event; a failure is logged, not returned,
// because the event itself already happened.
func (s *Service) auditAccount(ctx context.Context, sess *Session, action string) {
	e := NewAudit(sess.ProjectID, sess.Actor(), action, 0, nil, nil, s.now())
	if err := s.store.AppendAudit(ctx, e); err != nil {
		s.log.Warn("audit account event", "action", action, "user_id", sess.UserID, "error", err)
	}
}

// SessionBySecret returns the live session for a cookie secret, renewing
// it; ErrUnauthorized when it is unknown or expired.
func (s *Service) SessionBySecret(ctx context.Context, secret string) (*Session, error) {
	if secret == "" || len(secret) > 100 {
		return nil, ErrUnauthorized
	}
	sess, err := s.store.SessionByHash(ctx, HashAPIKey(secret))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return nil, ErrUnauthorized
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(SessionIdle)
		if err := s.store.TouchSession(ctx, sess.Hash, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			s.log.Warn("renew session", "user_id", sess.UserID, "error", err)
		}
	}
	return sess, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, sess *Session) error {
	if err := s.store.DeleteSession(ctx, sess.Hash); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("logout: %w", err)
	}
	s.auditAccount(ctx, sess, AuditLogout)
	return nil
}

// SwitchProject moves the session to another of the user's projects.
func (s *Service) SwitchProject(ctx context.Context, sess *Session, projectID int64) error {
	ms, err := s.store.Memberships(ctx, sess.UserID)
	if err != nil {
		return fmt.Errorf("switch project: %w", err)
	}
	for _, m := range ms {
		if m.ProjectID == projectID {
			if err := s.store.SetSessionProject(ctx, sess.Hash, projectID); err != nil {
				return fmt.Errorf("switch project: %w", err)
			}
			sess.ProjectID, sess.Role = projectID, m.Role
			return nil
		}
	}
	return fmt.Errorf("project %d: %w", projectID, ErrNotFound)
}

// UserProjects lists the projects the user belongs to, with the role in each.
type UserProject struct {
	Project
	Role Role
}

// UserProjects lists a user's projects for the project switcher.
func (s *Service) UserProjects(ctx context.Context, userID int64) ([]UserProject, error) {
	ms, err := s.store.Memberships(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("user projects: %w", err)
	}
	out := make([]UserProject, 0, len(ms))
	for _, m := range ms {
		p, err := s.store.ProjectByID(ctx, m.ProjectID)
		if err != nil {
			return nil, fmt.Errorf("user projects: %w", err)
		}
		out = append(out, UserProject{Project: *p, Role: m.Role})
	}
	return out, nil
}

// ChangePassword sets a new password after checking the current one, and
// ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, current, next string) error {
	if _, err := s.CheckPassword(ctx, sess.Email, current); err != nil {
		if errors.Is(err, ErrUnauthorized) {
			return Invalid("current_password", "is not your current password")
		}
		return err
	}
	if err := s.SetPassword(ctx, sess.Email, next); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return Invalid("new_password", ve.Fields["password"])
		}
		return err
	}
	if err := s.store.DeleteUserSessions(ctx, sess.UserID, sess.Hash); err != nil {
		return fmt.Errorf("end other sessions: %w", err)
	}
	s.auditAccount(ctx, sess, AuditPasswordChange)
	return nil
}

// PurgeExpiredSessions deletes sessions that have expired.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	return s.store.PurgeExpiredSessions(ctx, s.now())
}
