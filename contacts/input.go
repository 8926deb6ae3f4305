package contacts

import (
	"strings"
	"time"
)

// ContactInput is a create or partial update. A nil field is left alone; a
// non-nil empty string clears the field. Social ids create, replace or (when
// empty) remove the contact's identity on that channel.
type ContactInput struct {
	FirstName    *string            `json:"first_name"`
	LastName     *string            `json:"last_name"`
	Name         *string            `json:"name"` // split into first and last when those are absent
	Email        *string            `json:"email"`
	Phone        *string            `json:"phone"`
	Company      *string            `json:"company"`
	ExternalID   *string            `json:"external_id"`
	Channel      *string            `json:"channel"`
	DoNotContact *bool              `json:"do_not_contact"`
	Notes        *string            `json:"notes"`
	Context      *string            `json:"context"`
	Memories     *[]string          `json:"memories"`
	Tags         *[]string          `json:"tags"`
	Country      *string            `json:"country"`
	Region       *string            `json:"region"`
	City         *string            `json:"city"`
	Custom       map[string]*string `json:"custom"` // a null value deletes the key
	TelegramID   *string            `json:"telegram_id"`
	InstagramID  *string            `json:"instagram_id"`
	FacebookID   *string            `json:"facebook_id"`
	WhatsAppID   *string            `json:"whatsapp_id"`
	Identities   *[]IdentityInput   `json:"identities"`
	LearnedCtx   *map[string]any    `json:"learned_context"`
}

// IdentityInput adds or replaces the identity on one channel.
type IdentityInput struct {
	Channel    string `json:"channel"`
	ExternalID string `json:"external_id"`
	Handle     string `json:"handle"`
}

// SocialChannels maps the contact JSON's social id fields to channels.
var SocialChannels = map[string]Channel{
	"telegram_id":  ChannelTelegram,
	"instagram_id": ChannelInstagram,
	"facebook_id":  ChannelMessenger,
	"whatsapp_id":  ChannelWhatsApp,
}

// IdentityChannels are the channels an identity may live on.
var IdentityChannels = []Channel{
	ChannelWidget, ChannelLivechat, ChannelTelegram, ChannelMessenger, ChannelInstagram, ChannelWhatsApp,
}

func validIdentityChannel(c Channel) bool {
	for _, k := range IdentityChannels {
		if k == c {
			return true
		}
	}
	return false
}

// SplitName splits a full name into first and last at the last space
// ("Ana Maria Silva" gives "Ana Maria" and "Silva"); one word is a first name.
func SplitName(full string) (first, last string) {
	full = strings.Join(strings.Fields(full), " ")
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return full, ""
	}
	return full[:i], full[i+1:]
}

// Apply validates in and writes it onto c, recording src as the provenance of
// every field it sets. It collects every field problem before failing, so a
// form can show them all at once. region is the default phone region.
func (in *ContactInput) Apply(c *Contact, src Source, now time.Time, region string) error {
	v := &ValidationError{}
	setText := func(field string, p *string, dst *string, max int, multiline bool) {
		if p == nil {
			return
		}
		s, err := cleanText(field, *p, max, multiline)
		if err != nil {
			v.Add(field, err.(*ValidationError).Fields[field])
			return
		}
		if s != *dst {
			*dst = s
			c.SetSource(field, src, now)
		}
	}
	if in.Name != nil && in.FirstName == nil && in.LastName == nil {
		f, l := SplitName(*in.Name)
		in.FirstName, in.LastName = &f, &l
	}
	setText("first_name", in.FirstName, &c.FirstName, maxNameLen, false)
	setText("last_name", in.LastName, &c.LastName, maxNameLen, false)
	setText("company", in.Company, &c.Company, maxShortLen, false)
	setText("external_id", in.ExternalID, &c.ExternalID, maxShortLen, false)
	setText("notes", in.Notes, &c.Notes, maxTextLen, true)
	setText("context", in.Context, &c.Context, maxTextLen, true)
	setText("region", in.Region, &c.Region, maxShortLen, false)
	setText("city", in.City, &c.City, maxShortLen, false)

	if in.Email != nil {
		if e, err := NormalizeEmail(*in.Email); err != nil {
			v.Add("email", err.(*ValidationError).Fields["email"])
		} else if e != c.Email {
			c.Email = e
			c.SetSource("email", src, now)
		}
	}
	if in.Phone != nil {
		if p, err := NormalizePhone(*in.Phone, region); err != nil {
			v.Add("phone", err.(*ValidationError).Fields["phone"])
		} else if p != c.Phone {
			c.Phone = p
			c.SetSource("phone", src, now)
		}
	}
	if in.Country != nil {
		if s, err := normalizeCountry(*in.Country); err != nil {
			v.Add("country", err.(*ValidationError).Fields["country"])
		} else if s != c.Country {
			c.Country = s
			c.SetSource("country", src, now)
		}
	}
	if in.Channel != nil {
		ch := Channel(strings.TrimSpace(*in.Channel))
		if !ValidChannel(ch) {
			v.Add("channel", "must be one of widget, livechat, telegram, messenger, instagram, whatsapp, api, import, manual")
		} else {
			c.Channel = ch
		}
	}
	if in.DoNotContact != nil && *in.DoNotContact != c.DoNotContact {
		c.DoNotContact = *in.DoNotContact
		c.SetSource("do_not_contact", src, now)
	}
	if in.Tags != nil {
		if t, err := NormalizeTags(*in.Tags); err != nil {
			v.Add("tags", err.(*ValidationError).Fields["tags"])
		} else {
			c.Tags = t
		}
	}
	if in.Memories != nil {
		if m, err := normalizeMemories(*in.Memories); err != nil {
			v.Add("memories", err.(*ValidationError).Fields["memories"])
		} else {
			c.Memories = m
			c.SetSource("memories", src, now)
		}
	}
	if in.LearnedCtx != nil {
		c.LearnedContext = *in.LearnedCtx
		c.SetSource("learned_context", src, now)
	}
	in.applyCustom(c, v)
	in.applyIdentities(c, v, now)
	return v.Err()
}

