// Package whatsappcloud is the official WhatsApp Business Cloud API:
// settings, webhook notifications to inbound messages, and replies through
// the phone number's /messages endpoint.
package whatsappcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Type is the channel type name.
const Type = "whatsapp-cloud"

// Config is a WhatsApp Cloud channel's settings.
type Config struct {
	AccessToken   string `json:"access_token"`
	PhoneNumberID string `json:"phone_number_id"`
	meta.AppConfig
}

// Parse decodes and validates a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "access_token, phone_number_id, app_secret, verify_token, graph_url and graph_version"); err != nil {
		return nil, err
	}
	v := &contacts.ValidationError{}
	if len(strings.TrimSpace(cfg.AccessToken)) < 16 {
		v.Add("config.access_token", "is required: a system user access token")
	}
	if _, err := strconv.ParseUint(cfg.PhoneNumberID, 10, 64); err != nil {
		v.Add("config.phone_number_id", "is required: the numeric id of the business phone number")
	}
	cfg.Check(v.Add)
	return &cfg, v.Err()
}

// Kind validates WhatsApp Cloud settings.
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
	out, _ := json.Marshal(map[string]any{"access_token_set": cfg.AccessToken != "", "phone_number_id": cfg.PhoneNumberID,
		"app_secret_set": cfg.AppSecret != "", "verify_token_set": cfg.VerifyToken != "", "graph_url": cfg.GraphURL, "graph_version": cfg.GraphVersion})
	return out
}

type notification struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Contacts []struct {
					WaID    string `json:"wa_id"`
					UserID  string `json:"user_id"`
					Profile struct {
						Name string `json:"name"`
					} `json:"profile"`
				} `json:"contacts"`
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Errors []struct {
						Code  int    `json:"code"`
						Title string `json:"title"`
					} `json:"errors"`
				} `json:"statuses"`
				Messages []struct {
					From      string                 `json:"from"`
					FromUser  string                 `json:"from_user_id"`
					ID        string                 `json:"id"`
					Timestamp string                 `json:"timestamp"`
					Type      string                 `json:"type"`
					Text      *struct{ Body string } `json:"text"`
					Button    *struct{ Text string } `json:"button"`
					Image     json.RawMessage        `json:"image"`
					Audio     json.RawMessage        `json:"audio"`
					Document  json.RawMessage        `json:"document"`
				} `json:"messages"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// Inbound turns a notification into inbound messages. The sender's wa_id is
// a phone number WhatsApp verified, so it links to an existing contact
// holding that phone; a business-scoped user id without a number is kept as
// the identity alone. Status callbacks carry no customer message and are
// skipped here.
func Inbound(body []byte, projectID, channelID int64) ([]contacts.Inbound, error) {
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, contacts.Invalid("body", "is not a WhatsApp Cloud notification: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	if n.Object != "whatsapp_business_account" {
		return nil, contacts.Invalid("object", fmt.Sprintf("must be whatsapp_business_account, not %q", n.Object))
	}
	var out []contacts.Inbound
	for _, e := range n.Entry {
		for _, ch := range e.Changes {
			if ch.Field != "messages" {
				continue
			}
			names := map[string]string{}
			for _, c := range ch.Value.Contacts {
				names[c.WaID] = c.Profile.Name
				if c.UserID != "" {
					names[c.UserID] = c.Profile.Name
				}
			}
			for _, m := range ch.Value.Messages {
				from := m.From
				if from == "" {
					from = m.FromUser
				}
				if from == "" || m.ID == "" {
					continue
				}
				first, last := contacts.SplitName(names[from])
				in := contacts.Inbound{ProjectID: projectID, ChannelID: channelID, Channel: contacts.ChannelWhatsApp,
					ExternalID: from, ChannelMessageID: m.ID, Hints: contacts.Hints{FirstName: first, LastName: last}}
				if m.From != "" {
					in.VerifiedPhone = "+" + m.From
				}
				if ts, err := strconv.ParseInt(m.Timestamp, 10, 64); err == nil && ts > 0 {
					in.At = time.Unix(ts, 0).UTC()
				}
				switch {
				case m.Text != nil:
					in.Text = m.Text.Body
				case m.Button != nil:
					in.Text = m.Button.Text
				default:
					in.Text = "[" + m.Type + "]"
				}
				out = append(out, in)
			}
		}
	}
	return out, nil
}

// Receipt is a delivery status WhatsApp reports for a message we sent.
type Receipt struct {
	PeerID string // the wamid the send returned
	Status string // sent, delivered, read, or "failed: <reason>"
}

// Receipts reads the status callbacks of a notification.
func Receipts(body []byte) ([]Receipt, error) {
	var n notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, contacts.Invalid("body", "is not a WhatsApp Cloud notification")
	}
	var out []Receipt
	for _, e := range n.Entry {
		for _, ch := range e.Changes {
			for _, st := range ch.Value.Statuses {
				if st.ID == "" || st.Status == "" {
					continue
				}
				r := Receipt{PeerID: st.ID, Status: st.Status}
				if st.Status == "failed" {
					r.Status = contacts.StatusFailed
					if len(st.Errors) > 0 {
						r.Status += fmt.Sprintf(": %s (%d)", st.Errors[0].Title, st.Errors[0].Code)
					}
				}
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// Sender replies through each channel's business phone number.
type Sender struct {
	channel channels.ChannelLookup
	client  *meta.Client
}

var _ channels.Sender = (*Sender)(nil)

// NewSender builds a sender; channel looks a channel config up by id.
func NewSender(channel channels.ChannelLookup) *Sender {
	return &Sender{channel: channel, client: meta.NewClient()}
}

// Send posts a text message to the customer's WhatsApp.
func (s *Sender) Send(ctx context.Context, m channels.Outbound) (string, error) {
	cfg, err := channels.LoadConfig(ctx, s.channel, m.ChannelID, Parse)
	if err != nil {
		return "", fmt.Errorf("whatsapp-cloud: %w", err)
	}
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	err = s.client.Post(ctx, meta.GraphBase(cfg.GraphURL, cfg.GraphVersion)+"/"+cfg.PhoneNumberID+"/messages", cfg.AccessToken, map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": m.To, "type": "text",
		"text": map[string]any{"preview_url": false, "body": m.Text},
	}, &out)
	if err != nil {
		return "", fmt.Errorf("whatsapp-cloud send: %w", err)
	}
	if len(out.Messages) == 0 {
		return "", nil
	}
	return out.Messages[0].ID, nil
}
