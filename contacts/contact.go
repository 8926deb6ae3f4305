package contacts

import (
	"slices"
	"strings"
	"time"
)

// Channel names where a contact came from or can be reached.
type Channel string

const (
	ChannelWidget        Channel = "widget"
	ChannelLivechat      Channel = "livechat"
	ChannelTelegram      Channel = "telegram"
	ChannelMessenger     Channel = "messenger"
	ChannelInstagram     Channel = "instagram"
	ChannelWhatsApp      Channel = "whatsapp"
	ChannelWhatsAppCloud Channel = "whatsapp-cloud"
	ChannelAPI           Channel = "api"
	ChannelImport        Channel = "import"
	ChannelManual        Channel = "manual"
)

// SourceChannels are the values a contact's source channel may take.
var SourceChannels = []Channel{
	ChannelWidget, ChannelLivechat, ChannelTelegram, ChannelMessenger, ChannelInstagram,
	ChannelWhatsApp, ChannelAPI, ChannelImport, ChannelManual,
}

// ValidChannel reports whether c is a known source channel.
func ValidChannel(c Channel) bool {
	for _, k := range SourceChannels {
		if k == c {
			return true
		}
	}
	return false
}

// Source is the provenance of a profile value. Its order matters: values of a
// more trusted source are never overwritten by a less trusted one.
type Source string

const (
	SourceStaff   Source = "staff"
	SourceAPI     Source = "api"
	SourceImport  Source = "import"
	SourceChannel Source = "channel"
	SourceAI      Source = "ai"
)

// Trust ranks sources: staff, api and import are typed by people and rank
// above what a channel reports, which ranks above what an AI inferred.
func (s Source) Trust() int {
	switch s {
	case SourceStaff, SourceAPI, SourceImport:
		return 3
	case SourceChannel:
		return 2
	case SourceAI:
		return 1
	}
	return 0
}

// FieldSource records where a profile field's current value came from.
type FieldSource struct {
	Source Source    `json:"source"`
	At     time.Time `json:"at"`
}

