package webui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"
)

// The hosted chat page and the settings preview talk to the server they
// came from: its own origin passes whatever sites the channel allows.
func TestWidgetOwnOrigin(t *testing.T) {
	e := newEnv(t, func(s *Server) { s.publicURL = "https://chat.example.com/" })
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "livechat", "config": map[string]any{
		"allowed_origins": []string{"https://shop.example.com"}}}).must(t, 201).body["public_key"].(string)
	path := "/channels/widget/" + key
	port := e.base[strings.LastIndexByte(e.base, ':')+1:]
	for i, tc := range []struct {
		origin string
		ok     bool
	}{
		{e.base, true},                      // the page /chat/{key} as served here
		{"http://localhost:" + port, false}, // another host name than the request's
		{"https://chat.example.com", true},  // --public-url, behind a proxy
		{"http://chat.example.com", false},  // not the public URL's scheme
		{"https://shop.example.com", true},  // an allowed site
		{"https://evil.example", false},     // anyone else
		{"https://chat.example.com.evil.example", false},
		{"http://127.0.0.1:1", false},        // this host, another port
		{"https://127.0.0.1:" + port, false}, // this host and port, another scheme
		{"null", false},
	} {
		post := e.doOrigin(tc.origin, "POST", path+"/messages", fmt.Sprintf(`{"visitor_id": "visitor_own_%02d", "text": "hello"}`, i))
		ws := http.Header{"Origin": {tc.origin}}
		url := strings.Replace(e.base, "http://", "ws://", 1) + path + fmt.Sprintf("/ws?visitor_id=visitor_own_%02d", i)
		conn, resp, err := websocket.DefaultDialer.Dial(url, ws)
		if tc.ok {
			post.must(t, 201)
			e.doOrigin(tc.origin, "GET", path+"/config", nil).must(t, 200)
			if err != nil {
				t.Errorf("%s: socket refused: %v %v", tc.origin, err, resp)
				continue
			}
			conn.WriteJSON(map[string]string{"text": "over the socket"})
			// The visitor's socket also pushes the message itself, in
			// either order with the ack.
			if f, g := readFrame(t, conn), readFrame(t, conn); f.Type == "error" || g.Type == "error" || f.Type == g.Type {
				t.Errorf("%s: socket frames %+v %+v", tc.origin, f, g)
			}
			conn.Close()
			continue
		}
		post.mustError(t, 403, "forbidden")
		if err == nil || resp.StatusCode != 403 {
			t.Errorf("%s: socket not refused: %v %v", tc.origin, err, resp)
			if conn != nil {
				conn.Close()
			}
		}
	}
}
