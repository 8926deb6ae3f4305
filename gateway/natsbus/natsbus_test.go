package natsbus

import (
	"os"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/gateway"
)

// TestTwoProcesses connects two hubs, as two serve processes would, to the
// NATS server named by SWITCHBOARD_TEST_NATS_URL (.ci/run sets it).
func TestTwoProcesses(t *testing.T) {
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
	contact := time.Now().UnixNano() // unique per run: other runs may share the server
	sub := hubs[1].Subscribe(contact)
	defer sub.Close()
	hubs[0].Publish(gateway.Event{ProjectID: 1, ContactID: contact, Message: contacts.Message{ID: 7, Text: "from the other process"}})
	select {
	case ev := <-sub.C:
		if ev.Message.Text != "from the other process" || ev.Message.ID != 7 {
			t.Errorf("event %+v", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event did not cross processes")
	}
}
