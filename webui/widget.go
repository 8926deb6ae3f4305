package webui

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
)

// The widget's public endpoints: a visitor's browser posts messages and polls
// for replies with the channel's public key (no API key). The WebSocket
// transport comes with the rest of the gateway.

// widgetRequestLimit bounds one client address's requests to the public
// endpoints: polls, config, socket upgrades, preflights. Messages are
// counted apart, per address across both transports (visitorIPs), so a
// visitor's polling does not eat into what they may say.
func (s *Server) widgetRequestLimit() limiter.Config {
	return limiter.Config{Max: 120, Expiration: time.Minute,
		KeyGenerator: s.clientIP,
		Next:         func(c *fiber.Ctx) bool { return c.Method() == fiber.MethodPost },
		LimitReached: func(c *fiber.Ctx) error {
			return &requestError{fiber.StatusTooManyRequests, "too many requests; slow down"}
		}}
}

// errAddressLimit answers a client address past visitorIPLimit messages.
var errAddressLimit = &requestError{fiber.StatusTooManyRequests, "too many messages from this address; slow down"}

// errVisitorLimit answers a visitor past visitorLimit messages.
var errVisitorLimit = &requestError{fiber.StatusTooManyRequests, "too many messages from this visitor; slow down"}

// widgetChannel resolves the path's public key to a widget or live-chat
// channel and checks the browser's Origin against its allowed origins.
func (s *Server) widgetChannel(c *fiber.Ctx) (*chatChannel, error) {
	ch, err := s.svc.ChannelByPublicKey(c.UserContext(), c.Params("key"))
	if errors.Is(err, contacts.ErrNotFound) {
		return nil, notFound("no chat channel has this key")
	}
	if err != nil {
		return nil, err
	}
	kind := contacts.Channel(ch.Type)
	if kind != contacts.ChannelWidget && kind != contacts.ChannelLivechat {
		return nil, notFound("no chat channel has this key")
	}
	cfg, err := widget.Parse(ch.Config)
	if err != nil {
		return nil, err
	}
	origin := c.Get(fiber.HeaderOrigin)
	if !cfg.OriginAllowed(origin) && !s.ownOrigin(c, origin) {
		return nil, &requestError{fiber.StatusForbidden, "this site may not use this chat channel"}
	}
	if origin != "" {
		c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
		c.Set(fiber.HeaderVary, fiber.HeaderOrigin)
	}
	return &chatChannel{ch: ch, kind: kind, cfg: cfg}, nil
}

// ownOrigin reports whether a browser Origin is this server's own: the
// hosted live-chat page and the settings preview talk to the server they
// came from, whatever sites a channel lets embed it. Own means the host the
// request was sent to (as a trusted proxy forwards it), or --public-url's.
func (s *Server) ownOrigin(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, c.Hostname()) && strings.EqualFold(u.Scheme, c.Protocol()) {
		return true
	}
	pub, err := url.Parse(s.publicURL)
	return s.publicURL != "" && err == nil && strings.EqualFold(u.Scheme, pub.Scheme) && strings.EqualFold(u.Host, pub.Host)
}

// chatChannel is a widget or live-chat channel a request addressed.
type chatChannel struct {
	ch   *contacts.ChannelConfig
	kind contacts.Channel
	cfg  *widget.Config
}

// inbound turns a visitor's message into the gateway's input, with where
// the visitor wrote from (and, with a GeoIP database configured, their
// country, region and city as hints). ip is clientIP's answer.
func (s *Server) inbound(cc *chatChannel, m *widget.Message, ip, userAgent string) (contacts.Inbound, error) {
	in, err := m.Inbound(cc.cfg, cc.ch.ProjectID, cc.kind, s.svc.Region(), s.svc.Now())
	if err != nil {
		return in, err
	}
	in.ChannelID = cc.ch.ID
	widget.Visitor(&in, ip, userAgent)
	if cc.cfg.GeoIPDB != "" {
		geo, err := s.geo.Open(cc.cfg.GeoIPDB)
		if err != nil {
			s.log.Warn("widget GeoIP database", "channel_id", cc.ch.ID, "error", err)
		} else {
			in.Hints.Country, in.Hints.Region, in.Hints.City = geo.Locate(ip)
		}
	}
	return in, nil
}

func (s *Server) widgetPreflight(c *fiber.Ctx) error {
	if _, err := s.widgetChannel(c); err != nil {
		return err
	}
	c.Set(fiber.HeaderAccessControlAllowMethods, "GET, POST")
	c.Set(fiber.HeaderAccessControlAllowHeaders, fiber.HeaderContentType)
	c.Set(fiber.HeaderAccessControlMaxAge, "600")
	return c.SendStatus(fiber.StatusNoContent)
}

// widgetPost records a visitor's message; answered only after it is stored.
// Every post counts toward its address's limit, a refused one too.
func (s *Server) widgetPost(c *fiber.Ctx) error {
	ip := s.clientIP(c)
	if !s.visitorIPs.allow(ip) {
		return errAddressLimit
	}
	cc, err := s.widgetChannel(c)
	if err != nil {
		return err
	}
	var m widget.Message
	if err := decodeJSON(c, &m); err != nil {
		return err
	}
	if !s.visitors.allow(fmt.Sprintf("%d:%s", cc.ch.ID, m.VisitorID)) {
		return errVisitorLimit
	}
	in, err := s.inbound(cc, &m, ip, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	res, err := s.router.Receive(c.UserContext(), in)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if res.Duplicate {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(fiber.Map{"message": messagesJSON([]contacts.Message{*res.Message})[0], "duplicate": res.Duplicate})
}

// widgetPoll lists a visitor's messages after a message id: their own and
// the bot's and staff's replies.
func (s *Server) widgetPoll(c *fiber.Ctx) error {
	cc, err := s.widgetChannel(c)
	if err != nil {
		return err
	}
	ch, kind := cc.ch, cc.kind
	visitor := c.Query("visitor_id")
	if err := widget.CheckVisitorID(visitor); err != nil {
		return err
	}
	after := int64(0)
	if a := c.Query("after"); a != "" {
		if after, err = strconv.ParseInt(a, 10, 64); err != nil || after < 0 {
			return contacts.Invalid("after", "must be a message id (a non-negative integer)")
		}
	}
	msgs, err := s.svc.VisitorMessages(c.UserContext(), ch.ProjectID, kind, visitor, after)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"messages": messagesJSON(msgs)})
}

// widgetConfig tells the widget what its pre-chat form asks for. Public:
// nothing in it is secret.
func (s *Server) widgetConfig(c *fiber.Ctx) error {
	cc, err := s.widgetChannel(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"collect": cc.cfg.Collect, "name": cc.ch.Name})
}
