package contacts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Inbound is one message from a customer on a channel, as the gateway hands
// it to the contact engine.
type Inbound struct {
	ProjectID int64
	// ChannelID is the configured channel (which bot, which widget) the
	// message came through; replies leave through it. Zero when unknown.
	ChannelID int64
	// Channel is where the sender's identity lives (whatsapp for both
	// WhatsApp adapters).
	Channel    Channel
	ExternalID string // the sender's id on the channel
	Handle     string // a username or display handle, if any
	// Hints are what the channel says about the sender. They fill empty
	// fields only, and never merge contacts.
	Hints Hints
	// VerifiedPhone is a phone the channel itself vouches for as the
	// sender's (a WhatsApp number, a Telegram contact shared as one's own).
	// It links the identity to an existing contact holding that phone.
	VerifiedPhone string
	// VerifiedExternalID is the sender's id in the business's own systems,
	// vouched for by the channel (a widget visitor whose identifier_hash,
	// HMAC-SHA256 of the identifier under the channel's identity secret,
	// checked out: a site's logged-in user). It links the identity to the
	// contact with that external_id, and sets it on a new contact.
	VerifiedExternalID string
	ChannelMessageID   string
	Text               string
	Attachments        json.RawMessage
	At                 time.Time
	// Edit marks the message as a new version of the stored message with
	// the same channel message id: its text is replaced (the first version
	// kept), and nothing else happens.
	Edit bool
	// Attributes are facts the channel observed (a widget visitor's last
	// IP, browser and page), kept in the contact's custom attributes.
	Attributes map[string]string
}

// Hints are unverified profile values a channel reports.
type Hints struct {
	FirstName, LastName, Email, Phone, Country, Region, City string
}

// InboundResult says what recording an inbound message did.
type InboundResult struct {
	Contact      *Contact
	Conversation *Conversation
	Message      *Message
	// Duplicate: the message was stored before (a redelivery); nothing changed.
	Duplicate bool
	// Edited: an edit was applied to the stored message.
	Edited     bool
	NewContact bool
	// Linked: a value the channel verified belonged to another contact, and
	// the sender's contact was merged into it; Contact is that contact.
	Linked bool
	// OptedOut / OptedIn: the message changed the contact's do_not_contact.
	OptedOut, OptedIn bool
	// Claims are hinted values that belong to another contact: recorded for
	// staff as duplicate suggestions, never applied.
	Claims []Claim
}

// Claim is a value claimed for a contact that another contact holds.
type Claim struct {
	Field   string
	Value   string
	OtherID int64
	// Verified: the channel vouches for the value (VerifiedPhone,
	// VerifiedExternalID), so the two contacts are one person.
	Verified bool
}

// DefaultConversationIdle closes a conversation after this much silence.
const DefaultConversationIdle = 30 * time.Minute

// TagOptOut marks contacts who opted out by keyword.
const TagOptOut = "opt-out"

var (
	optOutWords = map[string]bool{"stop": true, "stopall": true, "unsubscribe": true, "cancel": true, "end": true, "quit": true}
	optInWords  = map[string]bool{"start": true, "unstop": true}
)

// OptKeyword reports whether text is exactly an opt-out or opt-in keyword,
// ignoring case, surrounding spaces and punctuation ("Stop!" counts, "stop
// sending me offers" does not).
func OptKeyword(text string) (optOut, optIn bool) {
	w := strings.ToLower(strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }))
	return optOutWords[w], optInWords[w]
}

const maxMessageLen = 20000

