package webui

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/messenger"
	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/channels/whatsappcloud"
	"github.com/switchboard-oss/switchboard/contacts"
)

// metaHook is what differs between Meta's channels behind one webhook shape.
type metaHook struct {
	receipts func(body []byte) ([]whatsappcloud.Receipt, error) // nil: the channel sends none
	typ      string
	app      func(json.RawMessage) (*meta.AppConfig, error)
	inbound  func(body []byte, projectID, channelID int64) ([]contacts.Inbound, error)
}

var (
	messengerHook = metaHook{typ: string(contacts.ChannelMessenger),
		app: func(raw json.RawMessage) (*meta.AppConfig, error) {
			cfg, err := messenger.Parse(raw)
			if err != nil {
				return nil, err
			}
			return &cfg.AppConfig, nil
		},
		inbound: messenger.Inbound}
	whatsappCloudHook = metaHook{typ: whatsappcloud.Type,
		app: func(raw json.RawMessage) (*meta.AppConfig, error) {
			cfg, err := whatsappcloud.Parse(raw)
			if err != nil {
				return nil, err
			}
			return &cfg.AppConfig, nil
		},
		inbound: whatsappcloud.Inbound, receipts: whatsappcloud.Receipts}
)

// webhookChannel finds the channel a webhook URL names, of the given type.
func (s *Server) webhookChannel(c *fiber.Ctx, typ string) (*contacts.ChannelConfig, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ch, err := s.svc.ChannelByID(c.UserContext(), id)
	if errors.Is(err, contacts.ErrNotFound) || err == nil && ch.Type != typ {
		return nil, notFound("no " + typ + " channel has this id")
	}
	return ch, err
}

// metaVerify answers the subscription handshake with the raw challenge.
func (s *Server) metaVerify(h metaHook) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ch, err := s.webhookChannel(c, h.typ)
		if err != nil {
			return err
		}
		app, err := h.app(ch.Config)
		if err != nil {
			return err
		}
		challenge, ok := meta.Verify(c.Query("hub.mode"), c.Query("hub.verify_token"), c.Query("hub.challenge"), app.VerifyToken)
		if !ok {
			return &requestError{fiber.StatusForbidden, "verification failed: hub.mode must be subscribe and hub.verify_token the channel's verify token"}
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(challenge)
	}
}

// metaWebhook takes signed notifications. Meta retries unacknowledged ones,
// so the 200 comes only after every message in the body is committed, and a
// redelivered message changes nothing.
func (s *Server) metaWebhook(h metaHook) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ch, err := s.webhookChannel(c, h.typ)
		if err != nil {
			return err
		}
		app, err := h.app(ch.Config)
		if err != nil {
			return err
		}
		if err := meta.CheckSignature(c.Body(), c.Get(meta.SignatureHeader), app.AppSecret); err != nil {
			return contacts.ErrUnauthorized
		}
		ins, err := h.inbound(c.Body(), ch.ProjectID, ch.ID)
		if err != nil {
			return badRequest(err.Error())
		}
		names := &profileBudget{left: profileTime}
		for _, in := range ins {
			s.fetchProfile(c, ch, &in, names)
			if _, err := s.router.Receive(c.UserContext(), in); err != nil {
				return err
			}
		}
		if h.receipts != nil {
			rs, err := h.receipts(c.Body())
			if err != nil {
				return badRequest(err.Error())
			}
			for _, r := range rs {
				if err := s.svc.DeliveryReceipt(c.UserContext(), ch.ProjectID, r.PeerID, r.Status); err != nil {
					return err
				}
			}
		}
		return c.SendString("EVENT_RECEIVED")
	}
}

// profileTime is all the time one webhook request may spend asking the
// provider for new senders' names. Meta waits only briefly for the 200 and
// retries or disables a slow webhook; a name is not worth that.
const profileTime = 2 * time.Second

// profileBudget is what is left of profileTime for one request's lookups.
type profileBudget struct{ left time.Duration }

// fetchProfile fills a new sender's name from the provider, when the
// channel kind can look it up and the request's budget is not spent. A
// failure or timeout leaves the sender unnamed; the message is stored
// either way.
func (s *Server) fetchProfile(c *fiber.Ctx, ch *contacts.ChannelConfig, in *contacts.Inbound, budget *profileBudget) {
	pf, ok := s.kinds[ch.Type].(channels.ProfileFetcher)
	if !ok || in.Hints.FirstName != "" || budget.left <= 0 {
		return
	}
	if id, err := s.svc.ContactByIdentity(c.UserContext(), ch.ProjectID, in.Channel, in.ExternalID); err != nil || id != 0 {
		return
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), budget.left)
	defer cancel()
	start := time.Now()
	h, err := pf.Profile(ctx, ch, in.Channel, in.ExternalID)
	budget.left -= time.Since(start)
	if err != nil {
		s.log.Info("no profile for a new sender", "channel_id", ch.ID, "error", err)
		return
	}
	in.Hints.FirstName, in.Hints.LastName = h.FirstName, h.LastName
}
