package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/switchboard-oss/switchboard/channels"
)

// Sender sends replies through each Telegram channel's own bot. Bots are
// built on first use (the library calls getMe) and kept per token.
type Sender struct {
	channel channels.ChannelLookup
	client  *http.Client
	mu      sync.Mutex
	bots    map[string]*bot // by token and API URL
}

var _ channels.Sender = (*Sender)(nil)

// NewSender builds a sender; channel looks a channel config up by id.
func NewSender(channel channels.ChannelLookup) *Sender {
	return &Sender{channel: channel, client: &http.Client{Timeout: 15 * time.Second}, bots: map[string]*bot{}}
}

func (s *Sender) botFor(cfg *Config) (*bot, error) {
	key := cfg.APIURL + "|" + cfg.Token
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.bots[key]; ok {
		return b, nil
	}
	b, err := newBot(cfg, s.client)
	if err != nil {
		return nil, classify(fmt.Errorf("telegram getMe: %w", err))
	}
	s.bots[key] = b
	return b, nil
}

// Send delivers a text message to the chat.
func (s *Sender) Send(ctx context.Context, m channels.Outbound) (string, error) {
	cfg, err := channels.LoadConfig(ctx, s.channel, m.ChannelID, Parse)
	if err != nil {
		return "", fmt.Errorf("telegram: %w", err)
	}
	chatID, err := strconv.ParseInt(m.To, 10, 64)
	if err != nil {
		return "", fmt.Errorf("telegram chat id %q: %w", m.To, err)
	}
	b, err := s.botFor(cfg)
	if err != nil {
		return "", err
	}
	sent, err := b.send(tgbotapi.NewMessage(chatID, m.Text))
	if err != nil {
		return "", classify(fmt.Errorf("telegram sendMessage: %w", err))
	}
	return MessageID(m.ChannelID, chatID, sent.MessageID), nil
}

// classify marks what is worth retrying: flood control (429, with its
// retry_after), Telegram's 5xx, and network failures. 400/403 (a blocked
// bot, a bad chat) are final.
func classify(err error) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		if te.Code == http.StatusTooManyRequests || te.Code >= 500 {
			return &channels.RetryableError{After: time.Duration(te.RetryAfter) * time.Second, Err: err}
		}
		return err
	}
	return &channels.RetryableError{Err: err}
}
