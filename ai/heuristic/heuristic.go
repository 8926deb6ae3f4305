// Package heuristic is the extractor that needs no network: it reads the
// customer's own messages with ai/textscan's patterns. It is the embedded
// default, and the floor a model must beat on the evaluation set.
package heuristic

import (
	"context"
	"maps"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/textscan"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Extractor reads contact details, notes, sentiment and intents from a
// conversation. Region (ISO 3166 alpha-2) reads phone numbers written
// without a country code.
type Extractor struct {
	Region string
}

var _ ai.Extractor = Extractor{}

// turn is a customer message with what the scan needs to know about it.
type turn struct {
	ai.Turn
	// asked is the field the bot or staff asked for just before: email,
	// name, phone or "".
	asked string
	// injection marks a message that tries to instruct the system; nothing
	// is taken from it.
	injection bool
	// offered are the emails and phones the business gave as its own in
	// earlier turns; a customer repeating one is quoting it.
	offered map[string]bool
}

// Extract never fails: a conversation it cannot read gives an empty
// extraction.
func (e Extractor) Extract(ctx context.Context, req ai.ExtractRequest) (*ai.Extraction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	turns, others := split(req.History, e.Region)
	out := &ai.Extraction{}
	out.Email = pickEmail(turns)
	out.Phone = pickPhone(turns, e.Region)
	out.FirstName, out.LastName = pickName(turns, others)
	out.Company = pickCompany(turns)
	out.Country = pickCountry(turns, out.Phone)
	out.Memories = memories(turns)
	out.Sentiment = sentiment(turns)
	out.Intents = intents(turns)
	out.Summary = summary(out)
	if req.Final {
		out.ConversationSummary = conversationSummary(req.History, turns, out)
	}
	return out, nil
}

// split returns the customer's turns in order, each marked with what was
// asked before it, and the text of everyone else's turns.
func split(history []ai.Turn, region string) (turns []turn, others []string) {
	asked := ""
	offered := map[string]bool{}
	for _, t := range history {
		if t.Role != contacts.SenderContact {
			others = append(others, t.Text)
			asked = askedFor(t.Text)
			for _, v := range textscan.OfferedEmails(t.Text) {
				offered[v] = true
			}
			for _, v := range textscan.OfferedPhones(t.Text, region) {
				offered[v] = true
			}
			continue
		}
		turns = append(turns, turn{Turn: t, asked: asked, injection: textscan.Injection(t.Text), offered: maps.Clone(offered)})
		asked = ""
	}
	return turns, others
}
