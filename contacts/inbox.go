package contacts

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// InboxItem is a conversation as the staff inbox lists it: the thread, who
// it is with, and its latest message.
type InboxItem struct {
	Conversation
	// ContactName is the contact's display name: first and last name, else
	// email, phone, or the handle (or id, on a messaging app) on the
	// conversation's channel. Empty for an anonymous visitor or an erased
	// contact (ContactID zero).
	ContactName  string
	DoNotContact bool
	// LastMessage is the latest message, its text cut to a preview; nil
	// for a conversation without messages.
	LastMessage *Message
}

// DisplayName is ContactName, or what to call a contact without one.
func (i *InboxItem) DisplayName() string {
	switch {
	case i.ContactName != "":
		return i.ContactName
	case i.ContactID == 0:
		return "Erased contact"
	default:
		return "Visitor #" + strconv.FormatInt(i.ContactID, 10)
	}
}

// AwaitingReply reports that the customer wrote last: nobody has answered
// yet.
func (i *InboxItem) AwaitingReply() bool {
	return i.LastMessage != nil && i.LastMessage.Direction == DirectionInbound
}

// InboxPreviewLen is how many characters of the last message the inbox
// store returns.
const InboxPreviewLen = 160

// InboxQuery selects a page of a project's open conversations, latest
// activity first.
type InboxQuery struct {
	ProjectID int64
	// Assignee keeps only conversations the bot (AssigneeBot) or staff
	// (AssigneeStaff) have; empty keeps both.
	Assignee string
	// After continues a previous page: conversations whose activity sorts
	// after this cursor (older, or as old with a smaller id).
	After *InboxCursor
	Limit int
}

// InboxCursor is a position in the inbox order.
type InboxCursor struct {
	LastMessageAt time.Time
	ID            int64
}

// String encodes the cursor for a URL.
func (c InboxCursor) String() string {
	return strconv.FormatInt(c.LastMessageAt.UnixMilli(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseInboxCursor reads a cursor written by InboxCursor.String.
func ParseInboxCursor(s string) (*InboxCursor, error) {
	a, b, _ := strings.Cut(s, ".")
	at, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || at < 0 || id <= 0 {
		return nil, Invalid("after", "must be a cursor from a previous page")
	}
	return &InboxCursor{LastMessageAt: time.UnixMilli(at).UTC(), ID: id}, nil
}

// InboxStore reads the staff inbox.
type InboxStore interface {
	// OpenConversations lists a project's open conversations by latest
	// activity (last_message_at, then id, descending).
	OpenConversations(ctx context.Context, q InboxQuery) ([]InboxItem, error)
	// CountOpenConversations counts a project's open conversations, of one
	// assignee when assignee is not empty.
	CountOpenConversations(ctx context.Context, projectID int64, assignee string) (int, error)
	// InboxItem returns one conversation of the project, open or closed, as
	// the inbox shows it; ErrNotFound when the project has no such one.
	InboxItem(ctx context.Context, projectID, conversationID int64) (*InboxItem, error)
}

// InboxPage is a page of the inbox.
type InboxPage struct {
	Items []InboxItem
	// Total counts the open conversations the query's filter keeps.
	Total int
	// Next continues the list; nil on the last page.
	Next *InboxCursor
}

// Inbox lists a project's open conversations, latest activity first.
func (s *Service) Inbox(ctx context.Context, q InboxQuery) (*InboxPage, error) {
	if q.Assignee != "" && q.Assignee != AssigneeBot && q.Assignee != AssigneeStaff {
		return nil, Invalid("assignee", "must be bot or staff")
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	want := q.Limit
	q.Limit++ // one more tells whether a next page exists
	items, err := s.store.OpenConversations(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	total, err := s.store.CountOpenConversations(ctx, q.ProjectID, q.Assignee)
	if err != nil {
		return nil, fmt.Errorf("count the inbox: %w", err)
	}
	p := &InboxPage{Items: items, Total: total}
	if len(items) > want {
		p.Items = items[:want]
		last := p.Items[want-1]
		p.Next = &InboxCursor{LastMessageAt: last.LastMessageAt, ID: last.ID}
	}
	return p, nil
}

// InboxItem returns one conversation of the project as the inbox shows it.
func (s *Service) InboxItem(ctx context.Context, projectID, conversationID int64) (*InboxItem, error) {
	it, err := s.store.InboxItem(ctx, projectID, conversationID)
	if err != nil {
		return nil, fmt.Errorf("conversation %d: %w", conversationID, err)
	}
	return it, nil
}
