package whatsapp

import (
	"context"
	"errors"
	"time"

	"go.mau.fi/whatsmeow"
)

// backoff is how long to wait between connection attempts: Min after the
// first failure, doubling up to Max.
type backoff struct{ Min, Max time.Duration }

// defaultBackoff retries quickly after a blip and every five minutes
// through a long outage.
var defaultBackoff = backoff{Min: 2 * time.Second, Max: 5 * time.Minute}

// next is the wait after one waited d (0: none yet).
func (b backoff) next(d time.Duration) time.Duration {
	if d <= 0 {
		return b.Min
	}
	if d *= 2; d > b.Max {
		return b.Max
	}
	return d
}

// sleepCtx waits d, or less when ctx ends first (then it returns false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// keepConnecting connects a channel's client, retrying with capped
// exponential backoff until it is up, the channel is forgotten or the
// manager stops. whatsmeow reconnects on its own only a connection that was
// up once (its InitialAutoReconnect covers network errors alone, with an
// uncapped delay), so without this a WhatsApp unreachable at boot would
// leave the channel offline until a restart. The state stays offline,
// which the settings page shows as "reconnecting", until whatsmeow's
// Connected event.
func (m *Manager) keepConnecting(id int64) {
	m.mu.Lock()
	cli := m.clients[id]
	m.mu.Unlock()
	if cli == nil {
		return
	}
	ctx := cli.BackgroundEventCtx // ends with the manager or the channel
	var delay time.Duration
	for attempt := 1; ctx.Err() == nil; attempt++ {
		err := m.connect(cli)
		if err == nil || errors.Is(err, whatsmeow.ErrAlreadyConnected) {
			return
		}
		if ctx.Err() != nil {
			return
		}
		delay = m.backoff.next(delay)
		m.log.Warn("connect whatsapp; retrying", "channel_id", id, "attempt", attempt, "retry_in", delay.String(), "error", err)
		if !m.sleep(ctx, delay) {
			return
		}
	}
}
