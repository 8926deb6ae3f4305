// Package webui is Switchboard's HTTP layer: the REST API under /api/v1,
// health checks and (later) the admin UI pages and channel webhooks. It is a
// thin layer over contacts.Service and the only package that imports Fiber.
package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway"
)

// BodyLimit is the largest request body accepted; larger ones answer 413.
const BodyLimit = 1 << 20

// visitorLimit is how many messages one widget visitor may send a minute.
const visitorLimit = 30

// visitorIPLimit is how many widget messages one client address may send a
// minute, whichever visitor ids and transports (HTTP, WebSocket) it uses.
const visitorIPLimit = 120

// Config configures a Server.
type Config struct {
	Service *contacts.Service
	// Router takes channel messages in and staff replies out.
	Router *gateway.Router
	// Kinds are the channel types projects may set up, by type name.
	Kinds map[string]contacts.ChannelKind
	// PublicURL is where providers reach this server (for webhook
	// registration); empty leaves webhooks to be registered by hand.
	PublicURL string
	// WhatsApp pairs and runs whatsmeow channels; nil disables pairing.
	WhatsApp *whatsapp.Manager
	// TrustedProxies (IPs or CIDRs) may set X-Forwarded-For; from anyone
	// else the header is ignored and the connection's address is the client's.
	TrustedProxies []string
	// DataDir keeps files the server writes and reads back: uploaded
	// imports, finished exports, error reports. Empty: a temporary directory.
	DataDir string
	// Exports writes and keeps contact exports; nil keeps them in DataDir.
	Exports *contacts.Exporter
	// ListCountWait is how long the contact list page waits for a new
	// view's total before showing its first page without it (the store
	// counts on and the page fetches the total); 0 is
	// DefaultListCountWait, below zero never waits.
	ListCountWait time.Duration
	Logger        *slog.Logger // nil: slog.Default()
}

// Server serves the HTTP API over a contacts.Service.
type Server struct {
	dataDir       string
	exports       *contacts.Exporter
	svc           *contacts.Service
	router        *gateway.Router
	kinds         map[string]contacts.ChannelKind
	publicURL     string
	whatsapp      pairer         // nil: pairing is not running
	proxies       trustedProxies // may set X-Forwarded-For; see clientIP
	visitors      *windowLimiter // messages per widget visitor
	visitorIPs    *windowLimiter // widget messages per client address
	logins        *windowLimiter // sign-in attempts per address and per email
	geo           widget.GeoIPs  // GeoIP databases of widget channels
	log           *slog.Logger
	app           *fiber.App
	auth          []authenticator
	listCountWait time.Duration // see Config.ListCountWait
}

// New builds a Server with every route registered.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{dataDir: cfg.DataDir, exports: cfg.Exports, svc: cfg.Service, router: cfg.Router, kinds: cfg.Kinds, publicURL: cfg.PublicURL, visitors: newWindowLimiter(visitorLimit, time.Minute), visitorIPs: newWindowLimiter(visitorIPLimit, time.Minute), logins: newWindowLimiter(loginAttempts, loginWindow), log: cfg.Logger.With("component", "webui"), listCountWait: cfg.ListCountWait}
	var bad []string
	s.proxies, bad = parseTrustedProxies(cfg.TrustedProxies)
	for _, p := range bad {
		s.log.Warn("trusted proxy is not an IP or CIDR; ignored", "proxy", p)
	}
	if s.listCountWait == 0 {
		s.listCountWait = DefaultListCountWait
	}
	if cfg.WhatsApp != nil {
		// Only a real manager: a nil *Manager in the interface would not
		// compare equal to nil, and pages would call it.
		s.whatsapp = cfg.WhatsApp
	}
	s.auth = []authenticator{s.bearerKey, s.sessionAuth}
	s.app = fiber.New(fiber.Config{
		BodyLimit:               BodyLimit,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableTrustedProxyCheck: true,
		EnableIPValidation:      true, // c.IP(): the first valid address of X-Forwarded-For; the widget uses clientIP
		TrustedProxies:          cfg.TrustedProxies,
		ErrorHandler:            s.handleError,
		DisableStartupMessage:   true,
		JSONEncoder:             json.Marshal,
		JSONDecoder:             json.Unmarshal,
		AppName:                 "switchboard",
	})
	s.app.Use(s.recoverPanics)
	s.routes()
	return s
}

