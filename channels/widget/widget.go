// Package widget is the website chat widget and the hosted live-chat page:
// their channel settings and the translation of a visitor's message into a
// contacts.Inbound. The HTTP endpoints live in webui; the embeddable script
// and the WebSocket transport come with the rest of the gateway issue.
package widget

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Config is a widget or live-chat channel's settings.
type Config struct {
	// AllowedOrigins lists the sites (scheme://host[:port]) that may embed
	// the widget; empty allows any site.
	AllowedOrigins []string `json:"allowed_origins"`
	// Collect lists what the pre-chat form asks for: name, email, phone.
	Collect []string `json:"collect"`
	// GeoIPDB is an optional path to a MaxMind-format database.
	GeoIPDB string `json:"geoip_db"`
}

// Kind validates widget and live-chat settings.
type Kind struct{}

var _ contacts.ChannelKind = Kind{}

// HasPublicKey: embeds identify their channel by a public key.
func (Kind) HasPublicKey() bool { return true }

// Redact: widget settings hold no secrets.
func (Kind) Redact(raw json.RawMessage) json.RawMessage { return raw }

// Normalize checks and canonicalises a config.
func (Kind) Normalize(raw json.RawMessage) (json.RawMessage, error) {
	return channels.Normalize(raw, Parse)
}

// Parse decodes and validates a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "allowed_origins, collect and geoip_db"); err != nil {
		return nil, err
	}
	v := &contacts.ValidationError{}
	origins := []string{}
	for _, o := range cfg.AllowedOrigins {
		n, ok := normalizeOrigin(o)
		if !ok {
			v.Add("config.allowed_origins", "each must be scheme://host[:port], like https://shop.example.com")
			continue
		}
		origins = append(origins, n)
	}
	cfg.AllowedOrigins = origins
	collect := []string{}
	for _, f := range cfg.Collect {
		switch f = strings.ToLower(strings.TrimSpace(f)); f {
		case "name", "email", "phone":
			collect = append(collect, f)
		default:
			v.Add("config.collect", "each must be name, email or phone")
		}
	}
	cfg.Collect = collect
	return &cfg, v.Err()
}

func normalizeOrigin(o string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", false
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), true
}

// OriginAllowed reports whether a browser Origin may use the channel. A
// request without an Origin (not from a browser page) is allowed: the
// public key is what admits it.
func (c *Config) OriginAllowed(origin string) bool {
	if origin == "" || len(c.AllowedOrigins) == 0 {
		return true
	}
	n, ok := normalizeOrigin(origin)
	if !ok {
		return false
	}
	for _, a := range c.AllowedOrigins {
		if a == n {
			return true
		}
	}
	return false
}

// Message is what the widget posts for a visitor.
type Message struct {
	VisitorID string `json:"visitor_id"`
	Text      string `json:"text"`
	// ClientMessageID makes a resent post idempotent.
	ClientMessageID string `json:"client_message_id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	Phone           string `json:"phone"`
	PageURL         string `json:"page_url"`
}

var visitorIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}$`)

// Inbound validates a visitor's message and turns it into the gateway's
// input. The visitor's name, email and phone are hints: they fill empty
// profile fields and never merge contacts.
// region is the project's default phone region.
func (m *Message) Inbound(projectID int64, ch contacts.Channel, region string, at time.Time) (contacts.Inbound, error) {
	v := &contacts.ValidationError{}
	if !visitorIDRe.MatchString(m.VisitorID) {
		v.Add("visitor_id", "must be 8-128 letters, digits, '-' or '_'")
	}
	text := strings.TrimSpace(m.Text)
	if text == "" || len([]rune(text)) > 4096 {
		v.Add("text", "must be 1 to 4096 characters")
	}
	if m.ClientMessageID != "" && !visitorIDRe.MatchString(m.ClientMessageID) {
		v.Add("client_message_id", "must be 8-128 letters, digits, '-' or '_'")
	}
	if m.Email != "" {
		if _, err := contacts.NormalizeEmail(m.Email); err != nil {
			v.Add("email", "is not a valid email address")
		}
	}
	if m.Phone != "" {
		if _, err := contacts.NormalizePhone(m.Phone, region); err != nil {
			v.Add("phone", "is not a valid phone number")
		}
	}
	if m.PageURL != "" {
		if u, err := url.Parse(m.PageURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || len(m.PageURL) > 2000 {
			v.Add("page_url", "must be the http(s) address of the page, at most 2000 characters")
		}
	}
	if err := v.Err(); err != nil {
		return contacts.Inbound{}, err
	}
	id := m.ClientMessageID
	if id == "" {
		id = randomID()
	}
	first, last := contacts.SplitName(m.Name)
	return contacts.Inbound{ProjectID: projectID, Channel: ch, ExternalID: m.VisitorID,
		Hints:            contacts.Hints{FirstName: first, LastName: last, Email: m.Email, Phone: m.Phone},
		ChannelMessageID: m.VisitorID + ":" + id, Text: text, At: at,
		Attributes: map[string]string{"last_page_url": m.PageURL}}, nil
}

// Visitor records where a visitor wrote from: the client address (as the
// server determined it, trusting X-Forwarded-For only from configured
// proxies) and the browser.
func Visitor(in *contacts.Inbound, ip, userAgent string) {
	if in.Attributes == nil {
		in.Attributes = map[string]string{}
	}
	in.Attributes["last_ip"] = ip
	if r := []rune(userAgent); len(r) > 300 {
		userAgent = string(r[:300])
	}
	in.Attributes["last_user_agent"] = userAgent
}

func randomID() string {
	buf := make([]byte, 12)
	rand.Read(buf)
	return hex.EncodeToString(buf)
}
