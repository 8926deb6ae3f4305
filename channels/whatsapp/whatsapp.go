// Package whatsapp is WhatsApp through whatsmeow (a linked device, no
// Business API account): the translation of whatsmeow's message events into
// contacts.Inbound and replies through a connected client. Pairing, the
// device store and the live connection are exercised by hand (README); the
// code here is tested by feeding whatsmeow's event types.
//
// whatsmeow is an unofficial client and its accounts can be banned; the
// official Cloud API (channels/whatsappcloud) sits beside it.
package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// LIDResolver finds the phone number behind a LID (whatsmeow's
// Store.LIDs). More and more senders arrive as LIDs only.
type LIDResolver interface {
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// Inbound turns a message event into the gateway's input. ok is false for
// what the gateway does not handle: our own messages, groups, broadcasts,
// status updates and edits.
func Inbound(ctx context.Context, ev *events.Message, lids LIDResolver, projectID, channelID int64) (contacts.Inbound, bool) {
	info := ev.Info
	if info.IsFromMe || info.IsGroup || info.Chat.Server == types.BroadcastServer || info.Chat.Server == types.NewsletterServer || ev.IsEdit || ev.Message == nil {
		return contacts.Inbound{}, false
	}
	sender := info.Sender.ToNonAD()
	phone := ""
	switch {
	case sender.Server == types.DefaultUserServer:
		phone = sender.User
	case sender.Server == types.HiddenUserServer && info.SenderAlt.Server == types.DefaultUserServer:
		phone = info.SenderAlt.User
	case sender.Server == types.HiddenUserServer && lids != nil:
		if pn, err := lids.GetPNForLID(ctx, sender); err == nil && pn.Server == types.DefaultUserServer {
			phone = pn.User
		}
	}
	in := contacts.Inbound{ProjectID: projectID, ChannelID: channelID, Channel: contacts.ChannelWhatsApp,
		ChannelMessageID: string(info.ID), At: info.Timestamp.UTC(), Text: text(ev.Message)}
	if phone != "" {
		// The number WhatsApp routes by is one it verified.
		in.ExternalID, in.VerifiedPhone = phone, "+"+phone
	} else {
		in.ExternalID = sender.User + "@" + types.HiddenUserServer // a LID-only identity
	}
	in.Hints.FirstName, in.Hints.LastName = contacts.SplitName(info.PushName)
	return in, true
}

func text(m *waE2E.Message) string {
	switch {
	case m.GetConversation() != "":
		return m.GetConversation()
	case m.GetExtendedTextMessage().GetText() != "":
		return m.GetExtendedTextMessage().GetText()
	case m.GetImageMessage() != nil:
		return captioned("image", m.GetImageMessage().GetCaption())
	case m.GetVideoMessage() != nil:
		return captioned("video", m.GetVideoMessage().GetCaption())
	case m.GetDocumentMessage() != nil:
		return captioned("document", m.GetDocumentMessage().GetCaption())
	case m.GetAudioMessage() != nil:
		return "[voice message]"
	case m.GetLocationMessage() != nil:
		return "[location]"
	case m.GetContactMessage() != nil:
		return "[contact card]"
	}
	return "[message]"
}

func captioned(kind, caption string) string {
	if caption == "" {
		return "[" + kind + "]"
	}
	return "[" + kind + "] " + caption
}

// Client is the part of *whatsmeow.Client the sender needs.
type Client interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
}

var _ Client = (*whatsmeow.Client)(nil)

// Sender replies through each channel's connected client.
type Sender struct {
	client func(channelID int64) (Client, error)
}

var _ channels.Sender = (*Sender)(nil)

// NewSender builds a sender; client returns a channel's connected client.
func NewSender(client func(channelID int64) (Client, error)) *Sender { return &Sender{client: client} }

// ErrNotPaired: the channel has no linked device yet (or was logged out).
var ErrNotPaired = errors.New("whatsapp channel is not paired")

// Send delivers a text message to the identity (a phone's digits or a LID).
func (s *Sender) Send(ctx context.Context, m channels.Outbound) (string, error) {
	cli, err := s.client(m.ChannelID)
	if err != nil {
		return "", err
	}
	to := types.NewJID(m.To, types.DefaultUserServer)
	if user, server, ok := strings.Cut(m.To, "@"); ok {
		to = types.NewJID(user, server)
	}
	resp, err := cli.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(m.Text)})
	if errors.Is(err, whatsmeow.ErrNotConnected) {
		return "", &channels.RetryableError{Err: fmt.Errorf("whatsapp: %w", err)} // reconnecting
	}
	if err != nil {
		return "", fmt.Errorf("whatsapp send: %w", err)
	}
	return string(resp.ID), nil
}
