package webui

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	wastore "go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/whatsapp/whatsapptest"
	"github.com/switchboard-oss/switchboard/contacts"
)

// pairAs records a device on a channel the way the manager does after a
// phone scanned its QR code (serve.go's SetDevice).
func (e *testEnv) pairAs(projectID, channelID int64, jid string) {
	e.t.Helper()
	raw, _ := json.Marshal(jid)
	if _, err := e.svc.UpdateChannel(context.Background(), projectID, channelID, map[string]contacts.ChannelKind{whatsapp.Type: whatsapp.Kind{}},
		contacts.ChannelInput{Config: map[string]json.RawMessage{whatsapp.DeviceJIDKey: raw}}); err != nil {
		e.t.Fatal(err)
	}
}

func deviceOf(r *response) string {
	cfg, _ := r.body["config"].(map[string]any)
	s, _ := cfg[whatsapp.DeviceJIDKey].(string)
	return s
}

// All projects' WhatsApp devices share one store and the manager runs the
// device a channel names, so the API must never let a client name one:
// only pairing does.
func TestWhatsAppDeviceOnlyByPairing(t *testing.T) {
	e := newEnv(t)
	const victim = "5511999990001.0:12@s.whatsapp.net"
	e.do("POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Stolen", "config": {"device_jid": "`+victim+`"}}`).
		mustError(t, 422, "validation_failed")
	ch := e.do("POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Shop phone"}`).must(t, 201)
	path := fmt.Sprintf("/api/v1/channels/%d", ch.id())
	const mine = "5511999990002.0:3@s.whatsapp.net"
	e.pairAs(e.project.ID, ch.id(), mine)
	for _, body := range []string{
		`{"config": {"device_jid": "` + victim + `"}}`,
		`{"config": {"device_jid": null}}`,
		`{"name": "Shop", "config": {"device_jid": ""}}`,
	} {
		r := e.do("PATCH", path, body).mustError(t, 422, "validation_failed")
		if _, ok := r.errFields()["config.device_jid"]; !ok {
			t.Errorf("%s: error fields %v", body, r.errFields())
		}
	}
	if got := deviceOf(e.do("GET", path, nil).must(t, 200)); got != mine {
		t.Errorf("device after refused patches: %q, want %q", got, mine)
	}
	// A patch that leaves it out keeps the paired device.
	r := e.do("PATCH", path, `{"name": "Shop"}`).must(t, 200)
	if r.body["name"] != "Shop" || deviceOf(r) != mine {
		t.Errorf("rename: %s", r.raw)
	}
}

// unlinkingPairer is a fakePairer that also records Forget calls.
type unlinkingPairer struct {
	*fakePairer
	mu     sync.Mutex
	forgot []string // "id device_jid"
}

func (u *unlinkingPairer) Forget(_ context.Context, ch *contacts.ChannelConfig) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	var cfg whatsapp.Config
	_ = json.Unmarshal(ch.Config, &cfg)
	u.forgot = append(u.forgot, fmt.Sprintf("%d %s", ch.ID, cfg.DeviceJID))
	return nil
}

func (u *unlinkingPairer) calls() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.forgot...)
}

// Deleting a WhatsApp channel unlinks its device, and only that: not for a
// delete that was refused, not for other channel types.
func TestDeleteWhatsAppChannelUnlinks(t *testing.T) {
	fake := &unlinkingPairer{fakePairer: newFakePairer("2@ref,key,id,adv")}
	e := newEnv(t, func(s *Server) { s.whatsapp = fake })
	const jid = "5511999990001.0:12@s.whatsapp.net"
	wa := e.do("POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Shop phone"}`).must(t, 201)
	e.pairAs(e.project.ID, wa.id(), jid)
	widget := e.do("POST", "/api/v1/channels", `{"type": "widget", "name": "Site"}`).must(t, 201)

	_, otherKey := e.newProject("Other")
	e.doAs(otherKey, "DELETE", fmt.Sprintf("/api/v1/channels/%d", wa.id()), nil).mustError(t, 404, "not_found")
	e.do("DELETE", fmt.Sprintf("/api/v1/channels/%d", widget.id()), nil).must(t, 204)
	if got := fake.calls(); len(got) != 0 {
		t.Fatalf("unlinked before the whatsapp channel was deleted: %v", got)
	}
	e.do("DELETE", fmt.Sprintf("/api/v1/channels/%d", wa.id()), nil).must(t, 204)
	if got := fake.calls(); len(got) != 1 || got[0] != fmt.Sprintf("%d %s", wa.id(), jid) {
		t.Errorf("unlinked %v", got)
	}

	// Deleting from the settings page unlinks too.
	const jid2 = "5511999990002.0:7@s.whatsapp.net"
	wa2 := e.do("POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Second phone"}`).must(t, 201)
	e.pairAs(e.project.ID, wa2.id(), jid2)
	if p := e.owner().postForm(fmt.Sprintf("/settings/channels/%d/delete", wa2.id()), nil); p.status != 303 {
		t.Fatalf("settings delete: %d %s", p.status, p.body)
	}
	if got := fake.calls(); len(got) != 2 || got[1] != fmt.Sprintf("%d %s", wa2.id(), jid2) {
		t.Errorf("after the settings page's delete, unlinked %v", got)
	}
}

// The same with the real manager and device store: the deleted channel's
// keys leave the store, another project's device stays.
func TestDeleteWhatsAppChannelDeletesDevice(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "wa.db")+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	devices := wastore.NewWithDB(db, "sqlite3", nil)
	if err := devices.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(s *Server) {
		s.whatsapp = whatsapp.NewManager(whatsapp.ManagerConfig{Container: devices, Channels: s.svc.ChannelsOfType,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	})
	const mine, theirs = "5511999990001.0:12@s.whatsapp.net", "5511999990002.0:3@s.whatsapp.net"
	whatsapptest.PairedDevice(t, devices, mine)
	whatsapptest.PairedDevice(t, devices, theirs)
	wa := e.do("POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Shop phone"}`).must(t, 201)
	e.pairAs(e.project.ID, wa.id(), mine)
	otherProject, otherKey := e.newProject("Other")
	other := e.doAs(otherKey, "POST", "/api/v1/channels", `{"type": "whatsapp", "name": "Their phone"}`).must(t, 201)
	e.pairAs(otherProject, other.id(), theirs)

	e.do("DELETE", fmt.Sprintf("/api/v1/channels/%d", wa.id()), nil).must(t, 204)
	for j, want := range map[string]bool{mine: false, theirs: true} {
		id, _ := types.ParseJID(j)
		dev, err := devices.GetDevice(ctx, id)
		if err != nil || (dev != nil) != want {
			t.Errorf("device %s stored: %v (%v), want %v", j, dev != nil, err, want)
		}
	}
	var keys int
	if err := db.QueryRow(`SELECT COUNT(*) FROM whatsmeow_identity_keys WHERE our_jid = ?`, mine).Scan(&keys); err != nil || keys != 0 {
		t.Errorf("keys of the deleted device: %d %v", keys, err)
	}
}
