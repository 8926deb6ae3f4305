package contacts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// CreateProject makes a project; names are unique.
func (s *Service) CreateProject(ctx context.Context, name string) (*Project, error) {
	n, err := cleanText("name", name, maxShortLen, false)
	if err != nil {
		return nil, err
	}
	if n == "" {
		return nil, Invalid("name", "must not be empty")
	}
	p := &Project{Name: n, CreatedAt: s.now()}
	if err := s.store.CreateProject(ctx, p); err != nil {
		return nil, fmt.Errorf("create project %q: %w", n, err)
	}
	return p, nil
}

// ProjectByName finds a project.
func (s *Service) ProjectByName(ctx context.Context, name string) (*Project, error) {
	p, err := s.store.ProjectByName(ctx, strings.TrimSpace(name))
	if err != nil {
		return nil, fmt.Errorf("project %q: %w", name, err)
	}
	return p, nil
}

// ProjectByID finds a project.
func (s *Service) ProjectByID(ctx context.Context, id int64) (*Project, error) {
	return s.store.ProjectByID(ctx, id)
}

// HashPassword hashes a staff password with bcrypt.
func HashPassword(pw string) (string, error) {
	if len(pw) < 8 {
		return "", Invalid("password", "must be at least 8 characters")
	}
	if len(pw) > 72 {
		return "", Invalid("password", "must be at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// AddUser creates a staff user (or reuses an existing one with that email)
// and gives it role in the project. An empty password keeps the existing
// one, or generates one for a new user; the generated one is returned.
func (s *Service) AddUser(ctx context.Context, projectID int64, email string, role Role, password string) (*User, string, error) {
	e, err := NormalizeEmail(email)
	if err != nil || e == "" {
		// Local bootstrap accounts like admin@localhost have no dotted domain.
		e = strings.ToLower(strings.TrimSpace(email))
		if !strings.HasSuffix(e, "@localhost") || len(e) <= len("@localhost") {
			return nil, "", Invalid("email", "is not a valid email address")
		}
	}
	if !ValidRole(role) {
		return nil, "", Invalid("role", "must be owner, admin or agent")
	}
	u, err := s.store.UserByEmail(ctx, e)
	generated := ""
	switch {
	case errors.Is(err, ErrNotFound):
		if password == "" {
			if password, err = RandomPassword(); err != nil {
				return nil, "", err
			}
			generated = password
		}
		hash, err := HashPassword(password)
		if err != nil {
			return nil, "", err
		}
		u = &User{Email: e, PasswordHash: hash, CreatedAt: s.now()}
		if err := s.store.CreateUser(ctx, u); err != nil {
			return nil, "", fmt.Errorf("create user: %w", err)
		}
	case err != nil:
		return nil, "", err
	case password != "":
		if err := s.SetPassword(ctx, e, password); err != nil {
			return nil, "", err
		}
	}
	if err := s.store.SetMembership(ctx, Membership{ProjectID: projectID, UserID: u.ID, Role: role}); err != nil {
		return nil, "", fmt.Errorf("add %s to project: %w", e, err)
	}
	return u, generated, nil
}

// SetPassword changes a user's password.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	u, err := s.store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return fmt.Errorf("user %s: %w", email, err)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPasswordHash(ctx, u.ID, hash)
}

// CheckPassword returns the user when the password matches, else ErrUnauthorized.
func (s *Service) CheckPassword(ctx context.Context, email, password string) (*User, error) {
	u, err := s.store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, ErrUnauthorized
	}
	return u, nil
}

// Memberships lists a user's projects and roles.
func (s *Service) Memberships(ctx context.Context, userID int64) ([]Membership, error) {
	return s.store.Memberships(ctx, userID)
}

// CreateAPIKey makes a key for the project and returns it with its secret,
// which is shown once and never stored.
func (s *Service) CreateAPIKey(ctx context.Context, projectID int64, name string) (*APIKey, string, error) {
	n, err := cleanText("name", name, maxShortLen, false)
	if err != nil {
		return nil, "", err
	}
	secret, prefix, hash, err := NewAPIKeySecret()
	if err != nil {
		return nil, "", fmt.Errorf("generate api key: %w", err)
	}
	k := &APIKey{ProjectID: projectID, Name: n, Prefix: prefix, Hash: hash, CreatedAt: s.now()}
	if err := s.store.CreateAPIKey(ctx, k); err != nil {
		return nil, "", fmt.Errorf("create api key: %w", err)
	}
	return k, secret, nil
}

// ListAPIKeys lists a project's keys (all keys for projectID 0).
func (s *Service) ListAPIKeys(ctx context.Context, projectID int64) ([]APIKey, error) {
	return s.store.ListAPIKeys(ctx, projectID)
}

// RevokeAPIKey revokes a key; it stops working at once in this process.
func (s *Service) RevokeAPIKey(ctx context.Context, id int64) error {
	if err := s.store.RevokeAPIKey(ctx, id, s.now()); err != nil {
		return fmt.Errorf("revoke api key %d: %w", id, err)
	}
	s.keys.clear()
	return nil
}

// Bootstrapped is what the first start of an empty database created.
type Bootstrapped struct {
	Project  *Project
	User     *User
	Password string
	APIKey   string
}

// Bootstrap creates the Default project, its owner admin@localhost with a
// generated password and an API key, when the database has no project yet.
// It returns nil when there was nothing to do.
func (s *Service) Bootstrap(ctx context.Context) (*Bootstrapped, error) {
	now := s.now()
	pw, err := RandomPassword()
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return nil, err
	}
	secret, prefix, khash, err := NewAPIKeySecret()
	if err != nil {
		return nil, err
	}
	p := &Project{Name: "Default", CreatedAt: now}
	u := &User{Email: "admin@localhost", PasswordHash: hash, CreatedAt: now}
	k := &APIKey{Name: "default", Prefix: prefix, Hash: khash, CreatedAt: now}
	did, err := s.store.Bootstrap(ctx, p, u, k)
	if err != nil || !did {
		return nil, err
	}
	return &Bootstrapped{Project: p, User: u, Password: pw, APIKey: secret}, nil
}

