// Package widget is the website chat widget and the hosted live-chat page:
// their channel settings and the translation of a visitor's message into a
// contacts.Inbound. The HTTP endpoints live in webui; the embeddable script
// and the WebSocket transport come with the rest of the gateway issue.
package widget

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

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
	// IdentitySecret signs the identifiers of the embedding site's
	// logged-in users (see Message.Identifier). Write-only: Redact hides it.
	IdentitySecret string `json:"identity_secret,omitempty"`
}

// Kind validates widget and live-chat settings.
type Kind struct{}

var _ contacts.ChannelKind = Kind{}

// HasPublicKey: embeds identify their channel by a public key.
func (Kind) HasPublicKey() bool { return true }

// Redact hides the identity secret: the API says only whether it is set.
func (Kind) Redact(raw json.RawMessage) json.RawMessage {
	var cfg Config
	_ = json.Unmarshal(raw, &cfg)
	out, _ := json.Marshal(struct {
		AllowedOrigins    []string `json:"allowed_origins"`
		Collect           []string `json:"collect"`
		GeoIPDB           string   `json:"geoip_db"`
		IdentitySecretSet bool     `json:"identity_secret_set"`
	}{cfg.AllowedOrigins, cfg.Collect, cfg.GeoIPDB, cfg.IdentitySecret != ""})
	return out
}

// Normalize checks and canonicalises a config. It also opens the GeoIP
// database, so a wrong path is refused when the channel is saved rather
// than logged at every visitor message; Parse, which runs per request,
// does not touch the disk.
func (Kind) Normalize(raw json.RawMessage) (json.RawMessage, error) {
	cfg, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	if cfg.GeoIPDB != "" {
		if err := CheckGeoIP(cfg.GeoIPDB); err != nil {
			return nil, contacts.Invalid("config.geoip_db", "must be the path of a readable MaxMind-format (.mmdb) database on the server")
		}
	}
	return json.Marshal(cfg)
}

// Identity secrets are at least this long: short ones can be guessed by
// trying identifiers' hashes offline.
const minSecretLen, maxSecretLen = 16, 256

// Parse decodes and validates a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "allowed_origins, collect, geoip_db and identity_secret"); err != nil {
		return nil, err
	}
	v := &contacts.ValidationError{}
	if s := cfg.IdentitySecret; s != "" && (len(s) < minSecretLen || len(s) > maxSecretLen || strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsFunc(s, unicode.IsControl)) {
		v.Add("config.identity_secret", fmt.Sprintf("must be %d-%d characters without spaces, like a long random string", minSecretLen, maxSecretLen))
	}
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
	// Identifier is the visitor's id in the embedding site's own systems
	// (a logged-in user), and IdentifierHash its hex HMAC-SHA256 under the
	// channel's identity secret, computed by the site's server. Together
	// they are a verified identity; see Config.Verify.
	Identifier     string `json:"identifier"`
	IdentifierHash string `json:"identifier_hash"`
}

var visitorIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}$`)

const visitorIDRule = "must be 8-128 letters, digits, '-' or '_'"

// CheckVisitorID validates a visitor id, as polls and socket connections
// name it.
func CheckVisitorID(id string) error {
	if !visitorIDRe.MatchString(id) {
		return contacts.Invalid("visitor_id", visitorIDRule)
	}
	return nil
}

// Inbound validates a visitor's message and turns it into the gateway's
// input. The visitor's name, email and phone are hints: they fill empty
// profile fields and never merge contacts; they are validated as the API
// validates them, and one that fails is refused, not dropped. An
// identifier is checked against cfg's identity secret (an error wrapping
// ErrIdentity when it does not check out) and, verified, links the visitor
// to the site's user. region is the project's default phone region.
func (m *Message) Inbound(cfg *Config, projectID int64, ch contacts.Channel, region string, at time.Time) (contacts.Inbound, error) {
	v := &contacts.ValidationError{}
	if !visitorIDRe.MatchString(m.VisitorID) {
		v.Add("visitor_id", visitorIDRule)
	}
	text := strings.TrimSpace(m.Text)
	if text == "" || len([]rune(text)) > 4096 {
		v.Add("text", "must be 1 to 4096 characters")
	}
	if m.ClientMessageID != "" && !visitorIDRe.MatchString(m.ClientMessageID) {
		v.Add("client_message_id", visitorIDRule)
	}
	profile := m.profile(region, at, v)
	if m.PageURL != "" {
		if u, err := url.Parse(m.PageURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || len(m.PageURL) > 2000 {
			v.Add("page_url", "must be the http(s) address of the page, at most 2000 characters")
		}
	}
	if err := v.Err(); err != nil {
		return contacts.Inbound{}, err
	}
	verified, err := cfg.Verify(m.Identifier, m.IdentifierHash)
	if err != nil {
		return contacts.Inbound{}, err
	}
	id := m.ClientMessageID
	if id == "" {
		id = randomID()
	}
	return contacts.Inbound{ProjectID: projectID, Channel: ch, ExternalID: m.VisitorID,
		Hints: contacts.Hints{FirstName: profile.FirstName, LastName: profile.LastName,
			Email: profile.Email, Phone: profile.Phone},
		VerifiedExternalID: verified,
		ChannelMessageID:   m.VisitorID + ":" + id, Text: text, At: at,
		Attributes: map[string]string{"last_page_url": m.PageURL}}, nil
}

// profile validates the pre-chat fields and the identifier with the
// contacts package's own rules (those of POST /api/v1/contacts), adding
// problems to v under the widget's field names, and returns them cleaned.
func (m *Message) profile(region string, at time.Time, v *contacts.ValidationError) contacts.Contact {
	var in contacts.ContactInput
	for _, f := range []struct {
		val string
		dst **string
	}{{m.Name, &in.Name}, {m.Email, &in.Email}, {m.Phone, &in.Phone}, {m.Identifier, &in.ExternalID}} {
		if f.val != "" {
			val := f.val
			*f.dst = &val
		}
	}
	var c contacts.Contact
	err := in.Apply(&c, contacts.SourceChannel, at, region)
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		// The API's names for the fields, the widget's for the message.
		names := map[string]string{"first_name": "name", "last_name": "name", "external_id": "identifier"}
		for field, problem := range ve.Fields {
			if n, ok := names[field]; ok {
				field = n
			}
			v.Add(field, problem)
		}
	}
	if m.Identifier != "" && c.ExternalID != m.Identifier {
		// The site signed these exact bytes; a trimmed or respaced id
		// could name another of its users.
		v.Add("identifier", "must be 1-200 characters without surrounding or repeated spaces")
	}
	return c
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
