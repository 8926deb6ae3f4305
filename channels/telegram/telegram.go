// Package telegram is the Telegram channel: the bot's settings, the
// translation of Bot API updates into contacts.Inbound, and sending replies
// through the Bot API (go-telegram-bot-api, pointed at any base URL).
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// DefaultAPIURL is Telegram's Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// Config is a Telegram channel's settings.
type Config struct {
	Token string `json:"token"`
	// SecretToken is what Telegram sends back in the
	// X-Telegram-Bot-Api-Secret-Token header of every webhook call.
	SecretToken string `json:"secret_token"`
	Mode        string `json:"mode"`    // webhook (default) or polling
	APIURL      string `json:"api_url"` // base URL of the Bot API
}

// Parse decodes and validates a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "token, secret_token, mode and api_url"); err != nil {
		return nil, err
	}
	v := &contacts.ValidationError{}
	// Telegram's tokens are digits, ':' and URL-safe letters. Holding to
	// that keeps the token as written in the request URL, so the one form
	// redact looks for is the only form an error can quote.
	if cfg.Token = strings.TrimSpace(cfg.Token); !strings.Contains(cfg.Token, ":") || len(cfg.Token) > 200 || strings.ContainsFunc(cfg.Token, func(r rune) bool {
		return !(urlSafe(r) || r == ':')
	}) {
		v.Add("config.token", "is required: the bot token from @BotFather (123456:ABC...)")
	}
	if cfg.Mode == "" {
		cfg.Mode = "webhook"
	}
	if cfg.Mode != "webhook" && cfg.Mode != "polling" {
		v.Add("config.mode", "must be webhook or polling")
	}
	if cfg.Mode == "webhook" && (len(cfg.SecretToken) < 16 || len(cfg.SecretToken) > 256 || strings.ContainsFunc(cfg.SecretToken, func(r rune) bool {
		return !urlSafe(r)
	})) {
		v.Add("config.secret_token", "is required for webhooks: 16-256 letters, digits, '_' or '-'")
	}
	cfg.APIURL = strings.TrimRight(strings.TrimSpace(cfg.APIURL), "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasPrefix(cfg.APIURL, "https://") && !strings.HasPrefix(cfg.APIURL, "http://") {
		v.Add("config.api_url", "must be an http(s) URL")
	}
	return &cfg, v.Err()
}

// urlSafe: an ASCII letter, digit, '_' or '-'.
func urlSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
}

// Kind validates Telegram settings.
type Kind struct{}

var _ contacts.ChannelKind = Kind{}

// HasPublicKey: Telegram channels are addressed by id in their webhook URL.
func (Kind) HasPublicKey() bool { return false }

// Normalize checks and canonicalises a config.
func (Kind) Normalize(raw json.RawMessage) (json.RawMessage, error) {
	return channels.Normalize(raw, Parse)
}

// Redact hides the token and the secret: the API says only whether they are set.
func (Kind) Redact(raw json.RawMessage) json.RawMessage {
	var cfg Config
	_ = json.Unmarshal(raw, &cfg)
	out, _ := json.Marshal(map[string]any{"token_set": cfg.Token != "", "secret_token_set": cfg.SecretToken != "",
		"mode": cfg.Mode, "api_url": cfg.APIURL})
	return out
}

var _ channels.Activator = Kind{}

// WebhookPath is where a Telegram channel's updates arrive.
func WebhookPath(channelID int64) string {
	return fmt.Sprintf("/channels/telegram/%d/webhook", channelID)
}

// Activate registers the webhook with Telegram (setWebhook, with the secret
// token Telegram then sends back in every call). A token Telegram refuses is
// a validation error on config.token.
func (Kind) Activate(ctx context.Context, ch *contacts.ChannelConfig, publicURL string) error {
	cfg, err := Parse(ch.Config)
	if err != nil || cfg.Mode != "webhook" {
		return err
	}
	b, err := newBot(cfg, &http.Client{Timeout: 15 * time.Second})
	if err != nil {
		return refused(err, cfg.Token)
	}
	_, err = b.call("setWebhook", tgbotapi.Params{
		"url":             strings.TrimRight(publicURL, "/") + WebhookPath(ch.ID),
		"secret_token":    cfg.SecretToken,
		"allowed_updates": `["message","edited_message"]`,
	})
	if err != nil {
		return refused(err, cfg.Token)
	}
	return nil
}

// refused maps an error of a Bot API call: Telegram's own answer is a
// validation error on the token, anything else a failure to reach it. err
// is already redacted; Telegram's description is scrubbed too, as it goes
// into a new error.
func refused(err error, token string) error {
	var te *tgbotapi.Error
	// A 5xx or flood control says nothing about the token: the Bot API
	// could not take the call, as when it cannot be reached.
	if errors.As(err, &te) && te.Code < 500 && te.Code != http.StatusTooManyRequests {
		return contacts.Invalid("config.token", "Telegram refused it: "+scrub(te.Message, token))
	}
	return fmt.Errorf("reach the Telegram Bot API: %w", err)
}
