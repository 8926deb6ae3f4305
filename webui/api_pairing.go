package webui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/contacts"
)

// pairer links WhatsApp (whatsmeow) channels to phones and reports their
// state: what the pairing API and the channel page need of
// whatsapp.Manager, so tests can stand in for WhatsApp's servers.
type pairer interface {
	State(channelID int64) (state, qr string)
	Pair(ctx context.Context, ch *contacts.ChannelConfig, phone string) (string, error)
}

var _ pairer = (*whatsapp.Manager)(nil)

// unlinker is the optional part of a pairer that unlinks the device of a
// deleted channel (logs it out, deletes its keys).
type unlinker interface {
	Forget(ctx context.Context, ch *contacts.ChannelConfig) error
}

var _ unlinker = (*whatsapp.Manager)(nil)

// refusePairingKeys refuses a channel config that sets the device a
// WhatsApp channel runs: only pairing writes it (whatsapp.DeviceJIDKey).
// Refusing rather than dropping the key tells the client why nothing
// changed; a PATCH that leaves it out keeps the stored device.
func refusePairingKeys(in contacts.ChannelInput) error {
	if _, ok := in.Config[whatsapp.DeviceJIDKey]; ok {
		return contacts.Invalid("config."+whatsapp.DeviceJIDKey, "is set by pairing (POST /api/v1/channels/{id}/pairing), never written directly")
	}
	return nil
}

// unlinkWhatsApp unlinks the device of a WhatsApp channel that was just
// deleted. The channel is gone either way, so a failure is logged, not
// answered: its keys stay in the store, unused, as no channel names them.
func (s *Server) unlinkWhatsApp(ctx context.Context, ch *contacts.ChannelConfig) {
	u, ok := s.whatsapp.(unlinker)
	if ch.Type != whatsapp.Type || !ok {
		return
	}
	// The unlinking goes on if the client hangs up: the channel is gone.
	if err := u.Forget(context.WithoutCancel(ctx), ch); err != nil {
		s.log.Error("unlink the device of a deleted whatsapp channel", "channel_id", ch.ID, "error", err)
	}
}

// pairingView is a WhatsApp (whatsmeow) channel's link state, with the QR
// code to scan while pairing, as text and as a PNG data URL.
type pairingView struct {
	State       string  `json:"state"`
	QR          *string `json:"qr"`
	QRPNG       *string `json:"qr_png"`
	PairingCode *string `json:"pairing_code"`
}

func qrView(state, code string) pairingView {
	v := pairingView{State: state}
	if code != "" {
		v.QR = &code
		if png, err := qrcode.Encode(code, qrcode.Medium, 256); err == nil {
			url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
			v.QRPNG = &url
		}
	}
	return v
}

func (s *Server) whatsappChannel(c *fiber.Ctx) (*contacts.ChannelConfig, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ch, err := s.svc.Channel(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return nil, err
	}
	if ch.Type != whatsapp.Type {
		return nil, notFound("pairing is for whatsapp channels")
	}
	if s.whatsapp == nil {
		return nil, &requestError{fiber.StatusServiceUnavailable, "WhatsApp pairing is not running on this server"}
	}
	return ch, nil
}

// pairingState shows whether the channel is linked, and the QR to scan while pairing.
func (s *Server) pairingState(c *fiber.Ctx) error {
	ch, err := s.whatsappChannel(c)
	if err != nil {
		return err
	}
	return c.JSON(qrView(s.whatsapp.State(ch.ID)))
}

// startPairing links a phone: it answers the first QR code (or, with a
// phone number, a code to type in WhatsApp's "Link with phone number").
func (s *Server) startPairing(c *fiber.Ctx) error {
	if err := contacts.MayChangeSettings(who(c).Actor); err != nil {
		return err
	}
	ch, err := s.whatsappChannel(c)
	if err != nil {
		return err
	}
	var in struct {
		Phone string `json:"phone"`
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	if in.Phone != "" {
		p, err := contacts.NormalizePhone(in.Phone, s.svc.Region())
		if err != nil {
			return err
		}
		in.Phone = p[1:] // whatsmeow wants the digits
	}
	code, err := s.whatsapp.Pair(c.UserContext(), ch, in.Phone)
	if errors.Is(err, whatsapp.ErrUnreachable) {
		return &requestError{fiber.StatusBadGateway, "WhatsApp could not be reached to pair: " + err.Error()}
	}
	if err != nil {
		return err
	}
	if in.Phone != "" {
		return c.JSON(pairingView{State: whatsapp.StatePairing, PairingCode: &code})
	}
	return c.JSON(qrView(whatsapp.StatePairing, code))
}
