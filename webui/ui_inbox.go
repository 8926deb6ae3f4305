package webui

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// The inbox: the project's open conversations on every channel, latest
// activity first, kept current by an event stream (ui_inbox_events.go);
// one conversation's transcript with the staff reply box and its contact
// beside it (ui_inbox_conversation.go). The pages' script swaps in rows
// and messages the server renders, so every user-supplied string passes
// html/template.

// uiInbox registers the inbox pages of the admin UI.
func (s *Server) uiInbox(ui uiRoutes) {
	ui.get("/inbox", s.inboxPage)
	ui.get("/inbox/events", s.inboxEvents)
	ui.get("/inbox/:id/row", s.inboxRow)
	ui.get("/inbox/:id/messages", s.inboxMessages)
	ui.get("/inbox/:id/head", s.inboxHead)
	ui.get("/inbox/:id", s.inboxConversation)
	ui.post("/inbox/:id/reply", s.inboxReply)
	ui.post("/inbox/:id/handoff", s.inboxHandoff)
	ui.post("/inbox/:id/close", s.inboxClose)
}

// inboxItem is a list row: the item and what the row shows of it.
// (Views carry methods rather than template funcs.)
type inboxItem struct{ *contacts.InboxItem }

// AtMS is the latest activity in Unix milliseconds, which the live list
// sorts rows by.
func (it inboxItem) AtMS() int64 { return it.LastMessageAt.UnixMilli() }

// LastSender labels who wrote the last message.
func (it inboxItem) LastSender() string {
	if it.LastMessage == nil {
		return ""
	}
	return senderLabel(it.LastMessage.SenderKind)
}

// Preview is the last message's one-line preview: the store cuts texts one
// character past the preview length, which shows as an ellipsis.
func (it inboxItem) Preview() string {
	if it.LastMessage == nil {
		return ""
	}
	text := it.LastMessage.Text
	if utf8.RuneCountInString(text) <= contacts.InboxPreviewLen {
		return text
	}
	r := []rune(text)
	return string(r[:contacts.InboxPreviewLen-1]) + "…"
}

func inboxItems(items []contacts.InboxItem) []inboxItem {
	out := make([]inboxItem, len(items))
	for i := range items {
		out[i] = inboxItem{&items[i]}
	}
	return out
}

// inboxMessage is a transcript message and its labels.
type inboxMessage struct{ contacts.Message }

func inboxMessages(ms []contacts.Message) []inboxMessage {
	out := make([]inboxMessage, len(ms))
	for i, m := range ms {
		out[i] = inboxMessage{m}
	}
	return out
}

// Sender labels who wrote the message.
func (m inboxMessage) Sender() string { return senderLabel(m.SenderKind) }

// Failed reports an outbound message the channel did not take.
func (m inboxMessage) Failed() bool { return strings.HasPrefix(m.Status, contacts.StatusFailed) }

// StatusText says what became of an outbound message.
func (m inboxMessage) StatusText() string {
	switch st := m.Status; {
	case st == contacts.StatusQueued:
		return "Sending…"
	case strings.HasPrefix(st, contacts.StatusQueued+": "):
		return "Sending… (the last try failed: " + strings.TrimPrefix(st, contacts.StatusQueued+": ") + ")"
	case st == contacts.StatusSent, st == contacts.StatusStored:
		// A stored message waits for the visitor's widget, which has it
		// at once when open.
		return "Sent"
	case strings.HasPrefix(st, contacts.StatusFailed):
		return "Not delivered" + strings.TrimPrefix(st, contacts.StatusFailed)
	case st == "":
		return ""
	default:
		return strings.ToUpper(st[:1]) + st[1:]
	}
}

// senderLabel names who wrote a message, as transcripts (the inbox's and
// the profile's) label it.
func senderLabel(kind string) string {
	switch kind {
	case contacts.SenderContact:
		return "Customer"
	case contacts.SenderBot:
		return "Bot"
	case contacts.SenderStaff:
		return "Staff"
	}
	return kind
}

// inboxModes are the list's filters: the query value, the assignee it
// keeps, and the tab's label.
var inboxModes = []struct{ Value, Assignee, Label string }{
	{"", "", "All open"},
	{"human", contacts.AssigneeStaff, "With staff"},
	{"bot", contacts.AssigneeBot, "With the bot"},
}

func inboxAssignee(mode string) (string, error) {
	for _, m := range inboxModes {
		if m.Value == mode {
			return m.Assignee, nil
		}
	}
	return "", contacts.Invalid("mode", "must be human or bot")
}

// inboxListData is the list page's Data.
type inboxListData struct {
	Page  *contacts.InboxPage
	Items []inboxItem
	Mode  string
	Modes any
	// After is the cursor of this page; live updates only touch the
	// first page.
	After string
}

// inboxPage lists the open conversations; a fragment request (the page's
// script reloading the list) gets the list alone.
func (s *Server) inboxPage(c *fiber.Ctx) error {
	mode := c.Query("mode")
	assignee, err := inboxAssignee(mode)
	if err != nil {
		return err
	}
	q := contacts.InboxQuery{ProjectID: uiSession(c).ProjectID, Assignee: assignee}
	after := c.Query("after")
	if after != "" {
		if q.After, err = contacts.ParseInboxCursor(after); err != nil {
			return err
		}
	}
	p, err := s.svc.Inbox(c.UserContext(), q)
	if err != nil {
		return err
	}
	d := inboxListData{Page: p, Items: inboxItems(p.Items), Mode: mode, Modes: inboxModes, After: after}
	if isFragment(c) {
		return s.inboxFragment(c, "inbox_list", d)
	}
	return s.page(c, "inbox", "Inbox", "inbox", d)
}

// inboxRow renders one conversation's row for the live list, or answers
// 204 when it no longer belongs there (closed, or not of the list's mode).
func (s *Server) inboxRow(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	assignee, err := inboxAssignee(c.Query("mode"))
	if err != nil {
		return err
	}
	it, err := s.svc.InboxItem(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	if it.Status != contacts.ConversationOpen || (assignee != "" && it.Assignee != assignee) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return s.inboxFragment(c, "inbox_row_view", inboxItem{it})
}

// inboxFragment renders a piece of an inbox page without the page's
// frame (and its project list query).
func (s *Server) inboxFragment(c *fiber.Ctx, name string, data any) error {
	sess := uiSession(c)
	return s.renderPartial(c, "inbox", name, uiView{Session: sess, CSRF: sess.CSRF, Data: data})
}
