package webui

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/contacts"
)

// fakePairer stands in for whatsapp.Manager and WhatsApp's servers: Pair
// hands out a QR code as the first one whatsmeow gets, and the test says
// when the phone has scanned it.
type fakePairer struct {
	mu      sync.Mutex
	qr      string // the code Pair answers
	err     error  // Pair's failure, if set
	states  map[int64]string
	codes   map[int64]string
	phones  []string // the phones Pair was asked to link by code
	pairIDs []int64
}

func newFakePairer(qr string) *fakePairer {
	return &fakePairer{qr: qr, states: map[int64]string{}, codes: map[int64]string{}}
}

func (f *fakePairer) State(id int64) (string, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	state, ok := f.states[id]
	if !ok {
		state = whatsapp.StateUnpaired
	}
	return state, f.codes[id]
}

func (f *fakePairer) Pair(_ context.Context, ch *contacts.ChannelConfig, phone string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pairIDs = append(f.pairIDs, ch.ID)
	if f.err != nil {
		return "", f.err
	}
	f.states[ch.ID], f.codes[ch.ID] = whatsapp.StatePairing, f.qr
	if phone != "" {
		f.phones = append(f.phones, phone)
		return "K7QD-2WXP", nil
	}
	return f.qr, nil
}

func (f *fakePairer) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// asked returns the channels Pair was called for and the phones it was given.
func (f *fakePairer) asked() ([]int64, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.pairIDs...), append([]string(nil), f.phones...)
}

// scanned is the phone linking: whatsmeow's PairSuccess, then connected.
func (f *fakePairer) scanned(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[id] = whatsapp.StateConnected
	delete(f.codes, id)
}

// A QR code's journey: the page starts pairing, the API answers the code
// and its PNG, the page shows both while pairing, and once the phone has
// scanned, the API and the page say connected with no QR code left.
func TestSettingsWhatsAppPairingFlow(t *testing.T) {
	const qr = "2@Zk3vQm9xT1dQ,bm9pc2Uta2V5LWJhc2U2NA==,aWRlbnRpdHkta2V5,YWR2LXNlY3JldA=="
	fake := newFakePairer(qr)
	e := newEnv(t, func(s *Server) { s.whatsapp = fake })
	c := e.owner()
	p := c.postForm("/settings/channels", url.Values{"type": {"whatsapp"}, "name": {"Shop phone"}})
	if p.status != http.StatusSeeOther || p.location != "/settings/channels/1" {
		t.Fatalf("create: %d %s", p.status, p.location)
	}
	c.get(p.location).mustContain(t, `data-state="unpaired" role="status">not linked</strong>`, `data-pairing-qr-box hidden>`)

	start := c.api("POST", "/channels/1/pairing", "{}", true)
	if start.status != http.StatusOK {
		t.Fatalf("start pairing: %d %s", start.status, start.body)
	}
	var view pairingView
	if err := json.Unmarshal([]byte(start.body), &view); err != nil {
		t.Fatal(err)
	}
	if view.State != whatsapp.StatePairing || view.QR == nil || *view.QR != qr || view.PairingCode != nil || view.QRPNG == nil {
		t.Fatalf("start pairing answered %s", start.body)
	}
	if got, _ := fake.asked(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("paired channels %v", got)
	}
	pngURL := *view.QRPNG
	mustDecodeQRPNG(t, pngURL)

	// The page's poll gets the same code and image while the phone has
	// not scanned yet, and so does a reload of the page.
	poll := c.api("GET", "/channels/1/pairing", "", false)
	var polled pairingView
	if err := json.Unmarshal([]byte(poll.body), &polled); err != nil || poll.status != http.StatusOK {
		t.Fatalf("poll: %d %s", poll.status, poll.body)
	}
	if polled.State != whatsapp.StatePairing || polled.QR == nil || *polled.QR != qr || polled.QRPNG == nil || *polled.QRPNG != pngURL {
		t.Fatalf("poll while pairing: %s", poll.body)
	}
	pairing := c.get("/settings/channels/1")
	pairing.mustContain(t, `data-state="pairing" role="status">waiting for the phone to scan or enter the code</strong>`,
		`<div class="qr" data-pairing-qr-box >`)
	// The browser reads the attribute unescaped (html/template writes + as &#43;).
	m := regexp.MustCompile(`<img data-pairing-qr src="([^"]*)" alt="QR code to scan with WhatsApp"`).FindStringSubmatch(pairing.body)
	if m == nil || html.UnescapeString(m[1]) != pngURL {
		t.Fatalf("the page's QR image is not the API's: %q", m)
	}

	fake.scanned(1)
	poll = c.api("GET", "/channels/1/pairing", "", false)
	if poll.status != http.StatusOK || poll.body != `{"state":"connected","qr":null,"qr_png":null,"pairing_code":null}` {
		t.Fatalf("poll once connected: %d %s", poll.status, poll.body)
	}
	page := c.get("/settings/channels/1")
	page.mustContain(t, `data-state="connected" role="status">connected</strong>`, `data-pairing-qr-box hidden>`, `<img data-pairing-qr  alt=`)
	if strings.Contains(page.body, "data:image/png") {
		t.Error("the connected page still shows a QR code")
	}
}

// Linking with a phone number answers the code to type, asks for the
// number's digits, and a WhatsApp that cannot be reached is a 502 that
// says so.
func TestSettingsWhatsAppPairingByPhoneAndFailure(t *testing.T) {
	fake := newFakePairer("2@ref,key,id,adv")
	e := newEnv(t, func(s *Server) { s.whatsapp = fake })
	c := e.owner()
	if p := c.postForm("/settings/channels", url.Values{"type": {"whatsapp"}, "name": {"Shop phone"}}); p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	c.get("/settings/channels/1")
	r := c.api("POST", "/channels/1/pairing", `{"phone": "+1 (415) 555-0111"}`, true)
	if r.status != http.StatusOK || r.body != `{"state":"pairing","qr":null,"qr_png":null,"pairing_code":"K7QD-2WXP"}` {
		t.Fatalf("pair by phone: %d %s", r.status, r.body)
	}
	if _, phones := fake.asked(); len(phones) != 1 || phones[0] != "14155550111" {
		t.Fatalf("asked to link %v", phones)
	}

	fake.fail(fmt.Errorf("%w: dial tcp: connection refused", whatsapp.ErrUnreachable))
	r = c.api("POST", "/channels/1/pairing", "{}", true)
	if r.status != http.StatusBadGateway || !strings.Contains(r.body, "WhatsApp could not be reached to pair") {
		t.Fatalf("unreachable: %d %s", r.status, r.body)
	}
}

// mustDecodeQRPNG checks a data URL holds the 256-pixel PNG the page shows.
func mustDecodeQRPNG(t *testing.T, dataURL string) {
	t.Helper()
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URL: %.40s", dataURL)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the QR code is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("QR image %v, want 256x256", b)
	}
}
