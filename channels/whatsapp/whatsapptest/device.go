// Package whatsapptest makes whatsmeow devices for tests: a device as
// pairing leaves it in the store, without a phone or WhatsApp's servers.
package whatsapptest

import (
	"bytes"
	"context"
	"testing"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
)

// PairedDevice saves a device with the given JID (e.g.
// "5511999990000.0:12@s.whatsapp.net") and made-up account signatures, as a
// successful pairing would, plus one identity key of a peer so the tables
// that hang off the device are not empty.
func PairedDevice(t testing.TB, c *sqlstore.Container, jid string) *store.Device {
	t.Helper()
	ctx := context.Background()
	id, err := types.ParseJID(jid)
	if err != nil {
		t.Fatalf("device jid %q: %v", jid, err)
	}
	dev := c.NewDevice()
	dev.ID = &id
	dev.PushName = "Switchboard test"
	dev.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             []byte("details"),
		AccountSignatureKey: bytes.Repeat([]byte{1}, 32),
		AccountSignature:    bytes.Repeat([]byte{2}, 64),
		DeviceSignature:     bytes.Repeat([]byte{3}, 64),
	}
	if err := dev.Save(ctx); err != nil {
		t.Fatalf("save device %s: %v", jid, err)
	}
	var peer [32]byte
	peer[0] = 7
	if err := dev.Identities.PutIdentity(ctx, "5511987654321.0:0", peer); err != nil {
		t.Fatalf("save an identity of device %s: %v", jid, err)
	}
	return dev
}
