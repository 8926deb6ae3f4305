package contacts

import (
	"context"
	"time"
)

// WebhookStore persists what the webhook features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type WebhookStore interface {
	// CreateWebhook inserts w and sets its ID. ErrConflict when the project
	// has MaxWebhooksPerProject endpoints already.
	CreateWebhook(ctx context.Context, w *WebhookEndpoint) error
	// ListWebhooks lists a project's endpoints in creation order.
	ListWebhooks(ctx context.Context, projectID int64) ([]WebhookEndpoint, error)
	// GetWebhook returns ErrNotFound for an endpoint not in the project.
	GetWebhook(ctx context.Context, projectID, id int64) (*WebhookEndpoint, error)
	// UpdateWebhook loads the endpoint, lets mutate change it and saves it
	// in one transaction. mutate's error aborts it; ErrNotFound for a
	// missing endpoint.
	UpdateWebhook(ctx context.Context, projectID, id int64, mutate func(*WebhookEndpoint) error) (*WebhookEndpoint, error)
	// DeleteWebhook removes an endpoint and its delivery log; deliveries
	// still queued for it find it gone and are dropped. ErrNotFound for a
	// missing endpoint.
	DeleteWebhook(ctx context.Context, projectID, id int64) error

	// FanOutWebhooks reads up to limit audit entries past the webhook
	// cursor, queues a JobWebhookDelivery for every event that events
	// derives from an entry and every active endpoint of the entry's
	// project subscribed to it, and moves the cursor past the entries read,
	// all in one transaction: an entry fans out exactly once however many
	// processes share the database. Entries of a transaction still running
	// (PostgreSQL) wait for a later pass. events sees Before and After
	// only for WebhookDetailActions. An endpoint's deliveries are queued to
	// run at least spacing apart (0: all at now).
	FanOutWebhooks(ctx context.Context, limit int, now time.Time, spacing time.Duration, events func(AuditEntry) []WebhookEvent) (WebhookFanOut, error)

	// RecordWebhookDelivery appends d to the delivery log and sets its ID.
	RecordWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// ListWebhookDeliveries lists an endpoint's deliveries newest first,
	// those with an id below beforeID when it is not 0.
	ListWebhookDeliveries(ctx context.Context, projectID, endpointID, beforeID int64, limit int) ([]WebhookDelivery, error)
	// GetWebhookDelivery returns ErrNotFound for a delivery not of that
	// endpoint in the project.
	GetWebhookDelivery(ctx context.Context, projectID, endpointID, id int64) (*WebhookDelivery, error)
	// PruneWebhookDeliveries drops log entries from before the given time
	// and reports how many.
	PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error)
}
