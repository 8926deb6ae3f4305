package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// BenchmarkEnrichJob is one enrichment run as the worker does it: load the
// conversation and contact, read the history, extract with the heuristic
// behind the guard, apply under the provenance rules, on SQLite.
func BenchmarkEnrichJob(b *testing.B) {
	ctx := context.Background()
	db := sqlstore.OpenTest(b)
	now := time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
	svc := contacts.NewService(contacts.Config{Store: db, Clock: func() time.Time { return now }, Logger: quiet})
	p, err := svc.CreateProject(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	r := New(Config{Service: svc, Queue: db, Clock: func() time.Time { return now }, Logger: quiet})
	lines := []string{"Hi there", "My name is Ana Silva and I work at Initech", "do you have pricing for 20 seats?",
		"I prefer morning calls", "you can reach me at ana.silva at initech dot com", "or +1 415 555 0100", "thanks!"}
	var res *contacts.InboundResult
	for i, text := range lines {
		now = now.Add(time.Second)
		if res, err = svc.RecordInbound(ctx, contacts.Inbound{ProjectID: p.ID, Channel: contacts.ChannelTelegram, ExternalID: "1",
			ChannelMessageID: fmt.Sprint(i), Text: text, At: now}, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	payload, _ := json.Marshal(enrichJob{ConversationID: res.Conversation.ID, ContactID: res.Contact.ID})
	job := &contacts.QueuedJob{ProjectID: p.ID, Kind: JobEnrich, Payload: payload, Attempts: 1}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.enrich(ctx, job); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	c, _ := svc.GetContact(ctx, p.ID, res.Contact.ID)
	if c.Email != "ana.silva@initech.com" || c.Company != "Initech" {
		b.Fatalf("not enriched: %+v", c)
	}
}
