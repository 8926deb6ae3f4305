package webui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

type channelRow struct {
	ID        int64
	Name      string
	Type      string
	TypeLabel string
	CreatedAt time.Time
}

type channelsData struct {
	settingsPage
	Channels []channelRow
	Types    []channelType
}

func (s *Server) settingsChannels(c *fiber.Ctx) error {
	list, err := s.svc.ListChannels(c.UserContext(), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	d := channelsData{settingsPage: newSettingsPage(c, "/settings/channels"), Types: s.offeredTypes()}
	for _, ch := range list {
		label := ch.Type
		if t, ok := s.channelTypeOf(ch.Type); ok {
			label = t.Label
		}
		d.Channels = append(d.Channels, channelRow{ID: ch.ID, Name: ch.Name, Type: ch.Type, TypeLabel: label, CreatedAt: ch.CreatedAt})
	}
	return s.page(c, "settings_channels", "Channels", "settings", d)
}

// channelData is a channel's settings page, or the form for a new one.
// It never holds the channel's raw config: only the redacted one reaches
// the fields, so no secret can be rendered.
type channelData struct {
	settingsPage
	New       bool
	Type      channelType
	ID        int64
	Name      string
	PublicKey string
	CreatedAt time.Time
	UpdatedAt time.Time
	Fields    []fieldView
	// Retype: the form came back with errors and the secrets typed into it
	// were not echoed; they must be typed again.
	Retype bool

	WebhookURL   string
	PublicURLSet bool
	Base         string // where this server is reached, for the embed code
	Snippet      string
	ChatURL      string
	PreviewURL   string
	Pairing      *pairingData
}

// pairingData is a WhatsApp channel's link state as first rendered; the
// page's script keeps it current.
type pairingData struct {
	Available bool
	State     string
	QR        pairingQR
	DeviceJID string
}

func (s *Server) settingsChannelNew(c *fiber.Ctx) error {
	t, ok := s.channelTypeOf(c.Query("type"))
	if !ok {
		return c.Redirect("/settings/channels#add", fiber.StatusSeeOther)
	}
	d := channelData{settingsPage: newSettingsPage(c, "/settings/channels"), New: true, Type: t, Name: t.Label, PublicURLSet: s.publicURL != ""}
	d.Fields = fieldViews(t, nil, nil, nil)
	return s.page(c, "settings_channel", "New "+t.Label+" channel", "settings", d)
}

func (s *Server) settingsChannelCreate(c *fiber.Ctx) error {
	t, ok := s.channelTypeOf(c.FormValue("type"))
	if !ok {
		return badRequest("unknown channel type")
	}
	in, typed, secrets := channelFormInput(c, t)
	in.Type = &t.Type
	if t.Type == string(contacts.ChannelTelegram) && s.publicURL != "" && in.Config["secret_token"] == nil && string(in.Config["mode"]) != `"polling"` {
		// Switchboard registers the webhook itself, so nobody needs to
		// know this value.
		a, err := contacts.RandomPassword()
		if err != nil {
			return err
		}
		b, err := contacts.RandomPassword()
		if err != nil {
			return err
		}
		in.Config["secret_token"], _ = json.Marshal(a + b)
	}
	sess := uiSession(c)
	ch, err := s.addChannel(c, uiActor(c), sess.ProjectID, in)
	if err != nil {
		d := channelData{settingsPage: newSettingsPage(c, "/settings/channels"), New: true, Type: t, Name: *in.Name, Retype: secrets,
			PublicURLSet: s.publicURL != ""}
		if ferr := d.channelFormError(err); ferr != nil {
			return ferr
		}
		d.Fields = fieldViews(t, nil, typed, d.Errors)
		return s.page(c, "settings_channel", "New "+t.Label+" channel", "settings", d)
	}
	return s.settingsDone(c, fmt.Sprintf("Channel %q created.", ch.Name), fmt.Sprintf("/settings/channels/%d", ch.ID))
}

func (s *Server) settingsChannel(c *fiber.Ctx) error {
	d, err := s.channelPage(c)
	if err != nil {
		return err
	}
	return s.page(c, "settings_channel", d.Name, "settings", d)
}

// channelPage loads the channel the path names into its page.
func (s *Server) channelPage(c *fiber.Ctx) (*channelData, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ch, err := s.svc.Channel(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return nil, err
	}
	t, ok := s.channelTypeOf(ch.Type)
	if !ok {
		t = channelType{Type: ch.Type, Label: ch.Type}
	}
	redacted := json.RawMessage(`{}`)
	if k, ok := s.kinds[ch.Type]; ok {
		redacted = k.Redact(ch.Config)
	}
	d := &channelData{settingsPage: newSettingsPage(c, "/settings/channels"), Type: t, ID: ch.ID, Name: ch.Name,
		PublicKey: ch.PublicKey, CreatedAt: ch.CreatedAt, UpdatedAt: ch.UpdatedAt, PublicURLSet: s.publicURL != "", Base: s.baseURL(c)}
	d.Fields = fieldViews(t, redacted, nil, nil)
	if t.Webhook {
		d.WebhookURL = d.Base + fmt.Sprintf("/channels/%s/%d/webhook", ch.Type, ch.ID)
	}
	if t.Embed && ch.PublicKey != "" {
		d.ChatURL = d.Base + "/chat/" + ch.PublicKey
		if ch.Type == string(contacts.ChannelLivechat) {
			d.Snippet = fmt.Sprintf(`<a href="%s" target="_blank" rel="noopener">Chat with us</a>`, d.ChatURL)
			d.PreviewURL = "/chat/" + ch.PublicKey
		} else {
			d.Snippet = fmt.Sprintf(`<script src="%s/widget.js" data-key="%s" async></script>`, d.Base, ch.PublicKey)
			d.PreviewURL = fmt.Sprintf("/settings/channels/%d/preview", ch.ID)
		}
	}
	if t.Pairing {
		d.Pairing = &pairingData{}
		var cfg map[string]any
		_ = json.Unmarshal(redacted, &cfg)
		d.Pairing.DeviceJID, _ = cfg["device_jid"].(string)
		if s.whatsapp != nil {
			d.Pairing.Available = true
			state, qr := s.whatsapp.State(ch.ID)
			d.Pairing.State, d.Pairing.QR = state, newPairingQR(qr)
		}
	}
	return d, nil
}

// baseURL is where browsers and providers reach this server: the
// configured public URL, else the address this request came to.
func (s *Server) baseURL(c *fiber.Ctx) string {
	if s.publicURL != "" {
		return strings.TrimRight(s.publicURL, "/")
	}
	return c.BaseURL()
}

func (s *Server) settingsChannelUpdate(c *fiber.Ctx) error {
	d, err := s.channelPage(c)
	if err != nil {
		return err
	}
	in, typed, secrets := channelFormInput(c, d.Type)
	ch, err := s.svc.UpdateChannelBy(c.UserContext(), uiActor(c), uiSession(c).ProjectID, d.ID, s.kinds, in)
	if err != nil {
		if ferr := d.channelFormError(err); ferr != nil {
			return ferr
		}
		d.Name, d.Retype = *in.Name, secrets
		d.Fields = fieldViews(d.Type, nil, typed, d.Errors)
		// Secrets show as they are stored, whatever was typed.
		saved, _ := s.channelPage(c)
		for i := range d.Fields {
			d.Fields[i].Set = saved.Fields[i].Set
		}
		return s.page(c, "settings_channel", d.Name, "settings", d)
	}
	msg := "Channel settings saved."
	// A new token or secret must reach the provider too (Telegram's
	// setWebhook); the settings are saved either way.
	if len(in.Config) > 0 {
		if err := s.activate(c, ch); err != nil {
			msg = "Settings saved, but registering the webhook failed: " + err.Error()
		}
	}
	return s.settingsDone(c, msg, fmt.Sprintf("/settings/channels/%d", ch.ID))
}

func (s *Server) settingsChannelDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sess := uiSession(c)
	ch, err := s.svc.Channel(c.UserContext(), sess.ProjectID, id)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteChannelBy(c.UserContext(), uiActor(c), sess.ProjectID, id, s.kinds); err != nil {
		return err
	}
	s.unlinkWhatsApp(c.UserContext(), ch)
	return s.settingsDone(c, fmt.Sprintf("Channel %q deleted. Its contacts and conversations stay.", ch.Name), "/settings/channels")
}