func (in *ContactInput) applyCustom(c *Contact, v *ValidationError) {
	if in.Custom == nil {
		return
	}
	if c.Custom == nil {
		c.Custom = map[string]string{}
	}
	for k, val := range in.Custom {
		if !validCustomKey(k) {
			v.Add("custom", "keys are 1-64 letters, digits, '_', '.' or '-'")
			continue
		}
		if val == nil {
			delete(c.Custom, k)
			continue
		}
		s, err := cleanText("custom", *val, maxCustomValue, true)
		if err != nil {
			v.Add("custom", "value of "+k+" "+err.(*ValidationError).Fields["custom"])
			continue
		}
		c.Custom[k] = s
	}
	if len(c.Custom) > maxCustomKeys {
		v.Add("custom", "too many keys")
	}
}

func (in *ContactInput) applyIdentities(c *Contact, v *ValidationError, now time.Time) {
	type change struct {
		field string
		ch    Channel
		id    string
		hdl   string
	}
	var changes []change
	for field, p := range map[string]*string{
		"telegram_id": in.TelegramID, "instagram_id": in.InstagramID,
		"facebook_id": in.FacebookID, "whatsapp_id": in.WhatsAppID,
	} {
		if p != nil {
			changes = append(changes, change{field, SocialChannels[field], *p, ""})
		}
	}
	if in.Identities != nil {
		for _, ii := range *in.Identities {
			changes = append(changes, change{"identities", Channel(ii.Channel), ii.ExternalID, ii.Handle})
		}
	}
	for _, ch := range changes {
		if !validIdentityChannel(ch.ch) {
			v.Add(ch.field, "unknown channel "+string(ch.ch))
			continue
		}
		id, err := cleanText(ch.field, ch.id, maxShortLen, false)
		if err != nil {
			v.Add(ch.field, err.(*ValidationError).Fields[ch.field])
			continue
		}
		handle, err := cleanText(ch.field, ch.hdl, maxShortLen, false)
		if err != nil {
			v.Add(ch.field, err.(*ValidationError).Fields[ch.field])
			continue
		}
		if ch.ch == ChannelWhatsApp {
			id = strings.TrimPrefix(strings.ReplaceAll(id, " ", ""), "+")
		}
		c.SetIdentity(ch.ch, id, handle, now)
	}
}

// SetIdentity adds, replaces or (with an empty id) removes the identity on ch.
func (c *Contact) SetIdentity(ch Channel, externalID, handle string, now time.Time) {
	for i, id := range c.Identities {
		if id.Channel != ch {
			continue
		}
		if externalID == "" {
			c.Identities = append(c.Identities[:i], c.Identities[i+1:]...)
			return
		}
		if id.ExternalID != externalID {
			c.Identities[i] = Identity{Channel: ch, ExternalID: externalID, Handle: handle, CreatedAt: now}
		} else if handle != "" {
			c.Identities[i].Handle = handle
		}
		return
	}
	if externalID != "" {
		c.Identities = append(c.Identities, Identity{Channel: ch, ExternalID: externalID, Handle: handle, CreatedAt: now})
	}
}
