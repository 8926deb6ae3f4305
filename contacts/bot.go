package contacts

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// BotSettings returns a project's stored bot settings as JSON, or nil when
// it never saved any (the caller's defaults apply). The contact engine
// keeps them without reading them: the AI owns their shape.
func (s *Service) BotSettings(ctx context.Context, projectID int64) ([]byte, error) {
	raw, err := s.store.BotSettings(ctx, projectID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bot settings of project %d: %w", projectID, err)
	}
	return raw, nil
}

// SetBotSettings stores a project's bot settings (JSON, validated by the caller).
func (s *Service) SetBotSettings(ctx context.Context, projectID int64, raw []byte) error {
	if err := s.store.SetBotSettings(ctx, projectID, raw, s.now()); err != nil {
		return fmt.Errorf("save bot settings of project %d: %w", projectID, err)
	}
	return nil
}

// SetBotState records the bot's collection state in a conversation.
func (s *Service) SetBotState(ctx context.Context, projectID, conversationID int64, state []byte) error {
	if err := s.store.SetBotState(ctx, projectID, conversationID, state); err != nil {
		return fmt.Errorf("save bot state of conversation %d: %w", conversationID, err)
	}
	return nil
}

// UsageDay is the accounting day of a moment: its UTC date.
func UsageDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// AddUsage counts a model request's tokens on the project's day.
func (s *Service) AddUsage(ctx context.Context, projectID int64, day string, promptTokens, completionTokens int) error {
	if err := s.store.AddAIUsage(ctx, projectID, day, promptTokens, completionTokens); err != nil {
		return fmt.Errorf("count model usage of project %d: %w", projectID, err)
	}
	return nil
}

// UsageOn returns the tokens a project used on a day.
func (s *Service) UsageOn(ctx context.Context, projectID int64, day string) (int, error) {
	u, err := s.store.AIUsage(ctx, projectID, day)
	if err != nil {
		return 0, fmt.Errorf("model usage of project %d: %w", projectID, err)
	}
	return int(u.Tokens()), nil
}

// ApplyCollected stores values a customer gave the bot when asked (email,
// name, phone) with provenance channel. Like a channel's hints they fill
// only empty fields, and a value another contact holds becomes a duplicate
// claim for staff, never a merge. It reports the fields it set.
func (s *Service) ApplyCollected(ctx context.Context, projectID, contactID int64, values map[string]string) ([]string, error) {
	var applied []string
	now := s.now()
	_, _, err := s.store.EnrichContact(ctx, projectID, contactID, ChannelActor, now, nil,
		func(c *Contact, owner func(field, value string) int64) *EnrichOutcome {
			out := &EnrichOutcome{}
			fill := func(field, raw string) {
				v, ok := normalizeProposed(field, raw, s.region)
				dst := fieldPtr(c, field)
				if !ok || *dst != "" {
					return
				}
				if field == "email" || field == "phone" {
					if other := owner(field, v); other != 0 {
						out.Claims = append(out.Claims, Claim{Field: field, Value: v, OtherID: other})
						return
					}
				}
				*dst = v
				c.SetSource(field, SourceChannel, now)
				out.Applied = append(out.Applied, field)
			}
			for _, field := range []string{"email", "phone"} {
				if v := values[field]; v != "" {
					fill(field, v)
				}
			}
			if v := values["name"]; v != "" && c.FirstName == "" && c.LastName == "" {
				first, last := SplitName(v)
				fill("first_name", first)
				fill("last_name", last)
			}
			if len(out.Applied) > 0 {
				c.UpdatedAt = now
				c.ApplyLead(now)
			}
			applied = out.Applied
			return out
		})
	if err != nil {
		return nil, fmt.Errorf("store collected values on contact %d: %w", contactID, err)
	}
	return applied, nil
}
