package webui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// inboxTranscriptMax is how many of a conversation's latest messages its
// page shows; the contact's profile keeps the whole history.
const inboxTranscriptMax = 1000

// inboxConversationData is the conversation page's Data.
type inboxConversationData struct {
	Item *contacts.InboxItem
	// Contact is nil once the contact was erased (history kept).
	Contact  *contacts.Contact
	Messages []inboxMessage
	// Earlier counts the messages before the ones shown.
	Earlier    int
	ReplyText  string
	ReplyError string
}

// LeadStatus is the contact's lead status in words.
func (d inboxConversationData) LeadStatus() string {
	return strings.ReplaceAll(string(d.Contact.LeadStatus), "_", " ")
}

// CanReply reports whether staff can write in the conversation: it is open
// and its contact still exists.
func (d inboxConversationData) CanReply() bool {
	return d.Item.Status == contacts.ConversationOpen && d.Contact != nil
}

func (s *Server) inboxConversation(c *fiber.Ctx) error {
	d, err := s.inboxConversationData(c)
	if err != nil {
		return err
	}
	return s.page(c, "inbox_conversation", d.Item.DisplayName()+" · Inbox", "inbox", d)
}

func (s *Server) inboxConversationData(c *fiber.Ctx) (*inboxConversationData, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, project := c.UserContext(), uiSession(c).ProjectID
	it, err := s.svc.InboxItem(ctx, project, id)
	if err != nil {
		return nil, err
	}
	d := &inboxConversationData{Item: it}
	if it.ContactID != 0 {
		d.Contact, err = s.svc.GetContact(ctx, project, it.ContactID)
		if err != nil && !errors.Is(err, contacts.ErrNotFound) {
			return nil, err
		}
	}
	// Pages of 500 from the start; only the latest inboxTranscriptMax stay.
	var all []contacts.Message
	for after := int64(0); ; {
		msgs, err := s.svc.ListMessages(ctx, project, id, after, 500)
		if err != nil {
			return nil, err
		}
		all = append(all, msgs...)
		if over := len(all) - inboxTranscriptMax; over > 0 {
			d.Earlier += over
			all = append(all[:0:0], all[over:]...)
		}
		if len(msgs) < 500 {
			break
		}
		after = msgs[len(msgs)-1].ID
	}
	d.Messages = inboxMessages(all)
	return d, nil
}

// inboxMessages renders the messages after a message id, for the live
// transcript (new messages, and a message whose delivery status changed).
func (s *Server) inboxMessages(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v := &contacts.ValidationError{}
	after, err := strconv.ParseInt(c.Query("after", "0"), 10, 64)
	if err != nil || after < 0 {
		v.Add("after", "must be a message id")
	}
	limit := queryInt(c, "limit", 200, 1, 500, v)
	if err := v.Err(); err != nil {
		return err
	}
	project := uiSession(c).ProjectID
	if _, err := s.svc.Conversation(c.UserContext(), project, id); err != nil {
		return err
	}
	msgs, err := s.svc.ListMessages(c.UserContext(), project, id, after, limit)
	if err != nil {
		return err
	}
	return s.inboxFragment(c, "inbox_messages_view", inboxMessages(msgs))
}

// inboxHead renders the conversation's header (status, mode and actions),
// for the live page after a handover or close elsewhere.
func (s *Server) inboxHead(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.svc.InboxItem(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	return s.inboxFragment(c, "inbox_head_view", it)
}

// inboxReply sends a staff message through the conversation's channel. The
// page's script posts it as a fragment request and gets the new message
// back (or the form's error, with 200 like any re-rendered form); without
// the script the form posts, and the page reloads.
func (s *Server) inboxReply(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	text := c.FormValue("text")
	r, err := s.router.SendAsStaff(c.UserContext(), uiSession(c).ProjectID, id, text)
	var ve *contacts.ValidationError
	if errors.As(err, &ve) || errors.Is(err, contacts.ErrConflict) {
		msg := err.Error()
		if ve != nil && ve.Fields["text"] != "" {
			msg = "The reply " + ve.Fields["text"] + "."
		} else if ve == nil {
			msg = "The contact was erased: there is nobody to reply to."
		}
		if isFragment(c) {
			return s.inboxFragment(c, "inbox_reply_error", msg)
		}
		d, derr := s.inboxConversationData(c)
		if derr != nil {
			return derr
		}
		d.ReplyText, d.ReplyError = text, msg
		return s.page(c, "inbox_conversation", d.Item.DisplayName()+" · Inbox", "inbox", d)
	}
	if err != nil {
		return err
	}
	if isFragment(c) {
		return s.inboxFragment(c, "inbox_messages_view", inboxMessages([]contacts.Message{*r.Message}))
	}
	if r.DoNotContact {
		s.setFlash(c, "Reply sent. This contact opted out of automated messages; a personal reply is still allowed.")
	}
	return c.Redirect("/inbox/"+strconv.FormatInt(id, 10)+"#reply", fiber.StatusSeeOther)
}

// inboxHandoff gives the conversation to staff (the bot falls silent) or
// back to the bot.
func (s *Server) inboxHandoff(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	to := map[string]string{"human": contacts.AssigneeStaff, "bot": contacts.AssigneeBot}[c.FormValue("to")]
	if to == "" {
		return contacts.Invalid("to", "must be human or bot")
	}
	if err := s.router.Assign(c.UserContext(), uiSession(c).ProjectID, id, to); err != nil {
		return err
	}
	if to == contacts.AssigneeStaff {
		s.setFlash(c, "You have the conversation: the bot stays silent until you hand it back.")
	} else {
		s.setFlash(c, "The bot answers this conversation again.")
	}
	return c.Redirect("/inbox/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// inboxClose closes the conversation and returns to the inbox.
func (s *Server) inboxClose(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	project := uiSession(c).ProjectID
	it, err := s.svc.InboxItem(c.UserContext(), project, id)
	if err != nil {
		return err
	}
	if err := s.router.CloseConversation(c.UserContext(), project, id); err != nil && !errors.Is(err, contacts.ErrConflict) {
		return err
	}
	s.setFlash(c, "Closed the conversation with "+strings.TrimSpace(it.DisplayName())+".")
	return c.Redirect("/inbox", fiber.StatusSeeOther)
}
