package natsbus

import (
	"os"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/gateway"
)

// TestProjectEventsCrossProcesses: a conversation closed by one process
// reaches the inbox stream another process holds, kind and all.
func TestProjectEventsCrossProcesses(t *testing.T) {
	url := os.Getenv("SWITCHBOARD_TEST_NATS_URL")
	if url == "" {
		t.Skip("SWITCHBOARD_TEST_NATS_URL is not set")
	}
	hubs := make([]*gateway.Hub, 2)
	for i := range hubs {
		bus, err := Connect(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(bus.Close)
		hubs[i] = gateway.NewHub()
		if err := hubs[i].UseBus(bus); err != nil {
			t.Fatal(err)
		}
	}
	project := time.Now().UnixNano() // unique per run: other runs may share the server
	sub := hubs[1].SubscribeProject(project)
	defer sub.Close()
	hubs[0].Publish(gateway.Event{Kind: gateway.EventConversationClosed, ProjectID: project, ContactID: 3, ConversationID: 9})
	select {
	case ev := <-sub.C:
		if ev.Kind != gateway.EventConversationClosed || ev.Conversation() != 9 || ev.ContactID != 3 {
			t.Errorf("event %+v", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event did not cross processes")
	}
}
