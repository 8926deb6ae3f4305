package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Type is the channel type name.
const Type = "whatsapp"

// Config is a whatsmeow channel's settings: none to type in. DeviceJID is
// written by pairing and cleared when WhatsApp logs the device out.
type Config struct {
	DeviceJID string `json:"device_jid"`
}

// DeviceJIDKey is DeviceJID's key in a channel's config. Only pairing may
// write it: every project's devices live in one store, and the manager runs
// whichever device a channel names, so an API client that could set it
// could take over another project's WhatsApp number.
const DeviceJIDKey = "device_jid"

// Parse decodes a config.
func Parse(raw json.RawMessage) (*Config, error) {
	var cfg Config
	if err := channels.DecodeConfig(raw, &cfg, "device_jid (set by pairing)"); err != nil {
		return nil, err
	}
	if cfg.DeviceJID != "" {
		if _, err := types.ParseJID(cfg.DeviceJID); err != nil {
			return nil, contacts.Invalid("config.device_jid", "is not a WhatsApp device id")
		}
	}
	return &cfg, nil
}

// Kind validates whatsmeow channel settings.
type Kind struct{}

var _ contacts.ChannelKind = Kind{}

// HasPublicKey: no embed, no webhook.
func (Kind) HasPublicKey() bool { return false }

// Normalize checks a config.
func (Kind) Normalize(raw json.RawMessage) (json.RawMessage, error) {
	return channels.Normalize(raw, Parse)
}

// Redact: nothing secret is in the config (the keys live in the device store).
func (Kind) Redact(raw json.RawMessage) json.RawMessage { return raw }

// Pairing states a channel can be in.
const (
	StateUnpaired  = "unpaired"
	StatePairing   = "pairing"
	StateConnected = "connected"
	StateOffline   = "offline" // paired, connection down (whatsmeow reconnects)
	StateLoggedOut = "logged_out"
)

// Manager runs one whatsmeow client per paired channel: it connects them
// at start, pairs new devices, turns their message events into inbound
// messages, and forgets a device WhatsApp logged out.
type Manager struct {
	container *sqlstore.Container
	channels  func(ctx context.Context, typ string) ([]contacts.ChannelConfig, error)
	setDevice func(ctx context.Context, ch *contacts.ChannelConfig, jid string) error
	receive   func(ctx context.Context, in contacts.Inbound) error
	log       *slog.Logger

	// backoff and sleep pace the connection retries; tests replace them
	// and connect, so no network is needed.
	backoff backoff
	sleep   func(ctx context.Context, d time.Duration) bool
	connect func(*whatsmeow.Client) error // (*whatsmeow.Client).Connect but in tests

	mu      sync.Mutex
	clients map[int64]*whatsmeow.Client
	stops   map[int64]context.CancelFunc // ends a client's connection retries
	states  map[int64]string
	qr      map[int64]string // the latest QR code of a pairing in progress
	ctx     context.Context
}

// ManagerConfig wires a Manager.
type ManagerConfig struct {
	Container *sqlstore.Container
	Channels  func(ctx context.Context, typ string) ([]contacts.ChannelConfig, error)
	// SetDevice records a channel's paired device (empty: logged out).
	SetDevice func(ctx context.Context, ch *contacts.ChannelConfig, jid string) error
	Receive   func(ctx context.Context, in contacts.Inbound) error
	Logger    *slog.Logger
}

// NewManager builds a manager over a device store.
func NewManager(cfg ManagerConfig) *Manager {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Manager{container: cfg.Container, channels: cfg.Channels, setDevice: cfg.SetDevice, receive: cfg.Receive,
		log: cfg.Logger.With("component", "whatsapp"), backoff: defaultBackoff, sleep: sleepCtx,
		connect: (*whatsmeow.Client).Connect,
		clients: map[int64]*whatsmeow.Client{}, stops: map[int64]context.CancelFunc{},
		states: map[int64]string{}, qr: map[int64]string{}, ctx: context.Background()}
}

