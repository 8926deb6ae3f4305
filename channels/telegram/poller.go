package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Poller runs getUpdates long polls for the Telegram channels set to
// polling mode: the way to run a bot on a machine Telegram cannot reach. It
// rescans the channels periodically, starting and stopping polls as
// channels are added, changed or removed. Updates are handed on one by one;
// the offset only moves past an update once it was received, so a crash
// re-reads (and the gateway's dedupe drops) what was in flight.
type Poller struct {
	Channels func(ctx context.Context, typ string) ([]contacts.ChannelConfig, error)
	Receive  func(ctx context.Context, in contacts.Inbound) error
	Log      *slog.Logger
	Every    time.Duration // rescan interval; default 15 s
	Wait     int           // long-poll seconds; default 25
}

type running struct {
	cancel context.CancelFunc
	config string
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	if p.Every <= 0 {
		p.Every = 15 * time.Second
	}
	if p.Wait <= 0 {
		p.Wait = 25
	}
	if p.Log == nil {
		p.Log = slog.Default()
	}
	var wg sync.WaitGroup
	polls := map[int64]running{}
	defer func() {
		for _, r := range polls {
			r.cancel()
		}
		wg.Wait()
	}()
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	for {
		chans, err := p.Channels(ctx, string(contacts.ChannelTelegram))
		if err != nil && ctx.Err() == nil {
			p.Log.Error("list telegram channels", "error", err)
		}
		seen := map[int64]bool{}
		for _, ch := range chans {
			cfg, err := Parse(ch.Config)
			if err != nil || cfg.Mode != "polling" {
				continue
			}
			seen[ch.ID] = true
			if r, ok := polls[ch.ID]; ok && r.config == string(ch.Config) {
				continue
			} else if ok {
				r.cancel() // settings changed: restart with the new ones
			}
			pctx, cancel := context.WithCancel(ctx)
			polls[ch.ID] = running{cancel: cancel, config: string(ch.Config)}
			wg.Add(1)
			go func(ch contacts.ChannelConfig, cfg *Config) {
				defer wg.Done()
				p.poll(pctx, ch, cfg)
			}(ch, cfg)
		}
		for id, r := range polls {
			if !seen[id] {
				r.cancel()
				delete(polls, id)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ctxClient ties the library's requests (it takes no context) to ctx, so a
// stopped poll does not hang in a long poll.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

func (p *Poller) poll(ctx context.Context, ch contacts.ChannelConfig, cfg *Config) {
	log := p.Log.With("component", "telegram-poller", "channel_id", ch.ID)
	client := ctxClient{ctx: ctx, c: &http.Client{Timeout: time.Duration(p.Wait+15) * time.Second}}
	offset, failures := 0, 0
	var b *bot
	for ctx.Err() == nil {
		err := func() error {
			if b == nil {
				nb, err := newBot(cfg, client)
				if err != nil {
					return fmt.Errorf("telegram getMe: %w", err)
				}
				// getUpdates is refused while a webhook is set.
				if _, err := nb.call("deleteWebhook", nil); err != nil {
					return fmt.Errorf("telegram deleteWebhook: %w", err)
				}
				b = nb
			}
			resp, err := b.call("getUpdates", tgbotapi.Params{"offset": strconv.Itoa(offset),
				"timeout": strconv.Itoa(p.Wait), "allowed_updates": `["message","edited_message"]`})
			if err != nil {
				return fmt.Errorf("telegram getUpdates: %w", err)
			}
			var updates []json.RawMessage
			if err := json.Unmarshal(resp.Result, &updates); err != nil {
				return err
			}
			for _, raw := range updates {
				var head struct {
					UpdateID int `json:"update_id"`
				}
				if err := json.Unmarshal(raw, &head); err != nil {
					return err
				}
				in, ok, err := Inbound(raw, ch.ProjectID, ch.ID)
				if err != nil {
					log.Warn("skip an update that is not a Telegram update", "update_id", head.UpdateID, "error", err)
				} else if ok {
					if err := p.Receive(ctx, in); err != nil {
						return err // not acknowledged: read again next time
					}
				}
				offset = head.UpdateID + 1
			}
			return nil
		}()
		if err == nil {
			failures = 0
			continue
		}
		if ctx.Err() != nil {
			return
		}
		failures++
		delay := min(time.Second<<min(failures-1, 5), 30*time.Second)
		log.Warn("telegram poll failed; retrying", "error", err, "retry_in", delay.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}
