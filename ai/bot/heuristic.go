package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
)

// Heuristic is the responder that needs no network: it words req.Plan from
// fixed templates and quotes the project's FAQ, and says nothing it was
// not told. Region (ISO 3166 alpha-2) reads local phone numbers, as in
// Decide.
type Heuristic struct {
	Region string
}

var _ ai.Responder = Heuristic{}

// Respond carries out req.Plan (from Decide) and answers from the FAQ. It
// returns nil when a reply would add nothing (small talk after the first
// message), so the bot does not thank the customer for every message. It
// never fails.
func (h Heuristic) Respond(_ context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
	text, count, ok := lastCustomer(req.History)
	if !ok {
		return nil, nil
	}
	pb := phrasebooks[language(req.History)]
	plan := req.Plan
	if plan.Handoff {
		// A person takes over: no question, nothing they would have to
		// walk back.
		return &ai.Reply{Text: pb.handoff, Handoff: true}, nil
	}

	var parts []string
	name := ""
	if req.Contact != nil {
		name = req.Contact.FirstName
	}
	greeted := false
	if count == 1 {
		if name == "" {
			name = firstWord(plan.Confirmed["name"])
		}
		parts = append(parts, greeting(pb, name, req.Contact != nil && req.PreviousSummary != ""))
		greeted = name != ""
	}
	for _, f := range fields {
		v := plan.Confirmed[f]
		if v == "" || (f == "name" && greeted) {
			continue
		}
		if f == "name" {
			v = firstWord(v)
		}
		parts = append(parts, fmt.Sprintf(pb.saved[f], v))
	}
	if plan.Declined != "" {
		parts = append(parts, pb.noProblem)
	}

	// A message that answered the bot's question or gives contact details
	// is not also a question to look up ("my email is ..." is not asking
	// how to email the business), unless it plainly asks one too.
	answered := len(plan.Confirmed) > 0 || plan.Declined != "" || plan.AskAgain ||
		len(textscan.Emails(text)) > 0 || len(textscan.Phones(text, h.Region)) > 0
	asks := isQuestion(text)
	switch faq, found := knowledge(req.Bot.Knowledge).match(text); {
	case found && (!answered || asks):
		parts = append(parts, faq)
	case asks && !answered:
		parts = append(parts, pb.dontKnow)
	case count == 1 && !answered && len(terms(text)) == 0:
		parts = append(parts, pb.howHelp)
	case count == 1 && !answered:
		parts = append(parts, pb.received)
	}

	if plan.AskAgain {
		if s := pb.invalid[plan.Invalid]; s != "" {
			parts = append(parts, s)
		}
	} else if s := pb.ask[plan.Ask]; s != "" {
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	sep := " "
	if strings.Contains(strings.Join(parts, ""), "\n") {
		sep = "\n\n" // a multi-line FAQ answer reads better as its own paragraph
	}
	return &ai.Reply{Text: strings.Join(parts, sep)}, nil
}

// greeting opens a conversation, by name when known, as a welcome back when
// the contact had an earlier conversation.
func greeting(pb phrasebook, name string, returning bool) string {
	switch {
	case returning && name != "":
		return fmt.Sprintf(pb.welcomeName, name)
	case returning:
		return pb.welcome
	case name != "":
		return fmt.Sprintf(pb.hiName, name)
	}
	return pb.hi
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}