// Run connects every paired channel, then keeps the clients until ctx ends.
// Each channel connects on its own goroutine and retries until it is up
// (connect.go), so WhatsApp being unreachable at boot delays a channel
// instead of leaving it offline until the next restart.
func (m *Manager) Run(ctx context.Context) {
	m.mu.Lock()
	m.ctx = ctx
	m.mu.Unlock()
	chans, err := m.channels(ctx, Type)
	if err != nil {
		m.log.Error("list whatsapp channels", "error", err)
	}
	for i := range chans {
		ch := chans[i]
		cfg, err := Parse(ch.Config)
		if err != nil || cfg.DeviceJID == "" {
			continue
		}
		jid, _ := types.ParseJID(cfg.DeviceJID)
		dev, err := m.container.GetDevice(ctx, jid)
		if err != nil || dev == nil {
			m.log.Warn("paired device missing from the store; pair again", "channel_id", ch.ID, "error", err)
			continue
		}
		m.client(&ch, dev)
		go m.keepConnecting(ch.ID)
	}
	<-ctx.Done()
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, c := range m.clients {
		if stop := m.stops[id]; stop != nil {
			stop()
		}
		c.Disconnect()
	}
}

// client builds a client for a device and routes its events.
func (m *Manager) client(ch *contacts.ChannelConfig, dev *store.Device) *whatsmeow.Client {
	cli := whatsmeow.NewClient(dev, nil)
	// A message is acknowledged to WhatsApp only once every handler has
	// returned true, that is once the gateway committed it; a message
	// whose save failed stays unacknowledged and WhatsApp delivers it
	// again. whatsmeow can decrypt a message only once, so it keeps the
	// plaintext in its store until the ack (the decrypted event buffer)
	// and replays it on redelivery.
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	cli.AddEventHandlerWithSuccessStatus(func(evt any) bool { return m.Handle(ch, dev.LIDs, evt) })
	m.mu.Lock()
	// Events and retries of this client end with the manager's context
	// or when the channel is forgotten.
	ctx, stop := context.WithCancel(m.ctx)
	cli.BackgroundEventCtx = ctx
	if old := m.stops[ch.ID]; old != nil {
		old()
	}
	m.clients[ch.ID], m.stops[ch.ID] = cli, stop
	m.states[ch.ID] = StateOffline
	m.mu.Unlock()
	// whatsmeow's own reconnect loop waits 2 s longer after each failure,
	// without a cap; past its first failed attempt ours takes over.
	cli.AutoReconnectHook = func(error) bool {
		go m.keepConnecting(ch.ID)
		return false
	}
	return cli
}

// Handle applies one whatsmeow event of a channel and reports whether it
// was handled; exported so tests can feed events without a connection. A
// message it could not record makes it return false, which keeps whatsmeow
// from acknowledging it (SynchronousAck), so WhatsApp delivers it again.
func (m *Manager) Handle(ch *contacts.ChannelConfig, lids LIDResolver, evt any) bool {
	m.mu.Lock()
	ctx := m.ctx
	m.mu.Unlock()
	switch e := evt.(type) {
	case *events.Message:
		in, ok := Inbound(ctx, e, lids, ch.ProjectID, ch.ID)
		if !ok {
			return true // not ours to store: acknowledge
		}
		err := m.receive(ctx, in)
		var invalid *contacts.ValidationError
		switch {
		case err == nil:
		case errors.As(err, &invalid):
			// No redelivery can make it valid; unacknowledged it would
			// come back forever.
			m.log.Error("whatsapp message cannot be stored; acknowledged anyway", "channel_id", ch.ID,
				"message_id", in.ChannelMessageID, "error", err)
		default:
			m.log.Warn("record whatsapp message; not acknowledged, WhatsApp will deliver it again", "channel_id", ch.ID,
				"message_id", in.ChannelMessageID, "error", err)
			return false
		}
	case *events.Connected:
		m.setState(ch.ID, StateConnected)
	case *events.Disconnected:
		m.setState(ch.ID, StateOffline)
	case *events.LoggedOut:
		m.log.Warn("whatsapp logged this device out; pair again", "channel_id", ch.ID, "reason", e.Reason.String())
		m.setState(ch.ID, StateLoggedOut)
		m.detach(ch.ID)
		if err := m.setDevice(ctx, ch, ""); err != nil {
			m.log.Error("forget logged-out device", "channel_id", ch.ID, "error", err)
		}
	case *events.PairSuccess:
		m.mu.Lock()
		delete(m.qr, ch.ID)
		m.mu.Unlock()
		if err := m.setDevice(ctx, ch, e.ID.String()); err != nil {
			m.log.Error("record paired device", "channel_id", ch.ID, "error", err)
		}
	}
	return true
}

