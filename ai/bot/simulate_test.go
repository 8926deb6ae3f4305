package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// conversation drives Decide and Heuristic the way the gateway does:
// decide, reply, keep the new state, store confirmed values on the contact.
type conversation struct {
	t     *testing.T
	req   ai.ReplyRequest
	plans []ai.Plan
}

func newConversation(t *testing.T, bot ai.BotSettings) *conversation {
	return &conversation{t: t, req: ai.ReplyRequest{Contact: &contacts.Contact{}, Bot: bot}}
}

// say sends the customer's message and returns the bot's reply ("" for
// silence).
func (c *conversation) say(text string) string {
	c.req.History = append(c.req.History, ai.Turn{Role: contacts.SenderContact, Text: text})
	plan, st := Decide(c.req, "PT")
	c.req.Plan = plan
	r, err := Heuristic{Region: "PT"}.Respond(context.Background(), c.req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.req.State = st
	c.plans = append(c.plans, plan)
	for f, v := range plan.Confirmed {
		switch f {
		case "email":
			c.req.Contact.Email = v
		case "name":
			c.req.Contact.FirstName = firstWord(v)
		case "phone":
			c.req.Contact.Phone = v
		}
	}
	if r == nil {
		return ""
	}
	c.req.History = append(c.req.History, ai.Turn{Role: contacts.SenderBot, Text: r.Text})
	return r.Text
}

// count is how many turns' plans satisfy f.
func (c *conversation) count(f func(ai.Plan) bool) int {
	n := 0
	for _, p := range c.plans {
		if f(p) {
			n++
		}
	}
	return n
}

func TestConversationCollectsOnce(t *testing.T) {
	c := newConversation(t, ai.BotSettings{Enabled: true, CollectEmail: "after:1", Collect: []string{"name"}, Knowledge: faqText})
	steps := []struct{ say, contains string }{
		{"Hi, what are your opening hours?", "Hi! We're open Monday to Friday"},
		{"do you have parking?", "free parking"},
		{"sure, ana at example dot com", "saved your email as ana@example.com. May I have your name?"},
		{"ana silva", "Nice to meet you, Ana!"},
		{"thanks!", ""},
		{"how much is a cleaning?", "60 euros"},
		{"ok", ""},
		{"my email is ana@example.com by the way", ""},
		{"and do you sell toothbrushes?", "I'm not sure"},
		{"great", ""},
	}
	for i, s := range steps {
		got := c.say(s.say)
		if (s.contains == "") != (got == "") || !strings.Contains(got, s.contains) {
			t.Errorf("turn %d %q: reply %q, want it to contain %q", i+1, s.say, got, s.contains)
		}
	}
	if n := c.count(func(p ai.Plan) bool { return p.Ask == "email" || p.Invalid == "email" }); n != 1 {
		t.Errorf("email asked %d times", n)
	}
	if n := c.count(func(p ai.Plan) bool { return p.Confirmed["email"] != "" }); n != 1 {
		t.Errorf("email confirmed %d times", n)
	}
	if n := c.count(func(p ai.Plan) bool { return p.Ask == "name" }); n != 1 {
		t.Errorf("name asked %d times", n)
	}
	if c.req.Contact.Email != "ana@example.com" || c.req.Contact.FirstName != "Ana" {
		t.Errorf("contact %+v", c.req.Contact)
	}
}

func TestConversationDeclined(t *testing.T) {
	c := newConversation(t, ai.BotSettings{Enabled: true, CollectEmail: "start", Knowledge: faqText})
	c.say("hello")
	if got := c.say("no thanks"); got != "No problem." {
		t.Errorf("decline answered %q", got)
	}
	for _, m := range []string{"ok", "what about parking?", "fine", "bye"} {
		c.say(m)
	}
	if n := c.count(func(p ai.Plan) bool { return p.Ask != "" || p.AskAgain }); n != 1 {
		t.Errorf("asked %d times after all", n)
	}
}

func TestConversationInvalidTwice(t *testing.T) {
	c := newConversation(t, ai.BotSettings{Enabled: true, CollectEmail: "start", Collect: []string{"phone"}})
	c.say("hello")
	if got := c.say("ana@gmail"); !strings.Contains(got, "doesn't look like a valid email") {
		t.Errorf("first invalid answer: %q", got)
	}
	if got := c.say("ana.gmail.com"); got != "" {
		t.Errorf("second invalid answer: %q, want silence", got)
	}
	// The email is given up on; the phone comes next, once.
	if got := c.say("I need an appointment"); !strings.Contains(got, "phone number") {
		t.Errorf("next turn: %q", got)
	}
	c.say("912 345 678")
	if c.req.Contact.Phone != "+351912345678" || c.req.Contact.Email != "" {
		t.Errorf("contact %+v", c.req.Contact)
	}
	if n := c.count(func(p ai.Plan) bool { return p.Ask == "email" || p.Invalid == "email" }); n != 2 {
		t.Errorf("email asked %d times, want 2 (ask, ask again)", n)
	}
}

func TestConversationHandoff(t *testing.T) {
	c := newConversation(t, ai.BotSettings{Enabled: true, CollectEmail: "after:2"})
	c.say("hi")
	if got := c.say("this is ridiculous, worst service ever"); !strings.Contains(got, "member of our team") || strings.Contains(got, "?") {
		t.Errorf("handoff reply %q", got)
	}
	if p := c.plans[len(c.plans)-1]; !p.Handoff || p.Ask != "" {
		t.Errorf("plan %+v", p)
	}
}
