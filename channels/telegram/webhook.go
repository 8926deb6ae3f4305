package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/switchboard-oss/switchboard/contacts"
)

// SecretHeader carries the webhook's secret token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// ErrBadSecret: a webhook call without the channel's secret token.
var ErrBadSecret = errors.New("missing or wrong " + SecretHeader)

// CheckSecret compares the header with the configured secret in constant time.
func (c *Config) CheckSecret(header string) error {
	if c.SecretToken == "" || subtle.ConstantTimeCompare([]byte(header), []byte(c.SecretToken)) != 1 {
		return ErrBadSecret
	}
	return nil
}

// MessageID is how the gateway knows a Telegram message: the bot's channel,
// the chat and the message id. Message ids count per bot and chat, and a
// user's private chat has the same id with every bot, so two bots of one
// project see the same chat:message pair for different messages; without
// the channel the second would be dropped as a redelivery of the first.
// An edit carries the id of the message it changes, so it finds it.
func MessageID(channelID, chatID int64, messageID int) string {
	return fmt.Sprintf("%d/%d:%d", channelID, chatID, messageID)
}

// Inbound turns an update into the gateway's input; an edited message comes
// back with Edit set. ok is false for updates the gateway does not handle
// (groups, channels, bots, service messages); they are acknowledged and
// dropped.
func Inbound(body []byte, projectID, channelID int64) (in contacts.Inbound, ok bool, err error) {
	var u tgbotapi.Update
	if err := json.Unmarshal(body, &u); err != nil {
		return in, false, contacts.Invalid("update", "is not a Telegram update: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	m, edit := u.Message, false
	if m == nil && u.EditedMessage != nil {
		m, edit = u.EditedMessage, true
	}
	if m == nil || m.From == nil || m.Chat == nil || m.Chat.Type != "private" || m.From.IsBot {
		return in, false, nil
	}
	in = contacts.Inbound{ProjectID: projectID, ChannelID: channelID, Channel: contacts.ChannelTelegram,
		ExternalID: strconv.FormatInt(m.Chat.ID, 10), Text: m.Text,
		Hints:            contacts.Hints{FirstName: m.From.FirstName, LastName: m.From.LastName},
		ChannelMessageID: MessageID(channelID, m.Chat.ID, m.MessageID), At: time.Unix(int64(m.Date), 0).UTC(), Edit: edit}
	if edit && m.EditDate > 0 {
		in.At = time.Unix(int64(m.EditDate), 0).UTC()
	}
	if m.From.UserName != "" {
		in.Handle = "@" + m.From.UserName
	}
	if m.Contact != nil {
		phone := strings.TrimSpace(m.Contact.PhoneNumber)
		if phone != "" && !strings.HasPrefix(phone, "+") {
			phone = "+" + phone // Telegram may leave the + off
		}
		if m.Contact.UserID == m.From.ID {
			in.VerifiedPhone = phone // the sender shared their own number
		} else {
			in.Hints.Phone = "" // someone else's card is not the sender's phone
		}
		if in.Text == "" {
			in.Text = "[shared a contact]"
		}
	}
	if in.Text == "" {
		in.Text = "[" + attachmentKind(m) + "]"
	}
	if in.At.Unix() <= 0 {
		in.At = time.Time{}
	}
	return in, true, nil
}

func attachmentKind(m *tgbotapi.Message) string {
	switch {
	case m.Photo != nil:
		return "photo"
	case m.Voice != nil:
		return "voice message"
	case m.Document != nil:
		return "document"
	case m.Sticker != nil:
		return "sticker"
	case m.Location != nil:
		return "location"
	}
	return "message"
}
