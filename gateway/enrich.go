package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// JobEnrich runs the extractor over a conversation. Its payload is an
// enrichJob; a Final run also summarises the conversation and closes it.
const JobEnrich = "ai.enrich"

type enrichJob struct {
	ConversationID int64 `json:"conversation_id"`
	ContactID      int64 `json:"contact_id"`
	Final          bool  `json:"final,omitempty"`
}

// maxEnrichTurns is how many of a conversation's latest turns an extractor
// reads; the extractor trims further to its own token budget.
const maxEnrichTurns = 100

// queueEnrichment schedules a conversation's enrichment: one run after a
// burst of messages settles (each message moves the pending run), and the
// final run once the conversation has been idle long enough to close.
func (r *Router) queueEnrichment(ctx context.Context, projectID int64, conv *contacts.Conversation) error {
	now := r.cfg.Service.Now()
	runs := []struct {
		key   string
		final bool
		at    time.Time
	}{
		{"enrich:" + strconv.FormatInt(conv.ID, 10), false, now.Add(r.cfg.EnrichDebounce)},
		{"summary:" + strconv.FormatInt(conv.ID, 10), true, later(now, conv.LastMessageAt).Add(r.cfg.Idle + time.Second)},
	}
	for _, run := range runs {
		if err := r.queueEnrichRun(ctx, projectID, conv, run.key, run.final, run.at); err != nil {
			return err
		}
	}
	r.worker.Notify()
	return nil
}

func (r *Router) queueEnrichRun(ctx context.Context, projectID int64, conv *contacts.Conversation, key string, final bool, at time.Time) error {
	payload, _ := json.Marshal(enrichJob{ConversationID: conv.ID, ContactID: conv.ContactID, Final: final})
	err := r.cfg.Queue.EnqueueKeyed(ctx, &contacts.QueuedJob{ProjectID: projectID, Kind: JobEnrich, Payload: payload,
		RunAt: at, CreatedAt: r.cfg.Service.Now()}, key)
	if err != nil {
		return fmt.Errorf("queue enrichment of conversation %d: %w", conv.ID, err)
	}
	return nil
}

// CloseConversation closes a conversation for staff and summarises it now.
func (r *Router) CloseConversation(ctx context.Context, projectID, id int64) error {
	if err := r.cfg.Service.CloseConversation(ctx, projectID, id); err != nil {
		return err
	}
	conv, err := r.cfg.Service.Conversation(ctx, projectID, id)
	if err != nil {
		return err
	}
	r.hub.Publish(Event{Kind: EventConversationClosed, ProjectID: projectID, ContactID: conv.ContactID, ConversationID: id})
	if conv.ContactID == 0 {
		return nil
	}
	if err := r.queueEnrichRun(ctx, projectID, conv, "summary:"+strconv.FormatInt(id, 10), true, r.cfg.Service.Now()); err != nil {
		return err
	}
	r.worker.Notify()
	return nil
}

// enrich is the JobEnrich handler.
func (r *Router) enrich(ctx context.Context, job *contacts.QueuedJob) error {
	var p enrichJob
	if err := json.Unmarshal(job.Payload, &p); err != nil {
		return fmt.Errorf("decode job payload: %w", err)
	}
	svc := r.cfg.Service
	conv, err := svc.Conversation(ctx, job.ProjectID, p.ConversationID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if conv.ContactID == 0 {
		return nil // the contact was erased; its history is anonymous now
	}
	if p.Final && conv.Status == contacts.ConversationOpen {
		if svc.Now().Before(conv.LastMessageAt.Add(r.cfg.Idle)) {
			return nil // it went on; the latest message queued the final run anew
		}
		switch err := svc.CloseConversation(ctx, job.ProjectID, conv.ID); {
		case err == nil:
			r.hub.Publish(Event{Kind: EventConversationClosed, ProjectID: job.ProjectID, ContactID: conv.ContactID, ConversationID: conv.ID})
		case !errors.Is(err, contacts.ErrConflict):
			return err
		}
	}
	c, err := svc.GetContact(ctx, job.ProjectID, conv.ContactID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	history, err := r.history(ctx, job.ProjectID, conv.ID, 0, maxEnrichTurns)
	if err != nil {
		return err
	}
	if !hasCustomerTurn(history) {
		return nil
	}
	req := ai.ExtractRequest{ProjectID: job.ProjectID, Contact: c, History: history, Final: p.Final}
	extractor := r.extractor
	if job.Attempts >= r.worker.MaxAttempts {
		// The model has failed this job every time: the heuristic's
		// reading is better than none.
		extractor = r.fallbackExtractor
	}
	ext, err := extractor.Extract(ctx, req)
	if err != nil {
		if !errors.Is(err, ai.ErrUnavailable) {
			return fmt.Errorf("extract conversation %d: %w", conv.ID, err)
		}
		r.log.Warn("model unavailable for enrichment; using the heuristic", "conversation_id", conv.ID, "error", err)
		if ext, err = r.fallbackExtractor.Extract(ctx, req); err != nil {
			return fmt.Errorf("extract conversation %d: %w", conv.ID, err)
		}
	}
	if ext == nil {
		return nil
	}
	_, out, err := svc.ApplyEnrichment(ctx, job.ProjectID, c.ID, toEnrichment(conv.ID, ext, p.Final))
	if errors.Is(err, contacts.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	r.log.Debug("enriched", "contact_id", c.ID, "conversation_id", conv.ID, "applied", out.Applied,
		"suggestions", len(out.Suggestions), "claims", len(out.Claims), "memories", out.Memories)
	return nil
}

func hasCustomerTurn(h []ai.Turn) bool {
	for _, t := range h {
		if t.Role == contacts.SenderContact {
			return true
		}
	}
	return false
}

// toEnrichment translates an extraction into the contact engine's terms.
func toEnrichment(conversationID int64, x *ai.Extraction, final bool) contacts.Enrichment {
	e := contacts.Enrichment{ConversationID: conversationID}
	for field, v := range map[string]*ai.Value{"first_name": x.FirstName, "last_name": x.LastName, "email": x.Email,
		"phone": x.Phone, "company": x.Company, "country": x.Country} {
		if v != nil && v.Value != "" {
			e.Values = append(e.Values, contacts.ProposedValue{Field: field, Value: v.Value, Confidence: v.Confidence, MessageIDs: v.MessageIDs})
		}
	}
	for _, m := range x.Memories {
		e.Memories = append(e.Memories, m.Value)
	}
	if x.Summary != nil {
		e.Summary = x.Summary.Value
	}
	if x.Sentiment != nil {
		e.Sentiment, e.SentimentScore = x.Sentiment.Label, x.Sentiment.Score
	}
	for _, i := range x.Intents {
		e.Intents = append(e.Intents, i.Value)
	}
	if final && x.ConversationSummary != nil {
		e.ConversationSummary = x.ConversationSummary.Value
	}
	return e
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
