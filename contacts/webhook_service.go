package contacts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// webhookSecretPrefix marks a webhook signing secret, so a leaked one is
// recognisable (secret scanners match on it).
const webhookSecretPrefix = "whsec_"

// MaxSecretOverlap is the longest a rotated-out secret may keep signing.
const MaxSecretOverlap = 7 * 24 * time.Hour

// newWebhookSecret returns 256 random bits, URL-safe.
func newWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return webhookSecretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// MayManageWebhooks is the role rule: endpoints receive every contact's
// data, so agents may not see or change them. Every webhook method checks
// it; handlers may check it first, to refuse before reading a body.
func MayManageWebhooks(actor Actor) error {
	if actor.Role == RoleAgent {
		return fmt.Errorf("agents cannot manage webhooks: %w", ErrForbidden)
	}
	return nil
}

// CreateWebhook adds an endpoint with a fresh secret, which the caller shows
// once.
func (s *Service) CreateWebhook(ctx context.Context, actor Actor, projectID int64, in WebhookInput) (*WebhookEndpoint, error) {
	if err := MayManageWebhooks(actor); err != nil {
		return nil, err
	}
	v := &ValidationError{}
	if in.URL == nil {
		v.Add("url", "is required")
	}
	if in.Events == nil {
		v.Add("events", "is required")
	}
	now := s.now()
	w := &WebhookEndpoint{ProjectID: projectID, Active: true, Secret: newWebhookSecret(), CreatedAt: now, UpdatedAt: now}
	in.apply(w, v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.store.CreateWebhook(ctx, w); err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return w, nil
}

// Webhooks lists a project's endpoints.
func (s *Service) Webhooks(ctx context.Context, actor Actor, projectID int64) ([]WebhookEndpoint, error) {
	if err := MayManageWebhooks(actor); err != nil {
		return nil, err
	}
	ws, err := s.store.ListWebhooks(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return ws, nil
}

// Webhook returns one endpoint, with its secrets (the dispatcher signs with
// them; the API never shows them).
func (s *Service) Webhook(ctx context.Context, actor Actor, projectID, id int64) (*WebhookEndpoint, error) {
	if err := MayManageWebhooks(actor); err != nil {
		return nil, err
	}
	w, err := s.store.GetWebhook(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("get webhook %d: %w", id, err)
	}
	return w, nil
}

// UpdateWebhook changes an endpoint's url, events, active flag or
// description.
func (s *Service) UpdateWebhook(ctx context.Context, actor Actor, projectID, id int64, in WebhookInput) (*WebhookEndpoint, error) {
	if err := MayManageWebhooks(actor); err != nil {
		return nil, err
	}
	now := s.now()
	w, err := s.store.UpdateWebhook(ctx, projectID, id, func(w *WebhookEndpoint) error {
		if err := in.Apply(w); err != nil {
			return err
		}
		w.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update webhook %d: %w", id, err)
	}
	return w, nil
}

// DeleteWebhook removes an endpoint and its delivery log.
func (s *Service) DeleteWebhook(ctx context.Context, actor Actor, projectID, id int64) error {
	if err := MayManageWebhooks(actor); err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(ctx, projectID, id); err != nil {
		return fmt.Errorf("delete webhook %d: %w", id, err)
	}
	return nil
}

// RotateWebhookSecret gives an endpoint a new secret, which the caller shows
// once. The old one keeps signing beside it (a second v1 signature) for
// overlap, so a receiver can deploy the new secret without refusing
// deliveries meanwhile; 0 retires it at once (a leaked secret).
func (s *Service) RotateWebhookSecret(ctx context.Context, actor Actor, projectID, id int64, overlap time.Duration) (*WebhookEndpoint, error) {
	if err := MayManageWebhooks(actor); err != nil {
		return nil, err
	}
	if overlap < 0 || overlap > MaxSecretOverlap {
		return nil, Invalid("previous_valid_seconds", fmt.Sprintf("must be between 0 and %d", int(MaxSecretOverlap/time.Second)))
	}
	now := s.now()
	w, err := s.store.UpdateWebhook(ctx, projectID, id, func(w *WebhookEndpoint) error {
		w.PreviousSecret, w.PreviousUntil = "", time.Time{}
		if overlap > 0 {
			w.PreviousSecret, w.PreviousUntil = w.Secret, now.Add(overlap)
		}
		w.Secret, w.UpdatedAt = newWebhookSecret(), now
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rotate the secret of webhook %d: %w", id, err)
	}
	return w, nil
}

// WebhookDeliveries lists an endpoint's delivery log newest first, below
// beforeID when it is not 0. ErrNotFound for an unknown endpoint.
func (s *Service) WebhookDeliveries(ctx context.Context, actor Actor, projectID, endpointID, beforeID int64, limit int) ([]WebhookDelivery, error) {
	if _, err := s.Webhook(ctx, actor, projectID, endpointID); err != nil {
		return nil, err
	}
	ds, err := s.store.ListWebhookDeliveries(ctx, projectID, endpointID, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("list deliveries of webhook %d: %w", endpointID, err)
	}
	return ds, nil
}

// RedeliverWebhook queues a logged delivery's event for its endpoint again,
// with the same event id (a receiver that processed it already ignores it)
// and the body as it is now. ErrConflict when the endpoint is inactive.
func (s *Service) RedeliverWebhook(ctx context.Context, actor Actor, projectID, endpointID, deliveryID int64) (*WebhookEvent, error) {
	w, err := s.Webhook(ctx, actor, projectID, endpointID)
	if err != nil {
		return nil, err
	}
	d, err := s.store.GetWebhookDelivery(ctx, projectID, endpointID, deliveryID)
	if err != nil {
		return nil, fmt.Errorf("redeliver %d: %w", deliveryID, err)
	}
	if !w.Active {
		return nil, fmt.Errorf("webhook %d is inactive: activate it first: %w", endpointID, ErrConflict)
	}
	payload, err := json.Marshal(WebhookJob{EndpointID: endpointID, Event: d.Event, Manual: true})
	if err != nil {
		return nil, fmt.Errorf("redeliver %d: %w", deliveryID, err)
	}
	now := s.now()
	j := &QueuedJob{ProjectID: projectID, Kind: JobWebhookDelivery, Payload: payload, RunAt: now, CreatedAt: now}
	if err := s.store.Enqueue(ctx, j); err != nil {
		return nil, fmt.Errorf("redeliver %d: %w", deliveryID, err)
	}
	return &d.Event, nil
}

// FanOutWebhooks turns up to limit new audit entries into queued
// deliveries, an endpoint's spaced at least spacing apart; the webhook
// dispatcher calls it.
func (s *Service) FanOutWebhooks(ctx context.Context, limit int, spacing time.Duration) (WebhookFanOut, error) {
	n, err := s.store.FanOutWebhooks(ctx, limit, s.now(), spacing, WebhookEventsOf)
	if err != nil {
		return n, fmt.Errorf("fan out webhooks: %w", err)
	}
	return n, nil
}

// RecordWebhookDelivery appends an attempt to the delivery log.
func (s *Service) RecordWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	if err := s.store.RecordWebhookDelivery(ctx, d); err != nil {
		return fmt.Errorf("record delivery to webhook %d: %w", d.EndpointID, err)
	}
	return nil
}

// PruneWebhookDeliveries drops delivery log entries older than keep.
func (s *Service) PruneWebhookDeliveries(ctx context.Context, keep time.Duration) (int64, error) {
	n, err := s.store.PruneWebhookDeliveries(ctx, s.now().Add(-keep))
	if err != nil {
		return n, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	return n, nil
}
