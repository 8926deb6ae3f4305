package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/messenger"
	"github.com/switchboard-oss/switchboard/channels/telegram"
	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/whatsappcloud"
	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/gateway"
	"github.com/switchboard-oss/switchboard/gateway/natsbus"
	"github.com/switchboard-oss/switchboard/gateway/webhooks"
	"github.com/switchboard-oss/switchboard/webui"

	wastore "go.mau.fi/whatsmeow/store/sqlstore"
)

func (c *cli) serve(ctx context.Context, args []string) error {
	fs, common := newFlags("serve", c.stderr)
	addr := fs.String("addr", envOr("SWITCHBOARD_ADDR", ":8080"), "listen address (env SWITCHBOARD_ADDR)")
	grace := fs.Duration("shutdown-timeout", 15*time.Second, "how long in-flight requests may take to finish on shutdown")
	anonTTL := fs.Duration("anonymous-ttl", common.envDuration("SWITCHBOARD_ANONYMOUS_TTL", 30*24*time.Hour),
		"erase widget visitors who left no identifier after this much silence (env SWITCHBOARD_ANONYMOUS_TTL)")
	publicURL := fs.String("public-url", envOr("SWITCHBOARD_PUBLIC_URL", ""),
		"where channel providers reach this server, e.g. https://chat.example.com: Telegram webhooks are registered with it (env SWITCHBOARD_PUBLIC_URL)")
	proxies := fs.String("trusted-proxies", envOr("SWITCHBOARD_TRUSTED_PROXIES", ""),
		"comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed (env SWITCHBOARD_TRUSTED_PROXIES)")
	natsURL := fs.String("nats-url", envOr("SWITCHBOARD_NATS_URL", ""),
		"NATS server carrying live events between serve processes that share a database (env SWITCHBOARD_NATS_URL)")
	workers := fs.Int("workers", 1, "job workers answering messages (0 leaves jobs queued, e.g. while measuring ingest)")
	idle := fs.Duration("conversation-idle", common.envDuration("SWITCHBOARD_CONVERSATION_IDLE", contacts.DefaultConversationIdle),
		"close a conversation after this much silence (env SWITCHBOARD_CONVERSATION_IDLE)")
	dataDir := fs.String("data-dir", envOr("SWITCHBOARD_DATA_DIR", "switchboard-data"),
		"where uploaded imports, finished exports and error reports are kept (env SWITCHBOARD_DATA_DIR)")
	hooksPrivate := fs.Bool("webhooks-block-private", envOr("SWITCHBOARD_WEBHOOKS_BLOCK_PRIVATE", "") == "true",
		"refuse to deliver webhooks to loopback, private and link-local addresses (env SWITCHBOARD_WEBHOOKS_BLOCK_PRIVATE=true)")
	countWait := fs.Duration("list-count-wait", common.envDuration("SWITCHBOARD_LIST_COUNT_WAIT", webui.DefaultListCountWait),
		"how long the admin UI's contact list waits for a new view's total before showing its first page and counting on; negative: never wait (env SWITCHBOARD_LIST_COUNT_WAIT)")
	llm := addLLMFlags(fs, common)
	exportCfg := addExportFlags(fs, common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := common.envErr(); err != nil {
		return err
	}
	if *idle <= 0 {
		return fmt.Errorf("--conversation-idle %s: want a positive duration", *idle)
	}
	if *anonTTL <= 0 || *workers < 0 {
		return fmt.Errorf("--anonymous-ttl must be positive and --workers not negative")
	}
	log, db, svc, err := common.open(ctx, c.stderr)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("close database", "error", err)
		}
		log.Info("database closed")
	}()
	if err := db.FailRunningJobs(ctx, "interrupted: the server stopped while the job ran", svc.Now()); err != nil {
		return fmt.Errorf("recover jobs: %w", err)
	}
	if err := c.bootstrap(ctx, svc, *addr); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	// The channel types this build supports, and the senders of those that
	// push replies (the widget and live chat deliver by polling).
	kinds := map[string]contacts.ChannelKind{
		string(contacts.ChannelWidget):    widget.Kind{},
		string(contacts.ChannelLivechat):  widget.Kind{},
		string(contacts.ChannelTelegram):  telegram.Kind{},
		string(contacts.ChannelMessenger): messenger.Kind{},
		whatsappcloud.Type:                whatsappcloud.Kind{},
		whatsapp.Type:                     whatsapp.Kind{},
	}
	// The router and the whatsmeow manager need each other: the manager
	// hands messages to the router, the router sends through the manager's
	// clients. Messages arrive only once the manager runs, after both exist.
	var router *gateway.Router
	receive := func(ctx context.Context, in contacts.Inbound) error { _, err := router.Receive(ctx, in); return err }
	wa, closeWA, err := whatsappManager(ctx, db, svc, kinds, receive, log)
	if err != nil {
		return err
	}
	defer closeWA()
	senders := map[string]channels.Sender{
		whatsapp.Type:                     whatsapp.NewSender(wa.Client),
		string(contacts.ChannelTelegram):  telegram.NewSender(svc.ChannelByID),
		string(contacts.ChannelMessenger): messenger.NewSender(svc.ChannelByID),
		whatsappcloud.Type:                whatsappcloud.NewSender(svc.ChannelByID),
	}
	extractor, responder, err := llm.build(svc, log)
	if err != nil {
		return err
	}
	log.Info("AI", "model", llm.describe())
	router = gateway.New(gateway.Config{Service: svc, Queue: db, Responder: responder, Extractor: extractor, Senders: senders, Idle: *idle, Logger: log})
	// Deliveries run on workers of their own: a receiver that takes its
	// time must not hold up the bot's replies, which the router's run.
	router.Worker().Except(contacts.JobWebhookDelivery)
	hooksWorker := gateway.NewWorker(db, svc.Now, log).Only(contacts.JobWebhookDelivery)
	hooks := webhooks.New(webhooks.Config{Service: svc, Worker: hooksWorker, RenderContact: webui.ContactJSON,
		RenderConversation: webui.ConversationJSON, BlockPrivate: *hooksPrivate, Logger: log})
	if *natsURL != "" {
		bus, err := natsbus.Connect(*natsURL, log)
		if err != nil {
			return err
		}
		defer bus.Close()
		if err := router.Hub().UseBus(bus); err != nil {
			return err
		}
	}
	exporter, exportsIn, err := exportCfg.build(svc, *dataDir, log)
	if err != nil {
		return err
	}
	log.Info("contact exports", "kept_in", exportsIn, "ttl", exporter.TTL().String())
	srv := webui.New(webui.Config{Service: svc, Router: router, Kinds: kinds, PublicURL: *publicURL, DataDir: *dataDir, Exports: exporter,
		TrustedProxies: splitList(*proxies), WhatsApp: wa, ListCountWait: *countWait, Logger: log})
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Listen(ln) }()
	log.Info("switchboard is listening", "addr", ln.Addr().String(), "database", db.Dialect())

	bgCtx, stopBG := context.WithCancel(context.Background())
	bgDone := make(chan struct{})
	go func() {
		defer close(bgDone)
		var wg sync.WaitGroup
		for range *workers {
			wg.Add(1)
			go func() { defer wg.Done(); router.Run(bgCtx) }()
		}
		wg.Add(1)
		go func() { defer wg.Done(); wa.Run(bgCtx) }()
		wg.Add(1)
		go func() { defer wg.Done(); hooks.Run(bgCtx) }()
		for range webhookWorkers {
			wg.Add(1)
			go func() { defer wg.Done(); hooksWorker.Run(bgCtx) }()
		}
		poller := &telegram.Poller{Channels: svc.ChannelsOfType, Log: log, Receive: receive}
		wg.Add(1)
		go func() { defer wg.Done(); poller.Run(bgCtx) }()
		runScheduler(bgCtx, svc, db, exporter, *anonTTL, log)
		wg.Wait()
	}()

	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing in-flight requests", "timeout", grace.String())
	case err := <-serveErr:
		stopBG()
		<-bgDone
		svc.Close()
		return fmt.Errorf("serve: %w", err)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "error", err)
	}
	stopBG()
	<-bgDone
	svc.Close()
	if err := <-serveErr; err != nil && !errors.Is(err, net.ErrClosed) {
		log.Warn("server stopped", "error", err)
	}
	log.Info("server stopped")
	return nil
}

