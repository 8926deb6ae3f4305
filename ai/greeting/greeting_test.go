package greeting

import (
	"context"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestGreeting(t *testing.T) {
	ana := &contacts.Contact{FirstName: "Ana"}
	cases := []struct {
		name    string
		c       *contacts.Contact
		history []string // roles alternate from the customer's first message
		want    string
		handoff bool
	}{
		{"first message, known name", ana, []string{"hello"}, "Hi Ana! Thanks for your message. We'll get back to you here shortly.", false},
		{"first message, no name", &contacts.Contact{}, []string{"hello"}, "Hi! Thanks for your message. We'll get back to you here shortly.", false},
		{"later message", ana, []string{"hello", "Hi Ana!", "more"}, "", false},
		{"asks for a person", ana, []string{"hello", "Hi Ana!", "Can I talk to a human please"}, "Of course, I'm passing you to a member of our team. They'll reply here.", true},
	}
	for _, tc := range cases {
		var h []ai.Turn
		for i, text := range tc.history {
			role := contacts.SenderContact
			if i%2 == 1 {
				role = contacts.SenderBot
			}
			h = append(h, ai.Turn{Role: role, Text: text})
		}
		r, err := Responder{}.Respond(context.Background(), ai.ReplyRequest{Contact: tc.c, History: h})
		if err != nil {
			t.Fatal(err)
		}
		got, handoff := "", false
		if r != nil {
			got, handoff = r.Text, r.Handoff
		}
		if got != tc.want || handoff != tc.handoff {
			t.Errorf("%s: got %q handoff=%v", tc.name, got, handoff)
		}
	}
}
