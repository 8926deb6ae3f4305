package webui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/channels/widget/geoiptest"
)

// The pre-chat form's fields are refused as the contacts API refuses them,
// not silently dropped, and nothing is stored.
func TestWidgetPreChatValidation(t *testing.T) {
	e := newEnv(t)
	key := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget"}).must(t, 201).body["public_key"].(string)
	long := strings.Repeat("n", 300)
	api := e.do("POST", "/api/v1/contacts", map[string]any{"first_name": long}).mustError(t, 422, "validation_failed")
	for field, body := range map[string]string{
		"name":  `{"visitor_id": "visitor_form1", "text": "hi", "name": "` + long + `"}`,
		"email": `{"visitor_id": "visitor_form1", "text": "hi", "email": "` + long + `@example.com"}`,
		"phone": `{"visitor_id": "visitor_form1", "text": "hi", "phone": "12"}`,
	} {
		r := e.doOrigin("", "POST", "/channels/widget/"+key+"/messages", body).mustError(t, 422, "validation_failed")
		if field == "name" && r.errFields()["name"] != api.errFields()["first_name"] {
			t.Errorf("name: %v, the API says %v", r.errFields(), api.errFields())
		} else if r.errFields()[field] == nil {
			t.Errorf("%s: %s", field, r.raw)
		}
	}
	conn := e.dialWidget(key, "visitor_form2", nil)
	conn.WriteJSON(map[string]string{"text": "hi", "name": long})
	if f := readFrame(t, conn); f.Type != "error" || f.Error.Code != "validation_failed" || f.Error.Fields["name"] == "" {
		t.Errorf("socket: %+v", f)
	}
	if n := e.countContacts(); n != 0 {
		t.Errorf("%d contacts from refused messages", n)
	}
}

func TestWidgetGeoIPDatabaseChecked(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	notMMDB := filepath.Join(dir, "city.mmdb")
	if err := os.WriteFile(notMMDB, []byte("PK\x03\x04 a zip, not a MaxMind database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "missing.mmdb"), notMMDB, dir} {
		r := e.do("POST", "/api/v1/channels", map[string]any{"type": "widget", "config": map[string]any{"geoip_db": path}}).mustError(t, 422, "validation_failed")
		if r.errFields()["config.geoip_db"] == nil {
			t.Errorf("%s: %s", path, r.raw)
		}
	}
	ch := e.do("POST", "/api/v1/channels", map[string]any{"type": "livechat", "config": map[string]any{
		"geoip_db": geoiptest.Write(t, geoiptest.Place{Network: "203.0.113.0/24", Country: "PT"})}}).must(t, 201)
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", ch.id()), map[string]any{"config": map[string]any{"geoip_db": notMMDB}}).mustError(t, 422, "validation_failed")
	e.do("PATCH", fmt.Sprintf("/api/v1/channels/%d", ch.id()), map[string]any{"config": map[string]any{"geoip_db": ""}}).must(t, 200)
}
