package whatsapp

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"

	"github.com/switchboard-oss/switchboard/channels/whatsapp/whatsapptest"
	"github.com/switchboard-oss/switchboard/contacts"
)

// newContainer is a whatsmeow device store in a temp SQLite file.
func newContainer(t *testing.T) (*sqlstore.Container, *sql.DB) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "wa.db")+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := sqlstore.NewWithDB(db, "sqlite3", nil)
	if err := c.Upgrade(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, db
}

func waChannel(id int64, jid string) contacts.ChannelConfig {
	cfg, _ := json.Marshal(Config{DeviceJID: jid})
	return contacts.ChannelConfig{ID: id, ProjectID: id * 10, Type: Type, Config: cfg}
}

func TestForget(t *testing.T) {
	const mine, theirs = "5511999990001.0:12@s.whatsapp.net", "5511999990002.0:3@s.whatsapp.net"
	for _, tc := range []struct {
		name     string
		channel  contacts.ChannelConfig
		others   []contacts.ChannelConfig // still in the database
		attached bool                     // the manager runs a client for it
		gone     []string                 // devices deleted
	}{
		{"paired, never connected this run", waChannel(1, mine), []contacts.ChannelConfig{waChannel(2, theirs)}, false, []string{mine}},
		{"paired, client offline and retrying", waChannel(1, mine), []contacts.ChannelConfig{waChannel(2, theirs)}, true, []string{mine}},
		{"never paired", waChannel(1, ""), []contacts.ChannelConfig{waChannel(2, theirs)}, false, nil},
		{"device another channel names is left alone", waChannel(1, theirs), []contacts.ChannelConfig{waChannel(2, theirs)}, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c, db := newContainer(t)
			whatsapptest.PairedDevice(t, c, mine)
			whatsapptest.PairedDevice(t, c, theirs)
			m := NewManager(ManagerConfig{Container: c, Logger: quietLog(),
				Channels: func(context.Context, string) ([]contacts.ChannelConfig, error) { return tc.others, nil }})
			m.connect = func(*whatsmeow.Client) error { return errors.New("offline") }
			m.sleep = sleepCtx
			if tc.attached {
				jid, _ := types.ParseJID(mine)
				dev, err := c.GetDevice(ctx, jid)
				if err != nil || dev == nil {
					t.Fatalf("device: %v %v", dev, err)
				}
				m.client(&tc.channel, dev)
				go m.keepConnecting(tc.channel.ID)
			}
			if err := m.Forget(ctx, &tc.channel); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Client(tc.channel.ID); err != ErrNotPaired {
				t.Errorf("client after forget: %v", err)
			}
			if state, _ := m.State(tc.channel.ID); state != StateUnpaired {
				t.Errorf("state after forget: %s", state)
			}
			deleted := map[string]bool{}
			for _, j := range tc.gone {
				deleted[j] = true
			}
			for _, j := range []string{mine, theirs} {
				jid, _ := types.ParseJID(j)
				dev, err := c.GetDevice(ctx, jid)
				if err != nil {
					t.Fatal(err)
				}
				if (dev == nil) != deleted[j] {
					t.Errorf("device %s stored: %v, want deleted: %v", j, dev != nil, deleted[j])
				}
				if dev != nil {
					continue
				}
				// Its keys went with it (the store's foreign keys cascade).
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM whatsmeow_identity_keys WHERE our_jid = ?`, j).Scan(&n); err != nil || n != 0 {
					t.Errorf("identity keys of the deleted device %s: %d %v", j, n, err)
				}
			}
		})
	}
}

// TestRunRetriesConnect: a paired channel whose first connects fail at boot
// is connected once WhatsApp answers, without a restart.
func TestRunRetriesConnect(t *testing.T) {
	const jid = "5511999990001.0:12@s.whatsapp.net"
	c, _ := newContainer(t)
	whatsapptest.PairedDevice(t, c, jid)
	ch := waChannel(1, jid)
	m := NewManager(ManagerConfig{Container: c, Logger: quietLog(),
		Channels: func(context.Context, string) ([]contacts.ChannelConfig, error) {
			return []contacts.ChannelConfig{ch}, nil
		}})
	d := &fakeDialer{failures: 3, err: errors.New("dial tcp: i/o timeout")}
	m.connect, m.sleep = d.connect, d.sleep
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		d.mu.Lock()
		n := d.attempts
		d.mu.Unlock()
		if n == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connect attempts, want 4", n)
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := m.Client(1); err != nil {
		t.Errorf("client: %v", err)
	}
	cancel()
	<-done
}
