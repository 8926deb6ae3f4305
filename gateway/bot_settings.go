package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// BotSettings returns a project's bot settings, the defaults when it never
// saved any.
func (r *Router) BotSettings(ctx context.Context, projectID int64) (ai.BotSettings, error) {
	raw, err := r.cfg.Service.BotSettings(ctx, projectID)
	if err != nil || raw == nil {
		return ai.DefaultBotSettings(), err
	}
	s := ai.DefaultBotSettings()
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("bot settings of project %d are unreadable: %w", projectID, err)
	}
	return s, nil
}

// SetBotSettings validates and stores a project's bot settings.
func (r *Router) SetBotSettings(ctx context.Context, projectID int64, s ai.BotSettings) (ai.BotSettings, error) {
	s.CollectEmail = strings.TrimSpace(s.CollectEmail)
	if s.CollectEmail == "" {
		s.CollectEmail = "off"
	}
	if s.Collect == nil {
		s.Collect = []string{}
	}
	if s.HandoffKeywords == nil {
		s.HandoffKeywords = []string{}
	}
	if field, err := s.Validate(); err != nil {
		return s, contacts.Invalid(field, err.Error())
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return s, err
	}
	return s, r.cfg.Service.SetBotSettings(ctx, projectID, raw)
}
