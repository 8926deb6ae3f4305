// Package webhooks delivers a project's contact and conversation events to
// its webhook endpoints. Events come from the audit log, which every change
// writes in its own transaction: the Dispatcher's fan-out turns new audit
// entries into one queued delivery per subscribed endpoint (moving a cursor
// in the same transaction), and the gateway's job worker sends them, signed,
// with retries and backoff, logging every attempt.
package webhooks

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway"
)

// Config wires a Dispatcher.
type Config struct {
	Service *contacts.Service
	// Worker runs the deliveries (the router's worker); New registers the
	// delivery handler on it.
	Worker *gateway.Worker
	// RenderContact and RenderConversation shape the body's contact and
	// conversation: the REST API's JSON, so a receiver parses one shape.
	// nil sends the domain structs.
	RenderContact      func(*contacts.Contact) any
	RenderConversation func(*contacts.Conversation) any
	// Client sends deliveries; nil builds one with Timeout, no redirects
	// followed, and the private-address guard when BlockPrivate is set.
	Client *http.Client
	// Timeout bounds one delivery (default 10 s). It holds a worker slot
	// that long, so keep it short.
	Timeout time.Duration
	// BlockPrivate refuses to connect to loopback, private, link-local and
	// other non-public addresses, checked on the address actually dialled
	// (so DNS cannot get around it). Off by default: self-hosted CRMs often
	// live on private networks.
	BlockPrivate bool
	// Poll is how often the audit log is checked for new entries (default 1 s).
	Poll time.Duration
	// Batch is the most audit entries one fan-out transaction reads (default 500).
	Batch int
	// Spacing is the least time between two deliveries to one endpoint
	// (default 100 ms: 10 a second; negative: none). A bulk change then
	// reaches a receiver (and the CRM API behind it) at a steady rate, and
	// the chat replies the worker owes meanwhile are not queued behind all
	// of it.
	Spacing time.Duration
	// KeepDeliveries is how long the delivery log is kept (default 30 days).
	KeepDeliveries time.Duration
	// Clock stamps signatures and the log; nil is the service's clock.
	Clock  func() time.Time
	Logger *slog.Logger
}

// Dispatcher fans audit entries out to deliveries and sends them.
type Dispatcher struct {
	cfg    Config
	svc    *contacts.Service
	worker *gateway.Worker
	client *http.Client
	now    func() time.Time
	log    *slog.Logger
}

// New builds a Dispatcher and registers its delivery handler on cfg.Worker.
func New(cfg Config) *Dispatcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 500
	}
	if cfg.Spacing == 0 {
		cfg.Spacing = 100 * time.Millisecond
	}
	if cfg.KeepDeliveries <= 0 {
		cfg.KeepDeliveries = 30 * 24 * time.Hour
	}
	if cfg.Clock == nil {
		cfg.Clock = cfg.Service.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RenderContact == nil {
		cfg.RenderContact = func(c *contacts.Contact) any { return c }
	}
	if cfg.RenderConversation == nil {
		cfg.RenderConversation = func(c *contacts.Conversation) any { return c }
	}
	client := cfg.Client
	if client == nil {
		client = newClient(cfg.Timeout, cfg.BlockPrivate)
	}
	d := &Dispatcher{cfg: cfg, svc: cfg.Service, worker: cfg.Worker, client: client, now: cfg.Clock,
		log: cfg.Logger.With("component", "webhooks")}
	d.worker.Handle(contacts.JobWebhookDelivery, d.deliver)
	return d
}

// Run fans out new audit entries every Poll, and prunes the delivery log
// hourly, until ctx ends. Any number of processes sharing a database may
// run it: each entry fans out once.
func (d *Dispatcher) Run(ctx context.Context) {
	tick := time.NewTicker(d.cfg.Poll)
	defer tick.Stop()
	var pruned time.Time
	for {
		if _, err := d.FanOut(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("fan out webhook events", "error", err)
		}
		if time.Since(pruned) >= time.Hour {
			pruned = time.Now()
			if n, err := d.svc.PruneWebhookDeliveries(ctx, d.cfg.KeepDeliveries); err != nil && ctx.Err() == nil {
				d.log.Error("prune webhook deliveries", "error", err)
			} else if n > 0 {
				d.log.Info("pruned webhook deliveries", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// FanOut queues the deliveries of every audit entry written since the last
// pass, a batch per transaction, and wakes the worker. It returns the
// totals.
func (d *Dispatcher) FanOut(ctx context.Context) (contacts.WebhookFanOut, error) {
	var total contacts.WebhookFanOut
	for {
		n, err := d.svc.FanOutWebhooks(ctx, d.cfg.Batch, max(d.cfg.Spacing, 0))
		total.Entries += n.Entries
		total.Jobs += n.Jobs
		if n.Jobs > 0 {
			d.worker.Notify()
		}
		if err != nil || n.Entries < d.cfg.Batch {
			return total, err
		}
	}
}
