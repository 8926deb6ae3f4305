package webui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// transcriptLimit is how many messages a transcript shows; the inbox pages
// through longer conversations.
const transcriptLimit = 1000

// conversationData is one conversation of a contact with its messages.
type conversationData struct {
	profileHelpers
	Contact      *contacts.Contact
	Conversation *contacts.Conversation
	Messages     []contacts.Message
	// More is set when the conversation has messages past the first
	// transcriptLimit.
	More bool
}

// conversationPage shows a conversation's transcript: a page of its own,
// or the transcript alone for the profile's in-place expansion.
func (s *Server) conversationPage(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(c, "cid")
	if err != nil {
		return err
	}
	ctx, projectID := c.UserContext(), uiSession(c).ProjectID
	ct, err := s.svc.GetContact(ctx, projectID, id)
	if err != nil {
		return err
	}
	cv, err := s.svc.Conversation(ctx, projectID, cid)
	if err != nil {
		return err
	}
	if cv.ContactID != ct.ID {
		return notFound("not found")
	}
	msgs, err := s.svc.ListMessages(ctx, projectID, cid, 0, transcriptLimit)
	if err != nil {
		return err
	}
	d := conversationData{Contact: ct, Conversation: cv, Messages: msgs, More: len(msgs) == transcriptLimit && cv.MessageCount > transcriptLimit}
	v, err := s.view(c, "Conversation with "+profileTitle(ct), "contacts", d)
	if err != nil {
		return err
	}
	if isFragment(c) {
		return s.renderPartial(c, "contact_conversation", "profile_transcript", v)
	}
	return s.render(c, "contact_conversation", v)
}
