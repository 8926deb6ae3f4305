package bot

import (
	"context"
	"fmt"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// BenchmarkRespond is one reply's cost on a 20-turn conversation: the flow
// and the templated reply with an FAQ lookup.
func BenchmarkRespond(b *testing.B) {
	var texts []string
	for i := range 10 {
		texts = append(texts, fmt.Sprintf("message %d: do you have parking near the clinic?", i), "Yes, there is free parking.")
	}
	texts[len(texts)-1] = "what are your opening hours on saturday?"
	req := ai.ReplyRequest{
		Contact: &contacts.Contact{FirstName: "Ana"},
		History: turns(texts[:19]...),
		Bot:     ai.BotSettings{Enabled: true, CollectEmail: "after:3", Collect: []string{"phone"}, Knowledge: faqText},
	}
	req.History = append(req.History, ai.Turn{Role: contacts.SenderContact, Text: texts[19]})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		plan, _ := Decide(req, "PT")
		req.Plan = plan
		if r, err := (Heuristic{}).Respond(ctx, req); err != nil || r == nil {
			b.Fatal(r, err)
		}
	}
}
