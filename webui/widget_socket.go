package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway"
)

// The widget's live transport: one WebSocket per visitor tab. The visitor
// sends {"text": ..., "client_message_id"?, "name"?, "email"?, "phone"?,
// "page_url"?, "identifier"?, "identifier_hash"?};
// the server answers {"type": "ack", "message": ...} once a message is
// stored, {"type": "message", "message": ...} for every message of the
// visitor's conversations as it is stored (bot and staff replies, and the
// visitor's own from another tab), and {"type": "error", "error": ...}.

type socketLocals struct {
	*chatChannel
	visitor string
	ip      string // clientIP at the upgrade: the socket has no request to ask
}

// socketLocalsKey is a string: the websocket middleware carries only
// string-keyed locals across the upgrade.
const socketLocalsKey = "switchboard.widget_socket"

// widgetUpgrade checks the key, the Origin and the visitor id before the
// protocol switch, so a refused client gets a plain HTTP error.
func (s *Server) widgetUpgrade(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return &requestError{fiber.StatusUpgradeRequired, "this endpoint speaks WebSocket; use /messages for HTTP"}
	}
	cc, err := s.widgetChannel(c)
	if err != nil {
		return err
	}
	visitor := c.Query("visitor_id")
	if err := widget.CheckVisitorID(visitor); err != nil {
		return err
	}
	c.Locals(socketLocalsKey, &socketLocals{chatChannel: cc, visitor: visitor, ip: s.clientIP(c)})
	return c.Next()
}

type socketFrame struct {
	Type    string       `json:"type"`
	Message *messageView `json:"message,omitempty"`
	Error   *errorDetail `json:"error,omitempty"`
}

func (s *Server) widgetSocket(conn *websocket.Conn) {
	loc := conn.Locals(socketLocalsKey).(*socketLocals)
	conn.SetReadLimit(16 << 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan socketFrame, 16)
	subs := make(chan *gateway.Subscription, 1)
	if id, err := s.svc.ContactByIdentity(ctx, loc.ch.ProjectID, loc.kind, loc.visitor); err == nil && id != 0 {
		subs <- s.router.Hub().Subscribe(id)
	}

	// Reader: the visitor's messages.
	go func() {
		defer cancel()
		subscribed := len(subs) > 0
		for {
			_, raw, err := conn.ReadMessage()
			if err != nil {
				return
			}
			// Every frame counts toward the address's limit, shared with
			// its HTTP posts, a malformed one too.
			if !s.visitorIPs.allow(loc.ip) {
				out <- socketFrame{Type: "error", Error: &errorDetail{Code: codeRateLimited, Message: errAddressLimit.message}}
				continue
			}
			var m widget.Message
			if err := json.Unmarshal(raw, &m); err != nil {
				out <- socketFrame{Type: "error", Error: &errorDetail{Code: codeBadRequest, Message: "frames are JSON objects with a text"}}
				continue
			}
			m.VisitorID = loc.visitor
			if !s.visitors.allow(fmt.Sprintf("%d:%s", loc.ch.ID, loc.visitor)) {
				out <- socketFrame{Type: "error", Error: &errorDetail{Code: codeRateLimited, Message: errVisitorLimit.message}}
				continue
			}
			in, err := s.inbound(loc.chatChannel, &m, loc.ip, conn.Headers(fiber.HeaderUserAgent))
			if err == nil {
				var res *contacts.InboundResult
				if res, err = s.router.Receive(ctx, in); err == nil {
					if !subscribed {
						subs <- s.router.Hub().Subscribe(res.Contact.ID)
						subscribed = true
					}
					v := messagesJSON([]contacts.Message{*res.Message})[0]
					out <- socketFrame{Type: "ack", Message: &v}
					continue
				}
			}
			_, body := errorResponse(err)
			out <- socketFrame{Type: "error", Error: &body.Error}
		}
	}()

	// Writer: the only goroutine that writes to the connection.
	var sub *gateway.Subscription
	var events <-chan gateway.Event
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	defer func() {
		if sub != nil {
			sub.Close()
		}
	}()
	for {
		var frame socketFrame
		select {
		case <-ctx.Done():
			return
		case sub = <-subs:
			events = sub.C
			continue
		case f := <-out:
			frame = f
		case ev, ok := <-events:
			if !ok {
				return
			}
			v := messagesJSON([]contacts.Message{ev.Message})[0]
			frame = socketFrame{Type: "message", Message: &v}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				return
			}
			continue
		}
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := conn.WriteJSON(frame); err != nil {
			return
		}
	}
}
