package webui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

func TestWidgetSocket(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{
		"allowed_origins": []string{"https://shop.example.com"}}}).must(t, 201).body["public_key"].(string)
	wsURL := strings.Replace(e.base, "http://", "ws://", 1) + "/channels/widget/" + key + "/ws?visitor_id=visitor_socket1"
	hdr := http.Header{"Origin": {"https://shop.example.com"}}

	if _, resp, err := websocket.DefaultDialer.Dial(wsURL, http.Header{"Origin": {"https://evil.example"}}); err == nil || resp.StatusCode != 403 {
		t.Errorf("foreign origin: %v %v", err, resp)
	}
	if _, resp, err := websocket.DefaultDialer.Dial(strings.Replace(wsURL, "visitor_socket1", "x", 1), hdr); err == nil || resp.StatusCode != 422 {
		t.Errorf("bad visitor id: %v %v", err, resp)
	}
	e.doOrigin("https://shop.example.com", "GET", "/channels/widget/"+key+"/ws?visitor_id=visitor_socket1", nil).mustError(t, 426, "upgrade_required")

	conn, _, err := websocket.DefaultDialer.Dial(wsURL, hdr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	read := func() socketFrame {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		var f socketFrame
		if err := conn.ReadJSON(&f); err != nil {
			t.Fatalf("read: %v", err)
		}
		return f
	}
	conn.WriteJSON(map[string]string{"text": "Hello from the socket", "name": "Sol"})
	ack := read()
	if ack.Type != "ack" || ack.Message == nil || ack.Message.Text != "Hello from the socket" {
		t.Fatalf("ack: %+v", ack)
	}
	// The bot's greeting arrives live.
	e.drainJobs()
	bot := read()
	if bot.Type != "message" || bot.Message.SenderKind != "bot" || !strings.HasPrefix(bot.Message.Text, "Hi Sol!") {
		t.Fatalf("bot reply: %+v", bot)
	}
	e.do("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", ack.Message.ConversationID), map[string]any{"text": "Staff here!"}).must(t, 201)
	if staff := read(); staff.Type != "message" || staff.Message.SenderKind != "staff" || staff.Message.Text != "Staff here!" {
		t.Errorf("staff reply: %+v", staff)
	}
	// A second message: acknowledged, and pushed to every tab of the visitor.
	conn.WriteJSON(map[string]string{"text": "thanks"})
	if a, m := read(), read(); a.Type == m.Type || a.Message.ID != m.Message.ID {
		t.Errorf("second message: %+v %+v", a, m)
	}
	conn.WriteMessage(websocket.TextMessage, []byte("not json"))
	if f := read(); f.Type != "error" || f.Error == nil {
		t.Errorf("bad frame: %+v", f)
	}
	conn.WriteJSON(map[string]string{"text": ""})
	if f := read(); f.Type != "error" || f.Error.Code != "validation_failed" {
		t.Errorf("empty text: %+v", f)
	}
}

// A page view is not a contact: only the first message makes one.
func TestWidgetPageViewMakesNoContact(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"collect": []string{"email"}}}).must(t, 201).body["public_key"].(string)
	e.doOrigin("", "GET", "/widget.js", nil).must(t, 200)
	e.doOrigin("", "GET", "/channels/widget/"+key+"/config", nil).must(t, 200)
	e.doOrigin("", "GET", "/channels/widget/"+key+"/messages?visitor_id=visitor_view1", nil).must(t, 200)
	conn := e.dialWidget(key, "visitor_view1", nil)
	// A ping round trip: the server has run the socket's set-up.
	if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if n := e.countContacts(); n != 0 {
		t.Fatalf("%d contacts after a page view", n)
	}
	e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", `{"visitor_id": "visitor_view1", "text": "hi"}`).must(t, 201)
	if n := e.countContacts(); n != 1 {
		t.Errorf("%d contacts after the first message", n)
	}
}
