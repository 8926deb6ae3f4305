package whatsapp

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/switchboard-oss/switchboard/contacts"
)

// logoutTimeout bounds the goodbye to WhatsApp when a channel is deleted.
const logoutTimeout = 10 * time.Second

// Forget unlinks the device of a channel that was deleted: it stops the
// client and its connection retries, logs the device out of WhatsApp when
// it is online (so the phone's "Linked devices" drops it), and deletes its
// keys from the device store. A logout that cannot reach WhatsApp is no
// error: the keys go anyway, and the phone lists the device until WhatsApp
// expires it. Call it after the channel row is gone.
func (m *Manager) Forget(ctx context.Context, ch *contacts.ChannelConfig) error {
	// The client stays tracked (its context alive) until the logout is
	// sent: stopping it first would close the socket the logout needs.
	m.mu.Lock()
	cli := m.clients[ch.ID]
	m.mu.Unlock()
	defer func() {
		m.detach(ch.ID).Disconnect() // nil-safe
		m.mu.Lock()
		delete(m.states, ch.ID)
		delete(m.qr, ch.ID)
		m.mu.Unlock()
	}()
	var dev *store.Device
	if cli != nil && cli.Store != nil && cli.Store.ID != nil {
		dev = cli.Store
	} else if cfg, err := Parse(ch.Config); err == nil && cfg.DeviceJID != "" {
		jid, _ := types.ParseJID(cfg.DeviceJID)
		if dev, err = m.container.GetDevice(ctx, jid); err != nil {
			return fmt.Errorf("find the device of channel %d: %w", ch.ID, err)
		}
	}
	if dev == nil { // never paired, or its keys are gone already
		return nil
	}
	if shared, err := m.namedElsewhere(ctx, ch.ID, *dev.ID); err != nil || shared {
		// A device another channel names is not this one's to log out
		// or delete (a config from before only pairing set device_jid).
		return err
	}
	if cli != nil && cli.IsLoggedIn() {
		lctx, cancel := context.WithTimeout(ctx, logoutTimeout)
		err := cli.Logout(lctx) // disconnects and deletes the keys
		cancel()
		if err == nil {
			return nil
		}
		m.log.Info("log a deleted channel's device out of whatsapp; deleting its keys anyway", "channel_id", ch.ID, "error", err)
	}
	cli.Disconnect() // before its keys go
	if err := dev.Delete(ctx); err != nil {
		return fmt.Errorf("delete the device of channel %d: %w", ch.ID, err)
	}
	return nil
}

// namedElsewhere reports whether a channel other than id names the device.
func (m *Manager) namedElsewhere(ctx context.Context, id int64, jid types.JID) (bool, error) {
	chans, err := m.channels(ctx, Type)
	if err != nil {
		return false, fmt.Errorf("list whatsapp channels: %w", err)
	}
	for _, c := range chans {
		cfg, err := Parse(c.Config)
		if c.ID == id || err != nil || cfg.DeviceJID == "" {
			continue
		}
		if other, err := types.ParseJID(cfg.DeviceJID); err == nil && other == jid {
			return true, nil
		}
	}
	return false, nil
}