func (m *Manager) setState(id int64, s string) {
	m.mu.Lock()
	m.states[id] = s
	m.mu.Unlock()
}

// State reports a channel's connection state and, while pairing, the
// latest QR code to show.
func (m *Manager) State(id int64) (state, qr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	state, ok := m.states[id]
	if !ok {
		state = StateUnpaired
	}
	return state, m.qr[id]
}

// Client returns a channel's connected client, for the Sender.
func (m *Manager) Client(channelID int64) (Client, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.clients[channelID]
	if !ok {
		return nil, ErrNotPaired
	}
	return c, nil
}

// ErrUnreachable: WhatsApp's servers could not be reached to pair.
var ErrUnreachable = errors.New("whatsapp servers unreachable")

// Pair starts pairing a new device for the channel and returns the first QR
// code to scan (Linked devices in the phone's WhatsApp). With phone set it
// asks for a pairing code to type instead and returns that. The pairing
// goes on in the background; PairSuccess records the device.
func (m *Manager) Pair(ctx context.Context, ch *contacts.ChannelConfig, phone string) (string, error) {
	m.mu.Lock()
	if _, busy := m.clients[ch.ID]; busy && m.states[ch.ID] != StateLoggedOut {
		m.mu.Unlock()
		return "", fmt.Errorf("channel %d is paired already; delete it to pair another phone: %w", ch.ID, contacts.ErrConflict)
	}
	runCtx := m.ctx
	m.mu.Unlock()
	dev := m.container.NewDevice()
	cli := m.client(ch, dev)
	qrs, err := cli.GetQRChannel(runCtx)
	if err != nil {
		return "", fmt.Errorf("pair: %w", err)
	}
	if err := cli.Connect(); err != nil {
		m.drop(ch.ID)
		return "", fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	m.setState(ch.ID, StatePairing)
	first := make(chan string, 1)
	go func() {
		for item := range qrs {
			switch item.Event {
			case whatsmeow.QRChannelEventCode:
				m.mu.Lock()
				m.qr[ch.ID] = item.Code
				m.mu.Unlock()
				select {
				case first <- item.Code:
				default:
				}
			case "success":
				m.setState(ch.ID, StateConnected)
			default: // timeout, error: start over
				cli.Disconnect()
				m.drop(ch.ID)
			}
		}
	}()
	select {
	case code := <-first:
		if phone == "" {
			return code, nil
		}
		return cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(30 * time.Second):
		cli.Disconnect()
		m.drop(ch.ID)
		return "", ErrUnreachable
	}
}

func (m *Manager) drop(id int64) {
	m.detach(id)
	m.mu.Lock()
	delete(m.states, id)
	delete(m.qr, id)
	m.mu.Unlock()
}

// detach stops tracking a channel's client and ends its connection retries;
// it returns the client, nil when there was none.
func (m *Manager) detach(id int64) *whatsmeow.Client {
	m.mu.Lock()
	defer m.mu.Unlock()
	cli := m.clients[id]
	if stop := m.stops[id]; stop != nil {
		stop()
	}
	delete(m.clients, id)
	delete(m.stops, id)
	return cli
}
