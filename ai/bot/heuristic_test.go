package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestHeuristicRespond(t *testing.T) {
	ana := &contacts.Contact{FirstName: "Ana"}
	faq := ai.BotSettings{Enabled: true, Knowledge: faqText}
	cases := []struct {
		name    string
		req     ai.ReplyRequest
		want    string // "" means silence
		handoff bool
	}{
		{name: "greets by name", req: ai.ReplyRequest{Contact: ana, History: turns("hello")},
			want: "Hi Ana! How can I help you today?"},
		{name: "greets without a name", req: ai.ReplyRequest{History: turns("hi there")},
			want: "Hi! How can I help you today?"},
		{name: "welcome back", req: ai.ReplyRequest{Contact: ana, PreviousSummary: "Booked a cleaning.", History: turns("hello again")},
			want: "Welcome back, Ana! How can I help you today?"},
		{name: "first message with something to say", req: ai.ReplyRequest{Contact: ana, History: turns("I have a problem with my crown")},
			want: "Hi Ana! Thanks for your message. A member of our team will get back to you here shortly."},
		{name: "greeting, FAQ answer and the email question", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("Hi! What are your opening hours?"), Plan: ai.Plan{Ask: "email"}},
			want: "Hi Ana! We're open Monday to Friday, 9am to 6pm, and Saturday 10am to 2pm. May I have your email address so we can follow up if we get disconnected?"},
		{name: "FAQ answer later on", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("hi", "Hi Ana!", "is there parking near you?")},
			want: "Yes, there is free parking behind the building."},
		{name: "FAQ answer without a question mark", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("hi", "Hi Ana!", "price of a cleaning")},
			want: "A standard cleaning costs 60 euros."},
		{name: "does not know", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("hi", "Hi Ana!", "Do you sell gift cards?")},
			want: "I'm not sure about that, and I'd rather not guess. A member of our team will follow up here."},
		{name: "does not know without knowledge", req: ai.ReplyRequest{Contact: ana,
			History: turns("hi", "Hi Ana!", "how much is a whitening?")},
			want: "I'm not sure about that, and I'd rather not guess. A member of our team will follow up here."},
		{name: "silent on small talk", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("hi", "Hi Ana!", "ok thanks")}},
		{name: "silent on an unrelated statement while a question is pending", req: ai.ReplyRequest{Contact: ana, Bot: faq,
			History: turns("hi", "May I have your email?", "my tooth hurts"), State: pending("email", 1)}},
		{name: "handoff", req: ai.ReplyRequest{Contact: ana, History: turns("hi", "Hi!", "talk to a person"),
			Plan: ai.Plan{Handoff: true, Ask: "email"}},
			want: "Of course — I'm passing you to a member of our team. They'll reply here.", handoff: true},
		{name: "confirms the email and asks the name", req: ai.ReplyRequest{History: turns("hi", "email?", "ana@example.com"),
			Plan: ai.Plan{Confirmed: map[string]string{"email": "ana@example.com"}, Ask: "name"}},
			want: "Thanks! I've saved your email as ana@example.com. May I have your name?"},
		{name: "confirms the name", req: ai.ReplyRequest{History: turns("hi", "name?", "I'm Ana Silva"),
			Plan: ai.Plan{Confirmed: map[string]string{"name": "Ana Silva"}}},
			want: "Nice to meet you, Ana!"},
		{name: "greets by a name given in the first message", req: ai.ReplyRequest{History: turns("Hi, my name is Ana"),
			Plan: ai.Plan{Confirmed: map[string]string{"name": "Ana"}}},
			want: "Hi Ana!"},
		{name: "invalid email", req: ai.ReplyRequest{History: turns("hi", "email?", "ana@gmail"),
			Plan: ai.Plan{AskAgain: true, Invalid: "email"}},
			want: "Hmm, that doesn't look like a valid email address. Could you check it?"},
		{name: "declined", req: ai.ReplyRequest{History: turns("hi", "email?", "no thanks"), Plan: ai.Plan{Declined: "email"}},
			want: "No problem."},
		{name: "asks for the phone", req: ai.ReplyRequest{History: turns("hi", "Hi!", "I'd like an appointment"), Plan: ai.Plan{Ask: "phone"}},
			want: "May I have a phone number we can reach you on?"},
		{name: "answers a question asked with an answer", req: ai.ReplyRequest{Bot: faq,
			History: turns("hi", "email?", "ana@example.com. Do you have parking?"),
			Plan:    ai.Plan{Confirmed: map[string]string{"email": "ana@example.com"}}},
			want: "Thanks! I've saved your email as ana@example.com. Yes, there is free parking behind the building."},
		{name: "spanish", req: ai.ReplyRequest{Contact: ana, History: turns("hola, quiero una cita para mañana"), Plan: ai.Plan{Ask: "email"}},
			want: "¡Hola, Ana! Gracias por tu mensaje. Una persona de nuestro equipo te responderá aquí en breve. ¿Me dejas tu correo electrónico para poder contactarte si se corta la conversación?"},
		{name: "language carries over a bare answer", req: ai.ReplyRequest{History: turns("hola, necesito una cita", "¿correo?", "ana@gmail"),
			Plan: ai.Plan{AskAgain: true, Invalid: "email"}},
			want: "Mmm, esa dirección de correo no parece válida. ¿Podrías revisarla?"},
		{name: "german handoff", req: ai.ReplyRequest{History: turns("Ich möchte mit einem Menschen sprechen"), Plan: ai.Plan{Handoff: true}},
			want: "Natürlich – ich gebe Sie an jemanden aus unserem Team weiter. Die Antwort kommt hier.", handoff: true},
		{name: "empty history", req: ai.ReplyRequest{Contact: ana}},
		{name: "nil everything", req: ai.ReplyRequest{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Heuristic{}.Respond(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got, handoff := "", false
			if r != nil {
				got, handoff = r.Text, r.Handoff
				if got == "" {
					t.Error("empty reply instead of nil")
				}
			}
			if got != tc.want || handoff != tc.handoff {
				t.Errorf("got %q (handoff %v)\nwant %q (handoff %v)", got, handoff, tc.want, tc.handoff)
			}
		})
	}
}

// TestHeuristicNeverAsksOnHandoff: whatever the plan, a handoff reply holds
// no question.
func TestHeuristicNeverAsksOnHandoff(t *testing.T) {
	plan := ai.Plan{Handoff: true, Ask: "email", AskAgain: true, Invalid: "phone"}
	r, _ := Heuristic{}.Respond(context.Background(), ai.ReplyRequest{History: turns("agent!"), Plan: plan})
	if r == nil || !r.Handoff || strings.Contains(r.Text, "?") {
		t.Errorf("reply %+v", r)
	}
}
