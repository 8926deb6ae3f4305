package webui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uiProfile registers the contact profile, its create and edit forms, and
// the merge and delete flows. The literal paths come before /contacts/:id.
func (s *Server) uiProfile(ui uiRoutes) {
	ui.get("/contacts/new", s.newContactPage)
	ui.post("/contacts/new", s.createContactForm)
	ui.get("/contacts/duplicates", s.duplicatesPage)
	ui.get("/contacts/merge", s.mergePage)
	ui.post("/contacts/merge", s.mergeSubmit)
	ui.get("/contacts/merge/preview", s.mergePreview)
	ui.get("/contacts/merge/:mid", s.mergeDonePage)
	ui.post("/contacts/merge/:mid/undo", s.undoMergeForm)

	ui.get("/contacts/:id", s.profilePage)
	ui.get("/contacts/:id/edit", s.editContactPage)
	ui.post("/contacts/:id/edit", s.editContactForm)
	ui.get("/contacts/:id/cards/:card", s.profileCard)
	ui.post("/contacts/:id/tags", s.addTagForm)
	ui.post("/contacts/:id/tags/remove", s.removeTagForm)
	ui.post("/contacts/:id/notes", s.addNoteForm)
	ui.post("/contacts/:id/suggestions/:sid/:decision", s.decideSuggestionForm)
	ui.get("/contacts/:id/conversations/:cid", s.conversationPage)
	ui.get("/contacts/:id/export", s.exportContactFile)
	ui.get("/contacts/:id/delete", s.deleteContactPage)
	ui.post("/contacts/:id/delete", s.deleteContactForm)
}

// profileData is what the profile page and its cards show. A card fragment
// loads only what it shows; the page loads everything.
type profileData struct {
	profileHelpers
	Contact       *contacts.Contact
	Notes         []contacts.Note
	Conversations []contacts.Conversation
	Suggestions   []contacts.Suggestion
	// MessageConversations maps the suggestions' message ids to the
	// contact's conversations holding them.
	MessageConversations map[int64]int64
	Merges               []contacts.Merge
	History              []contacts.AuditEntry
	Privacy              *contacts.PrivacySettings
	// Form is the state of an inline edit the server answered with errors.
	Form profileForm
	// Errors of the small forms: the tag, the note and a suggestion.
	TagError, NoteError, SuggestionError string
	NoteBody                             string
	Now                                  time.Time
}

// profileForm is an inline edit's state: the values sent, the messages per
// field, and which fields stay open for correction.
type profileForm struct {
	Card    string
	Values  map[string]string
	Errors  map[string]string
	Other   []string // messages about fields the card does not show
	DupID   int64    // the contact that holds a unique value already
	Editing map[string]bool
}

// profileParts are the pieces of a profile a card needs beyond the contact.
const (
	partNotes = 1 << iota
	partConversations
	partSuggestions
	partHistory
	partPrivacy
	partAll = partNotes | partConversations | partSuggestions | partHistory | partPrivacy
)

// profileCards are the cards a fragment may ask for, with the parts each
// needs.
var profileCards = map[string]int{
	"basic": 0, "identities": 0, "context": 0, "location": 0, "custom": 0, "tags": 0,
	"notes": partNotes, "insights": partSuggestions, "conversations": partConversations, "history": partHistory,
}

