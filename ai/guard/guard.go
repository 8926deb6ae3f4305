// Package guard is the last word on what an extractor may propose, whatever
// a model said: contact values must be the customer's own, written in the
// customer's own messages, in messages that do not try to instruct the
// system, and in a valid form. It drops rather than repairs, so a wrong
// value never reaches a profile.
package guard

import (
	"context"
	"math"

	"github.com/switchboard-oss/switchboard/ai"
)

// Limits on free text, generous for a note, tight enough that a model cannot
// bloat a profile.
const (
	maxMemories   = 20
	maxMemoryLen  = 200
	maxSummaryLen = 1000
	maxNameLen    = 100
	maxCompanyLen = 200
)

// Check returns a copy of ext without everything that fails the guards.
// region reads local phone numbers. A nil ext gives nil.
func Check(req ai.ExtractRequest, ext *ai.Extraction, region string) *ai.Extraction {
	if ext == nil {
		return nil
	}
	t := newTranscript(req.History, region)
	out := &ai.Extraction{Usage: ext.Usage}
	out.Email = t.email(ext.Email)
	out.Phone = t.phone(ext.Phone)
	out.FirstName = t.name(ext.FirstName)
	out.LastName = t.name(ext.LastName)
	out.Company = t.company(ext.Company)
	out.Country = t.country(ext.Country)
	out.Memories = t.memories(ext.Memories)
	out.Summary = t.summary(ext.Summary)
	out.ConversationSummary = t.summary(ext.ConversationSummary)
	out.Sentiment = t.sentiment(ext.Sentiment)
	out.Intents = t.intents(ext.Intents)
	return out
}

// Wrap runs Check on every result of e.
func Wrap(e ai.Extractor, region string) ai.Extractor {
	return wrapped{e: e, region: region}
}

type wrapped struct {
	e      ai.Extractor
	region string
}

// Extract passes e's error through untouched, so the job queue retries as
// it would without the guard.
func (w wrapped) Extract(ctx context.Context, req ai.ExtractRequest) (*ai.Extraction, error) {
	ext, err := w.e.Extract(ctx, req)
	if err != nil {
		return nil, err
	}
	return Check(req, ext, w.region), nil
}

// clamp puts a confidence in [0,1]; NaN is no confidence at all.
func clamp(f float64) float64 {
	switch {
	case math.IsNaN(f) || f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}
