package contacts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ChannelConfig is one channel a project has set up: its type (widget,
// livechat, telegram, ...), a name, the type's settings (secrets included;
// the API shows them redacted) and, for embeddable types, a public key.
type ChannelConfig struct {
	ID        int64
	ProjectID int64
	Type      string
	Name      string
	Config    json.RawMessage
	PublicKey string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ChannelKind validates one channel type's settings. The channel adapters
// provide them; cmd hands the service the table.
type ChannelKind interface {
	// Normalize checks a config and returns it in canonical form, or a
	// *ValidationError naming the bad setting.
	Normalize(config json.RawMessage) (json.RawMessage, error)
	// HasPublicKey reports whether channels of this type get a public key.
	HasPublicKey() bool
	// Redact returns a config without its secrets, for the API to show.
	Redact(config json.RawMessage) json.RawMessage
}

// ChannelStore persists channel configs.
type ChannelStore interface {
	// CreateChannel stores a channel and sets its id.
	CreateChannel(ctx context.Context, c *ChannelConfig) error
	// GetChannel returns ErrNotFound for another project's channel.
	GetChannel(ctx context.Context, projectID, id int64) (*ChannelConfig, error)
	ChannelByPublicKey(ctx context.Context, key string) (*ChannelConfig, error)
	// ChannelByID finds a channel whatever its project (webhooks name it).
	ChannelByID(ctx context.Context, id int64) (*ChannelConfig, error)
	ListChannels(ctx context.Context, projectID int64) ([]ChannelConfig, error)
	// ChannelsOfType lists every project's channels of one type.
	ChannelsOfType(ctx context.Context, typ string) ([]ChannelConfig, error)
	UpdateChannel(ctx context.Context, c *ChannelConfig) error
	DeleteChannel(ctx context.Context, projectID, id int64) error
}

func newPublicKey() (string, error) {
	buf := make([]byte, 18)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return "pk_" + base64.RawURLEncoding.EncodeToString(buf), nil
}

// ChannelInput creates or changes a channel. A nil field is left alone on
// update; Config is merged key by key (so write-only secrets need not be
// sent again), a null value removing the key.
type ChannelInput struct {
	Type   *string                    `json:"type"`
	Name   *string                    `json:"name"`
	Config map[string]json.RawMessage `json:"config"`
}

// CreateChannel sets up a channel of a known type.
func (s *Service) CreateChannel(ctx context.Context, projectID int64, kinds map[string]ChannelKind, in ChannelInput) (*ChannelConfig, error) {
	if in.Type == nil {
		return nil, Invalid("type", "is required")
	}
	kind, ok := kinds[*in.Type]
	if !ok {
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		return nil, Invalid("type", "must be one of "+strings.Join(sortedStrings(names), ", "))
	}
	now := s.now()
	c := &ChannelConfig{ProjectID: projectID, Type: *in.Type, Name: *in.Type, Config: []byte("{}"), CreatedAt: now, UpdatedAt: now}
	if err := applyChannelInput(c, kind, in); err != nil {
		return nil, err
	}
	if kind.HasPublicKey() {
		key, err := newPublicKey()
		if err != nil {
			return nil, err
		}
		c.PublicKey = key
	}
	if err := s.store.CreateChannel(ctx, c); err != nil {
		return nil, fmt.Errorf("create channel: %w", err)
	}
	return c, nil
}

// UpdateChannel changes a channel's name or settings; its type is fixed.
func (s *Service) UpdateChannel(ctx context.Context, projectID, id int64, kinds map[string]ChannelKind, in ChannelInput) (*ChannelConfig, error) {
	c, err := s.store.GetChannel(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("channel %d: %w", id, err)
	}
	if in.Type != nil && *in.Type != c.Type {
		return nil, Invalid("type", "cannot change; create a new channel")
	}
	kind, ok := kinds[c.Type]
	if !ok {
		return nil, fmt.Errorf("channel %d has unknown type %q: %w", id, c.Type, ErrConflict)
	}
	if err := applyChannelInput(c, kind, in); err != nil {
		return nil, err
	}
	c.UpdatedAt = s.now()
	if err := s.store.UpdateChannel(ctx, c); err != nil {
		return nil, fmt.Errorf("update channel %d: %w", id, err)
	}
	s.forgetChannel(id)
	return c, nil
}

func applyChannelInput(c *ChannelConfig, kind ChannelKind, in ChannelInput) error {
	if in.Name != nil {
		n, err := cleanText("name", *in.Name, maxShortLen, false)
		if err != nil {
			return err
		}
		if n == "" {
			return Invalid("name", "must not be empty")
		}
		c.Name = n
	}
	if in.Config == nil {
		in.Config = map[string]json.RawMessage{}
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(c.Config, &merged); err != nil {
		return fmt.Errorf("stored channel config: %w", err)
	}
	for k, v := range in.Config {
		if string(v) == "null" {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	raw, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	norm, err := kind.Normalize(raw)
	if err != nil {
		return err
	}
	c.Config = norm
	return nil
}

// Channel returns one of the project's channels.
func (s *Service) Channel(ctx context.Context, projectID, id int64) (*ChannelConfig, error) {
	return s.store.GetChannel(ctx, projectID, id)
}

// ChannelByPublicKey finds the channel an embed's public key names.
func (s *Service) ChannelByPublicKey(ctx context.Context, key string) (*ChannelConfig, error) {
	if !strings.HasPrefix(key, "pk_") || len(key) > 64 {
		return nil, ErrNotFound
	}
	return s.store.ChannelByPublicKey(ctx, key)
}

// ChannelByID finds the channel a webhook URL names. Every webhook call and
// every reply asks, so configs are kept for a few seconds; changes made
// through this service apply at once, another process's within channelTTL.
func (s *Service) ChannelByID(ctx context.Context, id int64) (*ChannelConfig, error) {
	now := s.now()
	s.chans.mu.Lock()
	e, ok := s.chans.m[id]
	s.chans.mu.Unlock()
	if ok && now.Before(e.expires) {
		c := *e.c
		return &c, nil
	}
	c, err := s.store.ChannelByID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.chans.mu.Lock()
	if s.chans.m == nil || len(s.chans.m) > 10000 {
		s.chans.m = map[int64]cachedChannel{}
	}
	cp := *c
	s.chans.m[id] = cachedChannel{c: &cp, expires: now.Add(channelTTL)}
	s.chans.mu.Unlock()
	return c, nil
}

const channelTTL = 5 * time.Second

type cachedChannel struct {
	c       *ChannelConfig
	expires time.Time
}

type channelCache struct {
	mu sync.Mutex
	m  map[int64]cachedChannel
}

func (s *Service) forgetChannel(id int64) {
	s.chans.mu.Lock()
	delete(s.chans.m, id)
	s.chans.mu.Unlock()
}

// ListChannels lists the project's channels.
func (s *Service) ListChannels(ctx context.Context, projectID int64) ([]ChannelConfig, error) {
	return s.store.ListChannels(ctx, projectID)
}

// ChannelsOfType lists every project's channels of a type (for pollers).
func (s *Service) ChannelsOfType(ctx context.Context, typ string) ([]ChannelConfig, error) {
	return s.store.ChannelsOfType(ctx, typ)
}

// DeleteChannel removes a channel; its contacts and conversations stay.
func (s *Service) DeleteChannel(ctx context.Context, projectID, id int64) error {
	if err := s.store.DeleteChannel(ctx, projectID, id); err != nil {
		return err
	}
	s.forgetChannel(id)
	return nil
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
