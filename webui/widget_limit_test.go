package webui

import (
	"fmt"
	"testing"
)

// One address may send visitorIPLimit messages a minute, whatever visitor
// ids it uses, over HTTP and WebSocket together.
func TestWidgetAddressLimitHTTP(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	path := "/channels/widget/" + key + "/messages"
	for i := 0; i < visitorIPLimit; i++ {
		e.doOrigin("", "POST", path, fmt.Sprintf(`{"visitor_id": "visitor_%04d", "text": "msg"}`, i)).must(t, 201)
	}
	e.doOrigin("", "POST", path, `{"visitor_id": "visitor_fresh", "text": "one too many"}`).mustError(t, 429, "rate_limited")
	// The socket shares the count.
	conn := e.dialWidget(key, "visitor_socket", nil)
	conn.WriteJSON(map[string]string{"text": "and over the socket"})
	if f := readFrame(t, conn); f.Type != "error" || f.Error.Code != "rate_limited" {
		t.Errorf("socket after the HTTP limit: %+v", f)
	}
	// Polls are counted apart: reading replies still works.
	e.doOrigin("", "GET", path+"?visitor_id=visitor_0001", nil).must(t, 200)
}

func TestWidgetAddressLimitSocket(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	sent := 0
	for v := 0; sent < visitorIPLimit; v++ {
		conn := e.dialWidget(key, fmt.Sprintf("visitor_ws_%04d", v), nil)
		for i := 0; i < visitorLimit && sent < visitorIPLimit; i++ {
			conn.WriteJSON(map[string]string{"text": fmt.Sprintf("msg %d", i)})
			sent++
			for f := readFrame(t, conn); f.Type != "ack"; f = readFrame(t, conn) {
				if f.Type == "error" {
					t.Fatalf("message %d refused: %+v", sent, f.Error)
				}
			}
		}
		conn.Close()
	}
	conn := e.dialWidget(key, "visitor_ws_last", nil)
	conn.WriteJSON(map[string]string{"text": "one too many"})
	if f := readFrame(t, conn); f.Type != "error" || f.Error.Code != "rate_limited" {
		t.Errorf("message %d: %+v", visitorIPLimit+1, f)
	}
	e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", `{"visitor_id": "visitor_http", "text": "and over HTTP"}`).mustError(t, 429, "rate_limited")
}
