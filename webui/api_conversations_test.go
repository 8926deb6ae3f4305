package webui

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// addConversation opens a conversation for the contact straight in the
// store (the gateway does this in production) with one message per text,
// alternating inbound and outbound.
func (e *testEnv) addConversation(projectID, contactID int64, texts ...string) int64 {
	e.t.Helper()
	ctx := context.Background()
	now := e.svc.Now()
	cv := &contacts.Conversation{ProjectID: projectID, ContactID: contactID, Channel: contacts.ChannelWidget, StartedAt: now}
	if err := e.db.CreateConversation(ctx, cv); err != nil {
		e.t.Fatal(err)
	}
	for i, text := range texts {
		m := &contacts.Message{ConversationID: cv.ID, Direction: contacts.DirectionInbound, SenderKind: contacts.SenderContact,
			Text: text, Status: "received", CreatedAt: now.Add(time.Duration(i) * time.Millisecond)}
		if i%2 == 1 {
			m.Direction, m.SenderKind, m.Status = contacts.DirectionOutbound, contacts.SenderBot, "sent"
		}
		if err := e.db.AddMessage(ctx, projectID, m); err != nil {
			e.t.Fatal(err)
		}
	}
	return cv.ID
}

func TestConversationsAndMessages(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Chatty"}))
	conv := e.addConversation(e.project.ID, id, "one", "two", "three")

	r := e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", id), nil).must(t, http.StatusOK)
	convs := r.list("conversations")
	if len(convs) != 1 {
		t.Fatalf("conversations: %s", r.raw)
	}
	c := convs[0]
	if idOf(c) != conv || c["contact_id"] != float64(id) || c["channel"] != "widget" || c["status"] != "open" ||
		c["message_count"] != 3.0 || c["ended_at"] != nil {
		t.Errorf("conversation: %v", c)
	}

	r = e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), nil).must(t, http.StatusOK)
	msgs := r.list("messages")
	if len(msgs) != 3 || msgs[0]["text"] != "one" || msgs[1]["direction"] != "outbound" {
		t.Fatalf("messages: %s", r.raw)
	}
	if att, ok := msgs[0]["attachments"].([]any); !ok || len(att) != 0 {
		t.Errorf("attachments: %#v", msgs[0]["attachments"])
	}
	first := idOf(msgs[0])
	r = e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages?after=%d&limit=1", conv, first), nil).must(t, http.StatusOK)
	if msgs := r.list("messages"); len(msgs) != 1 || msgs[0]["text"] != "two" {
		t.Errorf("after/limit: %s", r.raw)
	}
	for _, q := range []string{"limit=0", "limit=1001", "limit=x", "after=-1", "after=x"} {
		e.do("GET", fmt.Sprintf("/api/v1/conversations/%d/messages?%s", conv, q), nil).mustError(t, 422, "validation_failed")
	}
	e.do("GET", "/api/v1/conversations/999999/messages", nil).mustError(t, 404, "not_found")
	e.do("GET", "/api/v1/contacts/999999/conversations", nil).mustError(t, 404, "not_found")

	empty := idOf(e.createContact(map[string]any{"name": "Quiet"}))
	r = e.do("GET", fmt.Sprintf("/api/v1/contacts/%d/conversations", empty), nil).must(t, http.StatusOK)
	if cs, ok := r.body["conversations"].([]any); !ok || len(cs) != 0 {
		t.Errorf("no conversations: %s", r.raw)
	}
}

func TestNotes(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Noted"}))
	p := fmt.Sprintf("/api/v1/contacts/%d/notes", id)
	r := e.do("GET", p, nil).must(t, http.StatusOK)
	if ns, ok := r.body["notes"].([]any); !ok || len(ns) != 0 {
		t.Errorf("no notes: %s", r.raw)
	}
	n := e.do("POST", p, map[string]any{"body": "  first call\nwent well  "}).must(t, http.StatusCreated).body
	if n["body"] != "first call\nwent well" || n["contact_id"] != float64(id) || n["author"] != "default" || n["author_id"] != nil {
		t.Errorf("note: %v", n)
	}
	e.do("POST", p, map[string]any{"body": "second"}).must(t, http.StatusCreated)
	notes := e.do("GET", p, nil).must(t, http.StatusOK).list("notes")
	if len(notes) != 2 || notes[0]["body"] != "second" {
		t.Errorf("notes newest first: %v", notes)
	}
	e.do("POST", p, map[string]any{"body": "   "}).mustError(t, 422, "validation_failed")
	e.do("POST", p, map[string]any{}).mustError(t, 422, "validation_failed")
	e.do("POST", "/api/v1/contacts/999999/notes", map[string]any{"body": "x"}).mustError(t, 404, "not_found")
}
