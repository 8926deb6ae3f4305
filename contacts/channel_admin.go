package contacts

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
)

// The channel changes staff and integrations make: role-checked and
// audited. CreateChannel, UpdateChannel and DeleteChannel stay for the
// server's own upkeep (pairing records its device), which is neither.

// channelAudit is what the audit log keeps of a channel: its config as
// the API shows it, secrets reduced to whether they are set.
type channelAudit struct {
	ID     int64           `json:"id"`
	Type   string          `json:"type"`
	Name   string          `json:"name"`
	Config json.RawMessage `json:"config"`
	// SecretsSet names the write-only settings this change gave a value,
	// so replacing a token shows in the log without its value.
	SecretsSet []string `json:"secrets_set,omitempty"`
}

func auditChannel(c *ChannelConfig, kind ChannelKind) channelAudit {
	cfg := json.RawMessage(`{}`)
	if kind != nil {
		cfg = kind.Redact(c.Config)
	}
	return channelAudit{ID: c.ID, Type: c.Type, Name: c.Name, Config: cfg}
}

// secretsSet lists the keys in a change's config that the redacted view
// hides: the write-only settings it gave a value.
func secretsSet(in ChannelInput, redacted json.RawMessage) []string {
	var shown map[string]json.RawMessage
	_ = json.Unmarshal(redacted, &shown)
	var out []string
	for k, v := range in.Config {
		if _, visible := shown[k]; !visible && string(v) != "null" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// CreateChannelBy sets up a channel for actor, who must be an admin or
// owner, and audits it.
func (s *Service) CreateChannelBy(ctx context.Context, actor Actor, projectID int64, kinds map[string]ChannelKind, in ChannelInput) (*ChannelConfig, error) {
	if err := MayChangeSettings(actor); err != nil {
		return nil, err
	}
	c, err := s.CreateChannel(ctx, projectID, kinds, in)
	if err != nil {
		return nil, err
	}
	after := auditChannel(c, kinds[c.Type])
	after.SecretsSet = secretsSet(in, after.Config)
	s.AuditSettings(ctx, actor, projectID, AuditChannelCreate, nil, after)
	return c, nil
}

// UpdateChannelBy changes a channel for actor (an admin or owner) and
// audits the change with the channel before and after.
func (s *Service) UpdateChannelBy(ctx context.Context, actor Actor, projectID, id int64, kinds map[string]ChannelKind, in ChannelInput) (*ChannelConfig, error) {
	if err := MayChangeSettings(actor); err != nil {
		return nil, err
	}
	old, err := s.store.GetChannel(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("channel %d: %w", id, err)
	}
	c, err := s.UpdateChannel(ctx, projectID, id, kinds, in)
	if err != nil {
		return nil, err
	}
	kind := kinds[c.Type]
	after := auditChannel(c, kind)
	after.SecretsSet = secretsSet(in, after.Config)
	s.AuditSettings(ctx, actor, projectID, AuditChannelUpdate, auditChannel(old, kind), after)
	return c, nil
}

// DeleteChannelBy removes a channel for actor (an admin or owner) and
// audits what it was.
func (s *Service) DeleteChannelBy(ctx context.Context, actor Actor, projectID, id int64, kinds map[string]ChannelKind) error {
	if err := MayChangeSettings(actor); err != nil {
		return err
	}
	old, err := s.store.GetChannel(ctx, projectID, id)
	if err != nil {
		return fmt.Errorf("channel %d: %w", id, err)
	}
	if err := s.DeleteChannel(ctx, projectID, id); err != nil {
		return err
	}
	s.AuditSettings(ctx, actor, projectID, AuditChannelDelete, auditChannel(old, kinds[old.Type]), nil)
	return nil
}
