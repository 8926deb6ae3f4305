package contacts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Project owns channels, contacts, conversations and API keys.
type Project struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Role of a staff user in one project.
type Role string

const (
	RoleOwner Role = "owner"
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return r == RoleOwner || r == RoleAdmin || r == RoleAgent }

// User is a staff member. The password hash never leaves the store layer in
// API responses.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Membership gives a user a role in a project.
type Membership struct {
	ProjectID int64 `json:"project_id"`
	UserID    int64 `json:"user_id"`
	Role      Role  `json:"role"`
}

// APIKey authenticates integrations for one project. Only a hash of the
// secret is stored; Prefix is the visible part for telling keys apart.
type APIKey struct {
	ID         int64     `json:"id"`
	ProjectID  int64     `json:"project_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	Hash       string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	RevokedAt  time.Time `json:"revoked_at"`
}

const apiKeyPrefix = "sb_"

// NewAPIKeySecret makes a random key: "sb_" and 43 base64url characters
// (256 bits). It returns the key, its visible prefix and its hash.
func NewAPIKeySecret() (key, prefix, hash string, err error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", "", "", err
	}
	key = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(buf)
	return key, key[:len(apiKeyPrefix)+8], HashAPIKey(key), nil
}

// HashAPIKey hashes a key for lookup. A fast hash is right here: the key has
// 256 bits of entropy, so there is nothing for a slow hash to protect, and
// every API request pays this cost.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return hex.EncodeToString(sum[:])
}

// RandomPassword makes a readable random password for first-start accounts.
func RandomPassword() (string, error) {
	buf := make([]byte, 15)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}
