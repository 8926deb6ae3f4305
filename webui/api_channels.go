package webui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/whatsappcloud"
	"github.com/switchboard-oss/switchboard/contacts"
)

// channelView is a channel as the API shows it: secrets never included.
type channelView struct {
	ID        int64           `json:"id"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Config    json.RawMessage `json:"config"`
	PublicKey *string         `json:"public_key"`
	// WebhookURL is what to enter in the provider's console (Telegram's
	// setWebhook is done for you with --public-url); a path alone when the
	// server does not know its public address.
	WebhookURL *string    `json:"webhook_url"`
	CreatedAt  *time.Time `json:"created_at"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

func (s *Server) channelJSON(c *contacts.ChannelConfig) channelView {
	cfg := json.RawMessage("{}")
	if k, ok := s.kinds[c.Type]; ok {
		cfg = k.Redact(c.Config)
	}
	v := channelView{ID: c.ID, Type: c.Type, Name: c.Name, Config: cfg, PublicKey: nullable(c.PublicKey),
		CreatedAt: timeJSON(c.CreatedAt), UpdatedAt: timeJSON(c.UpdatedAt)}
	switch c.Type {
	case string(contacts.ChannelTelegram), string(contacts.ChannelMessenger), whatsappcloud.Type:
		url := strings.TrimRight(s.publicURL, "/") + fmt.Sprintf("/channels/%s/%d/webhook", c.Type, c.ID)
		v.WebhookURL = &url
	}
	return v
}

func (s *Server) listChannels(c *fiber.Ctx) error {
	cs, err := s.svc.ListChannels(c.UserContext(), who(c).ProjectID)
	if err != nil {
		return err
	}
	out := make([]channelView, len(cs))
	for i := range cs {
		out[i] = s.channelJSON(&cs[i])
	}
	return c.JSON(fiber.Map{"channels": out})
}

func (s *Server) createChannel(c *fiber.Ctx) error {
	var in contacts.ChannelInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p := who(c)
	ch, err := s.addChannel(c, p.Actor, p.ProjectID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.channelJSON(ch))
}

// addChannel creates a channel as actor and registers its webhook with the
// provider; a channel the provider will not deliver to is not kept. The API
// and the settings pages both create channels through it.
func (s *Server) addChannel(c *fiber.Ctx, actor contacts.Actor, projectID int64, in contacts.ChannelInput) (*contacts.ChannelConfig, error) {
	if err := refusePairingKeys(in); err != nil {
		return nil, err
	}
	ch, err := s.svc.CreateChannelBy(c.UserContext(), actor, projectID, s.kinds, in)
	if err != nil {
		return nil, err
	}
	if err := s.activate(c, ch); err != nil {
		if derr := s.svc.DeleteChannelBy(c.UserContext(), actor, projectID, ch.ID, s.kinds); derr != nil {
			s.log.Warn("remove a channel whose activation failed", "channel_id", ch.ID, "error", derr)
		}
		return nil, err
	}
	return ch, nil
}

func (s *Server) getChannel(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ch, err := s.svc.Channel(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(s.channelJSON(ch))
}

func (s *Server) updateChannel(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in contacts.ChannelInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := refusePairingKeys(in); err != nil {
		return err
	}
	p := who(c)
	old, err := s.svc.Channel(c.UserContext(), p.ProjectID, id)
	if err != nil {
		return err
	}
	ch, err := s.svc.UpdateChannelBy(c.UserContext(), p.Actor, p.ProjectID, id, s.kinds, in)
	if err != nil {
		return err
	}
	// New settings (a Telegram token, secret or mode) must reach the
	// provider too, or it keeps calling with the old secret and every
	// webhook is refused. As on create, settings the provider will not
	// take are not kept: the old ones, which it still uses, come back.
	if string(ch.Config) != string(old.Config) {
		if err := s.activate(c, ch); err != nil {
			if _, rerr := s.svc.UpdateChannelBy(c.UserContext(), p.Actor, p.ProjectID, id, s.kinds, revertInput(old, ch)); rerr != nil {
				s.log.Error("restore a channel's settings after its activation failed", "channel_id", id, "error", rerr)
			}
			return err
		}
	}
	return c.JSON(s.channelJSON(ch))
}

// revertInput is the update that turns channel now back into old: its
// name, and its config key by key (keys old lacked are removed).
func revertInput(old, now *contacts.ChannelConfig) contacts.ChannelInput {
	cfg := map[string]json.RawMessage{}
	_ = json.Unmarshal(now.Config, &cfg) // stored configs are JSON objects
	for k := range cfg {
		cfg[k] = json.RawMessage("null")
	}
	var was map[string]json.RawMessage
	_ = json.Unmarshal(old.Config, &was)
	for k, v := range was {
		cfg[k] = v
	}
	return contacts.ChannelInput{Name: &old.Name, Config: cfg}
}

func (s *Server) deleteChannel(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	ch, err := s.svc.Channel(c.UserContext(), p.ProjectID, id)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteChannelBy(c.UserContext(), p.Actor, p.ProjectID, id, s.kinds); err != nil {
		return err
	}
	s.unlinkWhatsApp(c.UserContext(), ch)
	return c.SendStatus(fiber.StatusNoContent)
}

// activate registers the channel's webhook with its provider when the kind
// can and a public URL is configured.
func (s *Server) activate(c *fiber.Ctx, ch *contacts.ChannelConfig) error {
	a, ok := s.kinds[ch.Type].(channels.Activator)
	if !ok || s.publicURL == "" {
		return nil
	}
	if err := a.Activate(c.UserContext(), ch, s.publicURL); err != nil {
		var ve *contacts.ValidationError
		if errors.As(err, &ve) {
			return err
		}
		return &requestError{fiber.StatusBadGateway, err.Error()}
	}
	return nil
}
