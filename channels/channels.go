// Package channels is the contract between the gateway and the channel
// adapters (widget, live chat, Telegram, Messenger, WhatsApp), one
// subpackage each. An adapter turns its channel's wire format into
// contacts.Inbound for the gateway, and sends Outbound messages back.
package channels

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Outbound is a message to send to a contact on a channel.
type Outbound struct {
	ProjectID      int64
	ChannelID      int64 // the configured channel to send through (which bot, which page)
	Channel        contacts.Channel
	To             string // the recipient's id on the channel (Identity.ExternalID)
	Text           string
	ConversationID int64
	MessageID      int64 // the stored message this send delivers
}

// Sender delivers outbound messages on one channel. It returns the
// channel's id for the sent message.
type Sender interface {
	Send(ctx context.Context, m Outbound) (string, error)
}

// RetryableError is a failed send worth trying again, no sooner than After
// (zero: the queue's own backoff), e.g. a 429 or 5xx from the peer.
type RetryableError struct {
	After time.Duration
	Err   error
}

func (e *RetryableError) Error() string { return fmt.Sprintf("retryable: %v", e.Err) }
func (e *RetryableError) Unwrap() error { return e.Err }

// ParseRetryAfter reads an HTTP Retry-After header, in seconds or as a date;
// zero when it is absent, unreadable or past.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(n, 0)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// IsRetryable reports whether err is worth retrying, and after how long.
func IsRetryable(err error) (time.Duration, bool) {
	var re *RetryableError
	if errors.As(err, &re) {
		return re.After, true
	}
	return 0, false
}

// Activator is an optional capability of a channel kind: telling the
// provider where to deliver webhooks once the channel exists (Telegram's
// setWebhook). publicURL is where this server is reachable from outside.
type Activator interface {
	Activate(ctx context.Context, ch *contacts.ChannelConfig, publicURL string) error
}

// ProfileFetcher is an optional capability of a channel kind: looking up a
// new sender's name with the provider (Messenger's profile API), for
// channels whose messages carry none.
type ProfileFetcher interface {
	Profile(ctx context.Context, ch *contacts.ChannelConfig, identity contacts.Channel, externalID string) (contacts.Hints, error)
}
