package webui

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway"
)

// The inbox's live feed is a Server-Sent Events stream of the project's
// gateway events (gateway.Hub.SubscribeProject, so events from other serve
// processes arrive through the bus too). An event names what changed and
// carries no user text: the page fetches the row or messages it needs as
// server-rendered fragments, through the usual session and project checks.
//
//	data: {"type":"message","conversation_id":7,"message_id":42}
//
// Types: message (stored or its delivery status changed), opened, closed,
// assigned (handed to staff or back to the bot), resync (events were lost:
// reload what is shown) and ended (the session is over: stop listening).

var (
	// inboxHeartbeat is how often an idle stream sends a comment, which
	// keeps proxies from timing it out and finds clients that went away.
	inboxHeartbeat = 15 * time.Second
	// inboxSessionCheck is how often a stream checks its session is still
	// signed in and on the same project.
	inboxSessionCheck = time.Minute
)

type inboxEvent struct {
	Type           string `json:"type"`
	ConversationID int64  `json:"conversation_id,omitempty"`
	MessageID      int64  `json:"message_id,omitempty"`
}

var inboxEventTypes = map[string]string{
	gateway.EventMessage:              "message",
	gateway.EventConversationOpened:   "opened",
	gateway.EventConversationClosed:   "closed",
	gateway.EventConversationAssigned: "assigned",
}

// inboxEventFor translates a gateway event for a stream that follows one
// conversation (only) or, with only zero, all of them.
func inboxEventFor(ev gateway.Event, only int64) (inboxEvent, bool) {
	kind := ev.Kind
	if ev.IsMessage() {
		kind = gateway.EventMessage
	}
	t, ok := inboxEventTypes[kind]
	if !ok || (only != 0 && ev.Conversation() != only) {
		return inboxEvent{}, false
	}
	out := inboxEvent{Type: t, ConversationID: ev.Conversation()}
	if ev.IsMessage() {
		out.MessageID = ev.Message.ID
	}
	return out, true
}

// inboxEvents streams the project's events until the client goes, the
// session ends or the server shuts down (the request context's Done closes
// on Shutdown, so open streams never hold it up).
func (s *Server) inboxEvents(c *fiber.Ctx) error {
	sess := uiSession(c)
	var only int64
	if raw := c.Query("conversation"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return contacts.Invalid("conversation", "must be a conversation id")
		}
		if _, err := s.svc.Conversation(c.UserContext(), sess.ProjectID, id); err != nil {
			return err
		}
		only = id
	}
	hub := s.router.Hub()
	project := sess.ProjectID
	secret := strings.Clone(c.Cookies(sessionCookie)) // the request's buffers are reused once the handler returns
	shutdown := c.Context().Done()
	sub := hub.SubscribeProject(project)

	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer func() { sub.Close() }()
		heartbeat := time.NewTicker(inboxHeartbeat)
		defer heartbeat.Stop()
		checked := time.Now()
		if !sseWrite(w, "retry: 3000\n: connected\n\n") {
			return
		}
		for {
			var e inboxEvent
			select {
			case <-shutdown:
				return
			case ev, ok := <-sub.C:
				if !ok {
					// The hub dropped this subscriber for falling behind:
					// follow again, and have the page reload what it shows.
					sub = hub.SubscribeProject(project)
					e = inboxEvent{Type: "resync"}
					break
				}
				var send bool
				if e, send = inboxEventFor(ev, only); !send {
					continue
				}
			case <-heartbeat.C:
				if time.Since(checked) >= inboxSessionCheck {
					checked = time.Now()
					if !s.inboxSessionLive(secret, project) {
						sseEvent(w, inboxEvent{Type: "ended"})
						return
					}
				}
				if !sseWrite(w, ": ping\n\n") {
					return
				}
				continue
			}
			if !sseEvent(w, e) {
				return
			}
		}
	})
	return nil
}

// inboxSessionLive reports whether the stream's session is still signed in
// to the project it follows.
func (s *Server) inboxSessionLive(secret string, project int64) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sess, err := s.svc.SessionBySecret(ctx, secret)
	switch {
	case errors.Is(err, contacts.ErrUnauthorized):
		return false
	case err != nil:
		return true // the database is away: keep the stream, check again later
	}
	return sess.ProjectID == project
}

func sseEvent(w *bufio.Writer, e inboxEvent) bool {
	raw, _ := json.Marshal(e)
	return sseWrite(w, "data: "+string(raw)+"\n\n")
}

// sseWrite writes and flushes; false means the client is gone.
func sseWrite(w *bufio.Writer, s string) bool {
	if _, err := w.WriteString(s); err != nil {
		return false
	}
	return w.Flush() == nil
}