// keyCache keeps recently authenticated keys so an API request costs no
// database round trip. Entries live briefly so a key revoked by another
// process stops working within keyCacheTTL.
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	key     APIKey
	expires time.Time
	touched time.Time
}

const (
	keyCacheTTL   = 10 * time.Second
	keyTouchEvery = time.Minute
)

func newKeyCache() *keyCache { return &keyCache{m: map[string]cachedKey{}} }

func (c *keyCache) clear() {
	c.mu.Lock()
	c.m = map[string]cachedKey{}
	c.mu.Unlock()
}

// AuthenticateAPIKey returns the key for a bearer secret, or ErrUnauthorized.
// last_used_at is written at most once a minute per key.
func (s *Service) AuthenticateAPIKey(ctx context.Context, secret string) (*APIKey, error) {
	if !strings.HasPrefix(secret, apiKeyPrefix) || len(secret) > 100 {
		return nil, ErrUnauthorized
	}
	hash := HashAPIKey(secret)
	now := s.now()
	s.keys.mu.Lock()
	ck, ok := s.keys.m[hash]
	s.keys.mu.Unlock()
	if !ok || now.After(ck.expires) {
		k, err := s.store.APIKeyByHash(ctx, hash)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrUnauthorized
		}
		if err != nil {
			return nil, fmt.Errorf("authenticate api key: %w", err)
		}
		ck = cachedKey{key: *k, expires: now.Add(keyCacheTTL), touched: ck.touched}
		if ck.touched.IsZero() {
			ck.touched = k.LastUsedAt
		}
	}
	if now.Sub(ck.touched) >= keyTouchEvery {
		ck.touched = now
		if err := s.store.TouchAPIKey(ctx, ck.key.ID, now); err != nil {
			s.log.Warn("record api key use", "key_id", ck.key.ID, "error", err)
		}
	}
	s.keys.mu.Lock()
	if len(s.keys.m) > 10000 {
		s.keys.m = map[string]cachedKey{}
	}
	s.keys.m[hash] = ck
	s.keys.mu.Unlock()
	k := ck.key
	return &k, nil
}