// validate checks an inbound message and normalises its hints, dropping a
// hint that does not validate (a channel's hint is never worth losing the
// message over).
func (in *Inbound) validate(region string) error {
	v := &ValidationError{}
	if !validIdentityChannel(in.Channel) {
		v.Add("channel", fmt.Sprintf("unknown channel %q", in.Channel))
	}
	if strings.TrimSpace(in.ExternalID) == "" || len(in.ExternalID) > maxShortLen {
		v.Add("external_id", "the sender's channel id is required")
	}
	if len(in.VerifiedExternalID) > maxShortLen {
		v.Add("identifier", "is too long")
	}
	if strings.TrimSpace(in.ChannelMessageID) == "" || len(in.ChannelMessageID) > maxShortLen {
		v.Add("channel_message_id", "the channel's message id is required")
	}
	if len([]rune(in.Text)) > maxMessageLen {
		v.Add("text", "is too long")
	}
	if len(in.Attachments) > 0 && !json.Valid(in.Attachments) {
		v.Add("attachments", "must be JSON")
	}
	for k, val := range in.Attributes {
		if !validCustomKey(k) || len(val) > maxCustomValue {
			v.Add("attributes", "keys are 1-64 letters, digits, '_', '.' or '-'; values at most 2000 characters")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	in.ExternalID, in.Handle = strings.TrimSpace(in.ExternalID), strings.TrimSpace(in.Handle)
	h := &in.Hints
	h.Email, _ = NormalizeEmail(h.Email)
	h.Phone, _ = NormalizePhone(h.Phone, region)
	in.VerifiedPhone = normalizeVerifiedPhone(in.VerifiedPhone, region)
	in.VerifiedExternalID = strings.TrimSpace(in.VerifiedExternalID)
	for _, f := range []*string{&h.FirstName, &h.LastName, &h.Country, &h.Region, &h.City} {
		if s, err := cleanText("hint", *f, maxNameLen, false); err == nil {
			*f = s
		} else {
			*f = ""
		}
	}
	return nil
}

// applyTo updates the contact for a message: hints fill empty fields
// (provenance channel), activity times and counts move, opt-out keywords
// apply. owner returns the other contact holding a unique value, or 0.
func (in *Inbound) applyTo(c *Contact, res *InboundResult, newConversation bool, owner func(field, value string) int64) {
	if newConversation {
		c.ConversationCount++
	}
	claimOrFill := func(field string, dst *string, v string, verified bool) {
		if v == "" || *dst != "" {
			return
		}
		if field == "email" || field == "phone" || field == "external_id" {
			if other := owner(field, v); other != 0 {
				// A claim never steals the value. An unverified one is left
				// to staff; a verified one makes the service fold this
				// contact into the holder (see linkVerified).
				res.Claims = append(res.Claims, Claim{Field: field, Value: v, OtherID: other, Verified: verified})
				return
			}
		}
		*dst = v
		c.SetSource(field, SourceChannel, in.At)
	}
	fill := func(field string, dst *string, v string) { claimOrFill(field, dst, v, false) }
	h := in.Hints
	fill("first_name", &c.FirstName, h.FirstName)
	fill("last_name", &c.LastName, h.LastName)
	fill("email", &c.Email, h.Email)
	fill("phone", &c.Phone, h.Phone)
	claimOrFill("phone", &c.Phone, in.VerifiedPhone, true)
	claimOrFill("external_id", &c.ExternalID, in.VerifiedExternalID, true)
	fill("country", &c.Country, h.Country)
	fill("region", &c.Region, h.Region)
	fill("city", &c.City, h.City)
	for k, v := range in.Attributes {
		if v == "" || c.Custom[k] == v {
			continue
		}
		if c.Custom == nil {
			c.Custom = map[string]string{}
		}
		c.Custom[k] = v
	}
	// A contact found by a verified value may hold another identity on the
	// channel (the same site user in another browser): the newest wins.
	if id, ok := c.Identity(in.Channel); !ok || in.Handle != "" || id.ExternalID != in.ExternalID {
		c.SetIdentity(in.Channel, in.ExternalID, in.Handle, in.At)
	}
	c.LastSeenAt = later(c.LastSeenAt, in.At)
	c.LastInboundAt = later(c.LastInboundAt, in.At)
	c.UpdatedAt = in.At
	switch out, optIn := OptKeyword(in.Text); {
	case out && !c.DoNotContact:
		c.DoNotContact, res.OptedOut = true, true
		c.Tags = unionStrings(c.Tags, []string{TagOptOut})
		c.SetSource("do_not_contact", SourceChannel, in.At)
	case optIn && c.DoNotContact:
		c.DoNotContact, res.OptedIn = false, true
		kept := c.Tags[:0]
		for _, t := range c.Tags {
			if t != TagOptOut {
				kept = append(kept, t)
			}
		}
		c.Tags = kept
		c.SetSource("do_not_contact", SourceChannel, in.At)
	}
	c.ApplyLead(in.At)
}
