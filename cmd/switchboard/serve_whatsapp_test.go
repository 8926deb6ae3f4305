package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/whatsapp/whatsapptest"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// The whatsmeow device store serve opens in the project database keeps a
// paired device across a restart, and the manager built on it deletes it
// with its keys, on both databases.
func TestWhatsAppDeviceStore(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{
		{"sqlite", sqlstore.OpenTest},
		{"postgres", sqlstore.OpenTestPostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.open(t)
			if db == nil {
				t.Skip(sqlstore.PostgresTestEnv + " is not set")
			}
			ctx := context.Background()
			const jid = "5511999990001.0:12@s.whatsapp.net"
			devices, closeFn, err := openDeviceStore(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			saved := whatsapptest.PairedDevice(t, devices, jid)
			closeFn()

			// The next start: the upgrade finds its tables, the device loads.
			devices, closeFn, err = openDeviceStore(ctx, db)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer closeFn()
			got, err := devices.GetDevice(ctx, *saved.ID)
			if err != nil || got == nil {
				t.Fatalf("reload: %v %v", got, err)
			}
			if *got.ID != *saved.ID || got.RegistrationID != saved.RegistrationID || got.PushName != saved.PushName ||
				*got.NoiseKey.Priv != *saved.NoiseKey.Priv || *got.IdentityKey.Priv != *saved.IdentityKey.Priv ||
				got.SignedPreKey.KeyID != saved.SignedPreKey.KeyID || !bytes.Equal(got.AdvSecretKey, saved.AdvSecretKey) ||
				!bytes.Equal(got.Account.GetAccountSignature(), saved.Account.GetAccountSignature()) {
				t.Errorf("reloaded device differs: %+v", got)
			}
			var stranger [32]byte
			if trusted, err := got.Identities.IsTrustedIdentity(ctx, "5511987654321.0:0", stranger); err != nil || trusted {
				t.Errorf("the peer's stored identity was not reloaded (a different key is trusted: %v, %v)", trusted, err)
			}

			svc := contacts.NewService(contacts.Config{Store: db})
			t.Cleanup(svc.Close)
			kinds := map[string]contacts.ChannelKind{whatsapp.Type: whatsapp.Kind{}}
			m, closeM, err := whatsappManager(ctx, db, svc, kinds, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer closeM()
			cfg, _ := json.Marshal(whatsapp.Config{DeviceJID: jid})
			if err := m.Forget(ctx, &contacts.ChannelConfig{ID: 1, Type: whatsapp.Type, Config: cfg}); err != nil {
				t.Fatal(err)
			}
			if gone, err := devices.GetDevice(ctx, *saved.ID); err != nil || gone != nil {
				t.Errorf("device after Forget: %v %v", gone, err)
			}
			if trusted, err := got.Identities.IsTrustedIdentity(ctx, "5511987654321.0:0", stranger); err != nil || !trusted {
				t.Errorf("the deleted device's identity keys are still stored (%v, %v)", trusted, err)
			}
		})
	}
}