// bootstrap creates the Default project, admin user and API key on the first
// start of an empty database, and shows the secrets once.
func (c *cli) bootstrap(ctx context.Context, svc *contacts.Service, addr string) error {
	b, err := svc.Bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("first start: %w", err)
	}
	if b == nil {
		return nil
	}
	host := addr
	if len(host) > 0 && host[0] == ':' {
		host = "localhost" + host
	}
	fmt.Fprintf(c.stdout, `
================================================================
 Switchboard first start: created project %q
   Admin UI login:  %s
   Password:        %s
   API key:         %s
 These are shown once. Save them now.
 Try: curl -H "Authorization: Bearer %s" http://%s/api/v1/contacts
================================================================

`, b.Project.Name, b.User.Email, b.Password, b.APIKey, b.APIKey, host)
	return nil
}

// webhookWorkers deliver webhooks in parallel: deliveries to one endpoint
// are paced apart, so a few workers keep several endpoints going.
const webhookWorkers = 2

// runScheduler runs periodic upkeep until ctx ends: lead statuses that change
// with time alone are re-derived, anonymous visitors past their TTL erased,
// expired export files and sessions deleted, retention policies applied, and the
// planner's statistics refreshed.
func runScheduler(ctx context.Context, svc *contacts.Service, db *sqlstore.DB, exporter *contacts.Exporter, anonTTL time.Duration, log *slog.Logger) {
	log = log.With("component", "scheduler")
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		n, err := svc.RefreshLeads(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("refresh lead statuses", "error", err)
		case n > 0:
			log.Info("refreshed lead statuses", "contacts", n)
		}
		if n, err := svc.PurgeAnonymous(ctx, anonTTL); err != nil && ctx.Err() == nil {
			log.Error("purge anonymous visitors", "error", err)
		} else if n > 0 {
			log.Info("purged anonymous visitors", "contacts", n)
		}
		if n, err := exporter.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge expired exports", "error", err)
		} else if n > 0 {
			log.Info("purged expired exports", "files", n)
		}
		if err := svc.RunRetention(ctx); err != nil && ctx.Err() == nil {
			log.Error("retention policies", "error", err)
		}
		if _, err := svc.PurgeExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge expired sessions", "error", err)
		}
		if err := db.Optimize(ctx); err != nil && ctx.Err() == nil {
			log.Warn("optimize database statistics", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// whatsappManager opens whatsmeow's device store in the project database
// and builds the manager that pairs and runs whatsmeow channels; the
// returned func closes the store's pool.
func whatsappManager(ctx context.Context, db *sqlstore.DB, svc *contacts.Service, kinds map[string]contacts.ChannelKind,
	receive func(context.Context, contacts.Inbound) error, log *slog.Logger) (*whatsapp.Manager, func(), error) {
	container, closeFn, err := openDeviceStore(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	m := whatsapp.NewManager(whatsapp.ManagerConfig{
		Container: container,
		Channels:  svc.ChannelsOfType,
		SetDevice: func(ctx context.Context, ch *contacts.ChannelConfig, jid string) error {
			raw, _ := json.Marshal(jid)
			_, err := svc.UpdateChannel(ctx, ch.ProjectID, ch.ID, kinds, contacts.ChannelInput{Config: map[string]json.RawMessage{whatsapp.DeviceJIDKey: raw}})
			return err
		},
		Receive: receive,
		Logger:  log,
	})
	return m, closeFn, nil
}

// openDeviceStore opens whatsmeow's device store (its own tables, created
// or upgraded here) in the project database; the returned func closes its
// pool when it has one of its own (SQLite).
func openDeviceStore(ctx context.Context, db *sqlstore.DB) (*wastore.Container, func(), error) {
	pool, dialect, closeIt, err := db.SideDB()
	if err != nil {
		return nil, nil, fmt.Errorf("whatsapp device store: %w", err)
	}
	closeFn := func() {
		if closeIt {
			pool.Close()
		}
	}
	container := wastore.NewWithDB(pool, dialect, nil)
	if err := container.Upgrade(ctx); err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("whatsapp device store: %w", err)
	}
	return container, closeFn, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
