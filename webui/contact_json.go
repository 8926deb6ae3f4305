package webui

import (
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// contactView is the one JSON shape of a contact, used by every route.
// Absent email, phone, external id, social ids and last_seen_at are null;
// lists and maps are never null.
type contactView struct {
	ID                int64                           `json:"id"`
	Name              string                          `json:"name"`
	FirstName         string                          `json:"first_name"`
	LastName          string                          `json:"last_name"`
	Email             *string                         `json:"email"`
	Phone             *string                         `json:"phone"`
	Company           string                          `json:"company"`
	Channel           contacts.Channel                `json:"channel"`
	ExternalID        *string                         `json:"external_id"`
	TelegramID        *string                         `json:"telegram_id"`
	InstagramID       *string                         `json:"instagram_id"`
	FacebookID        *string                         `json:"facebook_id"`
	WhatsAppID        *string                         `json:"whatsapp_id"`
	Identities        []identityView                  `json:"identities"`
	DoNotContact      bool                            `json:"do_not_contact"`
	Tags              []string                        `json:"tags"`
	Notes             string                          `json:"notes"`
	Context           string                          `json:"context"`
	Memories          []string                        `json:"memories"`
	LearnedContext    map[string]any                  `json:"learned_context"`
	Country           string                          `json:"country"`
	Region            string                          `json:"region"`
	City              string                          `json:"city"`
	Custom            map[string]string               `json:"custom"`
	Conflicts         []contacts.Conflict             `json:"conflicts"`
	Sources           map[string]contacts.FieldSource `json:"sources"`
	LeadStatus        contacts.LeadStatus             `json:"lead_status"`
	LeadScore         contacts.LeadScore              `json:"lead_score"`
	ConversationCount int                             `json:"conversation_count"`
	CreatedAt         *time.Time                      `json:"created_at"`
	UpdatedAt         *time.Time                      `json:"updated_at"`
	LastSeenAt        *time.Time                      `json:"last_seen_at"`
}

// identityView is one channel identity of a contact.
type identityView struct {
	ID         int64            `json:"id"`
	Channel    contacts.Channel `json:"channel"`
	ExternalID string           `json:"external_id"`
	Handle     string           `json:"handle"`
	CreatedAt  *time.Time       `json:"created_at"`
}

// Shared empty values, so rendering an empty field allocates nothing.
// Views are only ever encoded, never changed.
var (
	noStrings   = []string{}
	noConflicts = []contacts.Conflict{}
	noLearned   = map[string]any{}
	noCustom    = map[string]string{}
	noSources   = map[string]contacts.FieldSource{}
)

func contactJSON(c *contacts.Contact) *contactView {
	v := &contactView{
		ID:                c.ID,
		Name:              c.Name(),
		FirstName:         c.FirstName,
		LastName:          c.LastName,
		Email:             nullable(c.Email),
		Phone:             nullable(c.Phone),
		Company:           c.Company,
		Channel:           c.Channel,
		ExternalID:        nullable(c.ExternalID),
		Identities:        make([]identityView, len(c.Identities)),
		DoNotContact:      c.DoNotContact,
		Tags:              orEmpty(c.Tags),
		Notes:             c.Notes,
		Context:           c.Context,
		Memories:          orEmpty(c.Memories),
		LearnedContext:    c.LearnedContext,
		Country:           c.Country,
		Region:            c.Region,
		City:              c.City,
		Custom:            c.Custom,
		Conflicts:         c.Conflicts,
		Sources:           c.Sources,
		LeadStatus:        c.LeadStatus,
		LeadScore:         c.LeadScore,
		ConversationCount: c.ConversationCount,
		CreatedAt:         timeJSON(c.CreatedAt),
		UpdatedAt:         timeJSON(c.UpdatedAt),
		LastSeenAt:        timeJSON(c.LastSeenAt),
	}
	for i, id := range c.Identities {
		v.Identities[i] = identityView{ID: id.ID, Channel: id.Channel, ExternalID: id.ExternalID, Handle: id.Handle, CreatedAt: timeJSON(id.CreatedAt)}
		switch id.Channel {
		case contacts.ChannelTelegram:
			v.TelegramID = nullable(id.ExternalID)
		case contacts.ChannelInstagram:
			v.InstagramID = nullable(id.ExternalID)
		case contacts.ChannelMessenger:
			v.FacebookID = nullable(id.ExternalID)
		case contacts.ChannelWhatsApp:
			v.WhatsAppID = nullable(id.ExternalID)
		}
	}
	if v.LearnedContext == nil {
		v.LearnedContext = noLearned
	}
	if v.Custom == nil {
		v.Custom = noCustom
	}
	if v.Conflicts == nil {
		v.Conflicts = noConflicts
	}
	if v.Sources == nil {
		v.Sources = noSources
	}
	return v
}

func contactsJSON(cs []*contacts.Contact) []*contactView {
	out := make([]*contactView, len(cs))
	for i, c := range cs {
		out[i] = contactJSON(c)
	}
	return out
}

// nullable renders "" as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// timeJSON renders a time in UTC (RFC 3339), and the zero time as null.
func timeJSON(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func orEmpty(s []string) []string {
	if s == nil {
		return noStrings
	}
	return s
}