// loadProfile reads a contact and the parts asked for.
func (s *Server) loadProfile(c *fiber.Ctx, id int64, parts int) (*profileData, error) {
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	ct, err := s.svc.GetContact(ctx, projectID, id)
	if err != nil {
		return nil, err
	}
	d := &profileData{Contact: ct, Now: s.svc.Now()}
	if parts&partNotes != 0 {
		if d.Notes, err = s.svc.ListNotes(ctx, projectID, id); err != nil {
			return nil, err
		}
	}
	if parts&partConversations != 0 {
		if d.Conversations, err = s.svc.ListConversations(ctx, projectID, id); err != nil {
			return nil, err
		}
	}
	if parts&partSuggestions != 0 {
		if d.Suggestions, err = s.svc.ListSuggestions(ctx, projectID, id, contacts.SuggestionPending); err != nil {
			return nil, err
		}
		var ids []int64
		for _, sg := range d.Suggestions {
			ids = append(ids, sg.MessageIDs...)
		}
		if d.MessageConversations, err = s.svc.MessageConversations(ctx, projectID, id, ids); err != nil {
			return nil, err
		}
	}
	if parts&partHistory != 0 {
		if d.Merges, err = s.svc.ContactMerges(ctx, projectID, id, 10); err != nil {
			return nil, err
		}
		if d.History, err = s.svc.Audit(ctx, contacts.AuditQuery{ProjectID: projectID, ContactID: id, Limit: 15}); err != nil {
			return nil, err
		}
	}
	if parts&partPrivacy != 0 {
		if d.Privacy, err = s.svc.PrivacySettings(ctx, projectID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) profilePage(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadProfile(c, id, partAll)
	if err != nil {
		return err
	}
	return s.renderProfile(c, d)
}

func (s *Server) renderProfile(c *fiber.Ctx, d *profileData) error {
	return s.page(c, "contact", profileTitle(d.Contact), "contacts", d)
}

// profileTitle names a contact in titles and headings.
func profileTitle(c *contacts.Contact) string {
	if n := c.Name(); n != "" {
		return n
	}
	return "Contact " + strconv.FormatInt(c.ID, 10)
}

// profileCard answers one card of the profile, for the page's scripts.
func (s *Server) profileCard(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	card := c.Params("card")
	parts, ok := profileCards[card]
	if !ok {
		return notFound("no such card")
	}
	d, err := s.loadProfile(c, id, parts)
	if err != nil {
		return err
	}
	return s.renderCard(c, card, d)
}

func (s *Server) renderCard(c *fiber.Ctx, card string, d *profileData) error {
	v, err := s.view(c, profileTitle(d.Contact), "contacts", d)
	if err != nil {
		return err
	}
	return s.renderPartial(c, "contact", "profile_card_"+card, v)
}

// answerProfile ends a profile form: the card as a fragment for the page's
// script, or back to the profile (at the card) for a plain form post.
func (s *Server) answerProfile(c *fiber.Ctx, card string, d *profileData, flash string) error {
	if isFragment(c) {
		if flash != "" {
			c.Set("X-Profile-Notice", flash)
		}
		return s.renderCard(c, card, d)
	}
	if flash != "" {
		s.setFlash(c, flash)
	}
	return c.Redirect(fmt.Sprintf("/contacts/%d#%s", d.Contact.ID, card), fiber.StatusSeeOther)
}

// Rows are the inline-editable fields of a card, as the template shows them.
func (d *profileData) Rows(card string) []profileRow {
	rows := make([]profileRow, 0, len(profileCardFields[card]))
	for _, name := range profileCardFields[card] {
		spec := profileFields[name]
		r := profileRow{profileField: spec, Value: fieldValue(d.Contact, name)}
		r.Input = r.Value
		if v, ok := d.Form.Values[name]; ok && d.Form.Card == card {
			r.Input = v
		}
		r.Error = d.Form.Errors[name]
		r.Editing = d.Form.Card == card && d.Form.Editing[name]
		if src, ok := d.Contact.Sources[name]; ok {
			r.Source = &src
		}
		rows = append(rows, r)
	}
	return rows
}

// Editing reports whether the card is open for correction.
func (d *profileData) Editing(card string) bool {
	return d.Form.Card == card && len(d.Form.Editing) > 0
}

// FormErrors are the card's messages about fields it does not show.
func (d *profileData) FormErrors(card string) []string {
	if d.Form.Card != card {
		return nil
	}
	return d.Form.Other
}

// OtherIdentities are the identities the social-id rows do not show
// (widget and live-chat visitors).
func (d *profileData) OtherIdentities() []contacts.Identity {
	social := map[contacts.Channel]bool{}
	for _, ch := range contacts.SocialChannels {
		social[ch] = true
	}
	var out []contacts.Identity
	for _, id := range d.Contact.Identities {
		if !social[id.Channel] {
			out = append(out, id)
		}
	}
	return out
}

// Channels are the channels a contact is known on: where it came from and
// its identities, each once.
func (d *profileData) Channels() []contacts.Channel {
	out := []contacts.Channel{d.Contact.Channel}
	for _, id := range d.Contact.Identities {
		if !slices.Contains(out, id.Channel) {
			out = append(out, id.Channel)
		}
	}
	return out
}

// RestoreUntil is when a contact deleted now stops being restorable; zero
// when the project erases at once.
func (d *profileData) RestoreUntil() time.Time {
	if d.Privacy == nil || d.Privacy.ErasureGraceDays == 0 {
		return time.Time{}
	}
	return d.Now.AddDate(0, 0, d.Privacy.ErasureGraceDays)
}

// KeepHistoryByDefault is the project's erasure default.
func (d *profileData) KeepHistoryByDefault() bool {
	return d.Privacy != nil && d.Privacy.ErasureDefault == contacts.ErasureAnonymize
}

// suggestionSource is where the AI read a suggested value: messages of one
// conversation, or (ConversationID 0) messages no longer in the contact's
// conversations.
type suggestionSource struct {
	ConversationID int64
	MessageIDs     []int64
}

// SuggestionSources groups a suggestion's messages by conversation, in the
// order the AI cited them.
func (d *profileData) SuggestionSources(sg contacts.Suggestion) []suggestionSource {
	var out []suggestionSource
	at := map[int64]int{}
	for _, m := range sg.MessageIDs {
		cv := d.MessageConversations[m]
		i, ok := at[cv]
		if !ok {
			i = len(out)
			at[cv] = i
			out = append(out, suggestionSource{ConversationID: cv})
		}
		out[i].MessageIDs = append(out[i].MessageIDs, m)
	}
	return out
}

// Insights is the AI's learned context, read for display.
func (d *profileData) Insights() profileInsights { return profileInsightsOf(d.Contact) }
