package webui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels/meta"
	"github.com/switchboard-oss/switchboard/channels/meta/metatest"
)

// A Graph API that never answers must not hold up the acknowledgement: all
// profile lookups of a notification share a short budget, the senders stay
// unnamed, and every message is stored.
func TestMetaWebhookProfileBudget(t *testing.T) {
	graph := metatest.NewFakeGraph(t)
	graph.StallProfiles()
	e := newEnv(t)
	_, hook := e.messengerChannel(graph)
	var events []string
	for i := 1; i <= 3; i++ { // three new senders, each worth a lookup
		events = append(events, fmt.Sprintf(`{"sender": {"id": "70000000000000%d"}, "recipient": {"id": "1234567890"}, "timestamp": 176700000010%d,
			"message": {"mid": "m_slow%d", "text": "hello %d"}}`, i, i, i, i))
	}
	payload := []byte(`{"object": "page", "entry": [{"id": "1234567890", "time": 1767000000123, "messaging": [` + strings.Join(events, ",") + `]}]}`)
	start := time.Now()
	r := e.metaPost(hook, meta.Sign(payload, metaSecret), payload)
	took := time.Since(start)
	if r.status != 200 || string(r.raw) != "EVENT_RECEIVED" {
		t.Fatalf("notification: %d %s", r.status, r.raw)
	}
	if took > profileTime+time.Second {
		t.Errorf("answered after %s: the stalled profile lookups were waited out one by one", took)
	}
	if n := graph.ProfileRequests(); n < 1 {
		t.Errorf("%d profile lookups: the budget was not exercised", n)
	}
	list := e.do("GET", "/api/v1/contacts?channel=messenger", nil).must(t, 200).list("contacts")
	if len(list) != 3 {
		t.Fatalf("contacts: %v", list)
	}
	for _, c := range list {
		if c["first_name"] != nil && c["first_name"] != "" {
			t.Errorf("named without a profile: %v", c)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM messages WHERE project_id = ? AND channel_message_id LIKE 'm_slow%'`, e.project.ID); n != 3 {
		t.Errorf("%d of 3 messages stored", n)
	}
}