// App returns the Fiber app, for tests and for mounting more routes.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on ln until Shutdown.
func (s *Server) Listen(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits, until ctx ends, for
// in-flight requests to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.app.ShutdownWithContext(ctx)
	s.geo.Close()
	return err
}

// routes is the route table. Literal paths come before /:id ones.
func (s *Server) routes() {
	s.app.Get("/healthz", s.healthz)

	s.app.Get("/widget.js", s.widgetScript)
	s.app.Get("/favicon.ico", s.favicon)
	s.app.Get("/chat/:key", s.chatPageHandler)
	s.app.Post("/channels/telegram/:id/webhook", s.telegramWebhook)
	s.app.Get("/channels/messenger/:id/webhook", s.metaVerify(messengerHook))
	s.app.Post("/channels/messenger/:id/webhook", s.metaWebhook(messengerHook))
	s.app.Get("/channels/whatsapp-cloud/:id/webhook", s.metaVerify(whatsappCloudHook))
	s.app.Post("/channels/whatsapp-cloud/:id/webhook", s.metaWebhook(whatsappCloudHook))

	chat := s.app.Group("/channels/widget/:key", limiter.New(s.widgetRequestLimit()))
	chat.Options("/messages", s.widgetPreflight)
	chat.Post("/messages", s.widgetPost)
	chat.Get("/messages", s.widgetPoll)
	chat.Get("/config", s.widgetConfig)
	chat.Get("/ws", s.widgetUpgrade, websocket.New(s.widgetSocket))

	api := s.app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	api.Use(s.requireAuth)

	api.Get("/contacts", s.listContacts)
	api.Post("/contacts", s.createContact)
	api.Get("/contacts/duplicates", s.duplicates)
	api.Post("/contacts/bulk", s.bulk)
	api.Get("/contacts/:id", s.getContact)
	api.Patch("/contacts/:id", s.updateContact)
	api.Delete("/contacts/:id", s.deleteContact)
	api.Get("/contacts/:id/export", s.exportContact)
	api.Post("/contacts/:id/tags", s.addTags)
	api.Delete("/contacts/:id/tags", s.removeTags)
	api.Post("/contacts/:id/merge", s.merge)
	api.Get("/contacts/:id/suggestions", s.listSuggestions)
	api.Post("/contacts/:id/suggestions/:sid/accept", s.acceptSuggestion)
	api.Post("/contacts/:id/suggestions/:sid/reject", s.rejectSuggestion)
	api.Get("/contacts/:id/notes", s.listNotes)
	api.Post("/contacts/:id/notes", s.addNote)
	api.Get("/contacts/:id/conversations", s.listConversations)
	api.Get("/conversations/:id/messages", s.listMessages)
	api.Post("/conversations/:id/messages", s.sendStaffMessage)
	api.Post("/conversations/:id/handoff", s.handoff)
	api.Post("/conversations/:id/close", s.closeConversation)
	api.Get("/channels", s.listChannels)
	api.Post("/channels", s.createChannel)
	api.Get("/channels/:id", s.getChannel)
	api.Patch("/channels/:id", s.updateChannel)
	api.Delete("/channels/:id", s.deleteChannel)
	api.Get("/channels/:id/pairing", s.pairingState)
	api.Post("/channels/:id/pairing", s.startPairing)
	api.Post("/merges/:id/undo", s.undoMerge)
	api.Get("/saved-filters", s.listSavedFilters)
	api.Post("/saved-filters", s.createSavedFilter)
	api.Delete("/saved-filters/:id", s.deleteSavedFilter)
	api.Get("/stats", s.stats)
	api.Get("/bot", s.getBot)
	api.Put("/bot", s.putBot)
	s.mountImports(api)
	s.mountExports(api)
	s.mountPrivacy(api)
	s.mountWebhooks(api)
	api.Get("/jobs/:id", s.getJob)
	api.Get("/audit", s.audit)

	s.mountUI()
}

// panicError is a recovered panic on its way to the error handler, which
// logs it with its stack and answers a plain 500.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// recoverPanics turns a handler panic into a logged 500.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return c.Next()
}
