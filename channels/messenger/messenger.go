// Package messenger is Facebook Messenger and Instagram messaging through a
// Page: settings, webhook events to inbound messages, and replies through
// the Send API.
package messenger

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Config is a Messenger channel's settings.
type Config struct {
	PageAccessToken string `json:"page_access_token"`
	meta.AppConfig
}

// Parse decodes and validates a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "page_access_token, app_secret, verify_token, graph_url and graph_version"); err != nil {
		return nil, err
	}
	v := &contacts.ValidationError{}
	if len(strings.TrimSpace(cfg.PageAccessToken)) < 16 {
		v.Add("config.page_access_token", "is required: the Page access token")
	}
	cfg.Check(v.Add)
	return &cfg, v.Err()
}

// Kind validates Messenger settings.
type Kind struct{}

var _ contacts.ChannelKind = Kind{}

// HasPublicKey: webhooks address the channel by id.
func (Kind) HasPublicKey() bool { return false }

// Normalize checks and canonicalises a config.
func (Kind) Normalize(raw json.RawMessage) (json.RawMessage, error) {
	return channels.Normalize(raw, Parse)
}

// Redact shows whether secrets are set, never their values.
func (Kind) Redact(raw json.RawMessage) json.RawMessage {
	var cfg Config
	_ = json.Unmarshal(raw, &cfg)
	out, _ := json.Marshal(map[string]any{"page_access_token_set": cfg.PageAccessToken != "", "app_secret_set": cfg.AppSecret != "",
		"verify_token_set": cfg.VerifyToken != "", "graph_url": cfg.GraphURL, "graph_version": cfg.GraphVersion})
	return out
}

// webhook is the part of Messenger's webhook body the gateway reads.
type webhook struct {
	Object string `json:"object"` // page or instagram
	Entry  []struct {
		Messaging []struct {
			Sender    struct{ ID string } `json:"sender"`
			Timestamp int64               `json:"timestamp"`
			Message   *struct {
				Mid         string            `json:"mid"`
				Text        string            `json:"text"`
				IsEcho      bool              `json:"is_echo"`
				Attachments []json.RawMessage `json:"attachments"`
			} `json:"message"`
			Postback *struct {
				Mid     string `json:"mid"`
				Title   string `json:"title"`
				Payload string `json:"payload"`
			} `json:"postback"`
		} `json:"messaging"`
	} `json:"entry"`
}

// Inbound turns a webhook body into inbound messages: text messages and
// postbacks; echoes of the page's own messages, reads and deliveries are
// skipped.
func Inbound(body []byte, projectID, channelID int64) ([]contacts.Inbound, error) {
	var w webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, contacts.Invalid("body", "is not a Messenger webhook: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	ch := contacts.ChannelMessenger
	switch w.Object {
	case "page":
	case "instagram":
		ch = contacts.ChannelInstagram
	default:
		return nil, contacts.Invalid("object", fmt.Sprintf("must be page or instagram, not %q", w.Object))
	}
	var out []contacts.Inbound
	for _, e := range w.Entry {
		for _, ev := range e.Messaging {
			in := contacts.Inbound{ProjectID: projectID, ChannelID: channelID, Channel: ch, ExternalID: ev.Sender.ID,
				At: time.UnixMilli(ev.Timestamp).UTC()}
			switch {
			case ev.Message != nil && !ev.Message.IsEcho && ev.Message.Mid != "":
				in.ChannelMessageID, in.Text = ev.Message.Mid, ev.Message.Text
				if in.Text == "" && len(ev.Message.Attachments) > 0 {
					in.Text = "[attachment]"
					in.Attachments, _ = json.Marshal(ev.Message.Attachments)
				}
			case ev.Postback != nil:
				in.ChannelMessageID = ev.Postback.Mid
				if in.ChannelMessageID == "" {
					in.ChannelMessageID = fmt.Sprintf("postback:%s:%d", ev.Sender.ID, ev.Timestamp)
				}
				in.Text = ev.Postback.Title
			default:
				continue
			}
			if in.ExternalID == "" {
				continue
			}
			if ev.Timestamp <= 0 {
				in.At = time.Time{}
			}
			out = append(out, in)
		}
	}
	return out, nil
}

// Sender replies through the Send API of each channel's Page.
type Sender struct {
	channel channels.ChannelLookup
	client  *meta.Client
}

var _ channels.Sender = (*Sender)(nil)

// NewSender builds a sender; channel looks a channel config up by id.
func NewSender(channel channels.ChannelLookup) *Sender {
	return &Sender{channel: channel, client: meta.NewClient()}
}

// Send posts a text reply (messaging_type RESPONSE: inside the 24-hour window).
func (s *Sender) Send(ctx context.Context, m channels.Outbound) (string, error) {
	cfg, err := channels.LoadConfig(ctx, s.channel, m.ChannelID, Parse)
	if err != nil {
		return "", fmt.Errorf("messenger: %w", err)
	}
	text := m.Text
	if r := []rune(text); len(r) > 2000 {
		text = string(r[:1999]) + "…" // the Send API's limit
	}
	var out struct {
		MessageID string `json:"message_id"`
	}
	err = s.client.Post(ctx, meta.GraphBase(cfg.GraphURL, cfg.GraphVersion)+"/me/messages", cfg.PageAccessToken, map[string]any{
		"recipient": map[string]string{"id": m.To}, "messaging_type": "RESPONSE", "message": map[string]string{"text": text},
	}, &out)
	if err != nil {
		return "", fmt.Errorf("messenger send: %w", err)
	}
	return out.MessageID, nil
}

var _ channels.ProfileFetcher = Kind{}

// Profile asks the Graph API for a sender's name (Messenger's first and last
// name, Instagram's name). The Page token must have the permission; without
// it the sender simply stays unnamed.
func (Kind) Profile(ctx context.Context, ch *contacts.ChannelConfig, identity contacts.Channel, psid string) (contacts.Hints, error) {
	cfg, err := Parse(ch.Config)
	if err != nil {
		return contacts.Hints{}, err
	}
	var p struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Name      string `json:"name"`
	}
	fields := "first_name,last_name"
	if identity == contacts.ChannelInstagram {
		fields = "name"
	}
	if err := profileClient.Get(ctx, meta.GraphBase(cfg.GraphURL, cfg.GraphVersion)+"/"+url.PathEscape(psid)+"?fields="+fields,
		cfg.PageAccessToken, &p); err != nil {
		return contacts.Hints{}, fmt.Errorf("messenger profile: %w", err)
	}
	if p.FirstName == "" && p.Name != "" {
		p.FirstName, p.LastName = contacts.SplitName(p.Name)
	}
	return contacts.Hints{FirstName: p.FirstName, LastName: p.LastName}, nil
}

var profileClient = meta.NewClient()