// Identity links a contact to one channel account (a Telegram user id, a
// WhatsApp number, a widget visitor...). Unique per project and channel.
type Identity struct {
	ID         int64     `json:"id"`
	ContactID  int64     `json:"contact_id"`
	Channel    Channel   `json:"channel"`
	ExternalID string    `json:"external_id"`
	Handle     string    `json:"handle,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Conflict keeps a value that lost a merge, so nothing is silently dropped.
type Conflict struct {
	Field         string    `json:"field"`
	Value         string    `json:"value"`
	FromContactID int64     `json:"from_contact_id"`
	At            time.Time `json:"at"`
}

// Contact is a person behind one or more channel identities.
type Contact struct {
	ID                int64                  `json:"id"`
	ProjectID         int64                  `json:"project_id"`
	FirstName         string                 `json:"first_name"`
	LastName          string                 `json:"last_name"`
	Email             string                 `json:"email"`
	Phone             string                 `json:"phone"` // E.164
	Company           string                 `json:"company"`
	ExternalID        string                 `json:"external_id"`
	Channel           Channel                `json:"channel"`
	DoNotContact      bool                   `json:"do_not_contact"`
	Notes             string                 `json:"notes"`
	Context           string                 `json:"context"`
	Memories          []string               `json:"memories"`
	LearnedContext    map[string]any         `json:"learned_context"`
	Tags              []string               `json:"tags"`
	Country           string                 `json:"country"`
	Region            string                 `json:"region"`
	City              string                 `json:"city"`
	Custom            map[string]string      `json:"custom"`
	Conflicts         []Conflict             `json:"conflicts"`
	Sources           map[string]FieldSource `json:"sources"`
	Identities        []Identity             `json:"identities"`
	LeadStatus        LeadStatus             `json:"lead_status"`
	LeadScore         LeadScore              `json:"lead_score"`
	ConversationCount int                    `json:"conversation_count"`
	CreatedAt         time.Time              `json:"created_at"`
	UpdatedAt         time.Time              `json:"updated_at"`
	LastSeenAt        time.Time              `json:"last_seen_at"`     // zero: never seen on a channel
	LastInboundAt     time.Time              `json:"last_inbound_at"`  // zero: no inbound message yet
	LastOutboundAt    time.Time              `json:"last_outbound_at"` // zero: never answered
	// LeadRefreshAt is when the derived lead status may next change by the
	// passing of time alone; the scheduler re-derives contacts past it.
	LeadRefreshAt time.Time `json:"-"`
	// Version counts the writes to the contact (the store's optimistic check).
	Version int64 `json:"-"`
}

// Name is the display name: first and last name, else email, else phone,
// else a channel handle or id.
func (c *Contact) Name() string {
	if n := strings.TrimSpace(c.FirstName + " " + c.LastName); n != "" {
		return n
	}
	if c.Email != "" {
		return c.Email
	}
	if c.Phone != "" {
		return c.Phone
	}
	for _, id := range c.Identities {
		if id.Handle != "" {
			return id.Handle
		}
	}
	for _, id := range c.Identities {
		if id.ExternalID != "" {
			return id.ExternalID
		}
	}
	return ""
}

// Identity returns the contact's identity on ch, if any.
func (c *Contact) Identity(ch Channel) (Identity, bool) {
	for _, id := range c.Identities {
		if id.Channel == ch {
			return id, true
		}
	}
	return Identity{}, false
}

// PhoneVouched reports whether the contact's phone is known to be theirs:
// entered by the business (staff, API, import) or the number of their
// WhatsApp identity, which WhatsApp verified. A phone a visitor typed into a
// form, told the bot, or the AI read in a chat is not, and a number another
// channel verifies never joins its sender to such a contact: whoever typed
// it would otherwise receive the real owner's history.
func (c *Contact) PhoneVouched() bool {
	if c.Phone == "" {
		return false
	}
	switch c.Sources["phone"].Source {
	case SourceStaff, SourceAPI, SourceImport:
		return true
	}
	wa, ok := c.Identity(ChannelWhatsApp)
	return ok && slices.Contains(PhoneVariants(c.Phone), "+"+wa.ExternalID)
}

// HasIdentifier reports whether the contact can be told apart from nobody:
// a name, an email, a phone or a channel identity.
func (c *Contact) HasIdentifier() bool {
	return c.FirstName != "" || c.LastName != "" || c.Email != "" || c.Phone != "" || len(c.Identities) > 0
}

// LastActivity is the latest of creation, last seen and last messages.
func (c *Contact) LastActivity() time.Time {
	t := c.CreatedAt
	for _, u := range []time.Time{c.LastSeenAt, c.LastInboundAt, c.LastOutboundAt} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// SetSource records the provenance of field.
func (c *Contact) SetSource(field string, src Source, at time.Time) {
	if c.Sources == nil {
		c.Sources = map[string]FieldSource{}
	}
	c.Sources[field] = FieldSource{Source: src, At: at}
}

// Clone returns a deep copy, used for before/after audit snapshots.
func (c *Contact) Clone() *Contact {
	d := *c
	d.Memories = cloneSlice(c.Memories)
	d.Tags = cloneSlice(c.Tags)
	d.Conflicts = cloneSlice(c.Conflicts)
	d.Identities = cloneSlice(c.Identities)
	if c.Custom != nil {
		d.Custom = make(map[string]string, len(c.Custom))
		for k, v := range c.Custom {
			d.Custom[k] = v
		}
	}
	if c.Sources != nil {
		d.Sources = make(map[string]FieldSource, len(c.Sources))
		for k, v := range c.Sources {
			d.Sources[k] = v
		}
	}
	if c.LearnedContext != nil {
		d.LearnedContext = make(map[string]any, len(c.LearnedContext))
		for k, v := range c.LearnedContext {
			d.LearnedContext[k] = v
		}
	}
	return &d
}

// cloneSlice copies s, keeping nil and empty apart so a clone compares
// equal to its original.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// SearchText is the text the search index holds for the contact: names,
// email, the phone's digits, company, notes and every channel id and handle.
// Lower-cased so both dialects can match case-insensitively on it.
func (c *Contact) SearchText() string {
	var b strings.Builder
	add := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	add(c.FirstName)
	add(c.LastName)
	add(c.Email)
	add(strings.TrimPrefix(c.Phone, "+"))
	add(c.Company)
	add(c.ExternalID)
	for _, id := range c.Identities {
		add(id.ExternalID)
		add(id.Handle)
	}
	add(c.Notes)
	return strings.ToLower(b.String())
}
