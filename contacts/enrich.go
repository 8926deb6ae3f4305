package contacts

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Enrichment is what the AI learned from a conversation, in the contact
// engine's terms (the gateway translates the ai package's results; this
// package knows no AI). Nothing in it is trusted: ApplyEnrichment validates
// every value and lets provenance decide.
type Enrichment struct {
	ConversationID int64
	Values         []ProposedValue
	Memories       []string
	// Summary is the learned context: who this customer is.
	Summary        string
	Sentiment      string // negative, neutral, positive; "" when unknown
	SentimentScore float64
	Intents        []string
	// ConversationSummary closes a conversation's enrichment.
	ConversationSummary string
}

// ProposedValue is one profile value the AI proposes.
type ProposedValue struct {
	Field      string // first_name, last_name, email, phone, company, country
	Value      string
	Confidence float64
	MessageIDs []int64
}

// EnrichableFields are the profile fields the AI may propose.
var EnrichableFields = []string{"first_name", "last_name", "email", "phone", "company", "country"}

// EnrichOutcome says what an enrichment did.
type EnrichOutcome struct {
	Applied     []string     `json:"applied"`     // fields the AI filled
	Suggestions []Suggestion `json:"suggestions"` // values that conflicted, for staff
	Claims      []Claim      `json:"-"`           // values another contact holds
	Memories    int          `json:"memories"`    // memories added
}

// ConversationInsights are written on the conversation an enrichment read.
type ConversationInsights struct {
	ConversationID int64
	Summary        string
	Sentiment      string
	SentimentScore float64
}

// Limits of the learned context, so it stays a profile and not a log.
const (
	maxSentimentTrend = 20
	// maxIntentConversations is how many conversations each intent
	// remembers as where it was seen (the newest).
	maxIntentConversations = 5
)

// AuditContactEnrich is the audit action of an AI enrichment.
const AuditContactEnrich = "contact.enrich"

// aiActor is who the audit log names for AI changes.
var aiActor = Actor{Kind: ActorAI, Name: "ai"}

// ApplyEnrichment applies what the AI learned to a contact: empty fields are
// filled (provenance ai), a value that differs from the contact's becomes a
// suggestion for staff (whatever the current value's source, so staff,
// API and import values are never overwritten), an email or phone another
// contact holds becomes a duplicate claim (never a merge), memories are
// de-duplicated, and the learned context keeps the summary, the sentiment
// trend and the intents. One transaction, audited with actor ai.
func (s *Service) ApplyEnrichment(ctx context.Context, projectID, contactID int64, e Enrichment) (*Contact, *EnrichOutcome, error) {
	now := s.now()
	var conv *ConversationInsights
	if e.ConversationID != 0 && (e.ConversationSummary != "" || e.Sentiment != "") {
		conv = &ConversationInsights{ConversationID: e.ConversationID, Summary: e.ConversationSummary,
			Sentiment: e.Sentiment, SentimentScore: e.SentimentScore}
	}
	c, out, err := s.store.EnrichContact(ctx, projectID, contactID, aiActor, now, conv,
		func(c *Contact, owner func(field, value string) int64) *EnrichOutcome {
			out := e.applyTo(c, now, s.region, owner)
			c.ApplyLead(now)
			return out
		})
	if err != nil {
		return nil, nil, fmt.Errorf("enrich contact %d: %w", contactID, err)
	}
	return c, out, nil
}

// applyTo is ApplyEnrichment's rule, on the contact as loaded.
func (e *Enrichment) applyTo(c *Contact, at time.Time, region string, owner func(field, value string) int64) *EnrichOutcome {
	out := &EnrichOutcome{}
	for _, v := range e.Values {
		value, ok := normalizeProposed(v.Field, v.Value, region)
		if !ok {
			continue
		}
		dst := fieldPtr(c, v.Field)
		switch {
		case strings.EqualFold(*dst, value):
		case *dst == "":
			if v.Field == "email" || v.Field == "phone" {
				if other := owner(v.Field, value); other != 0 {
					out.Claims = append(out.Claims, Claim{Field: v.Field, Value: value, OtherID: other})
					continue
				}
			}
			*dst = value
			c.SetSource(v.Field, SourceAI, at)
			out.Applied = append(out.Applied, v.Field)
		default:
			out.Suggestions = append(out.Suggestions, Suggestion{ProjectID: c.ProjectID, ContactID: c.ID, Field: v.Field,
				Value: value, Current: *dst, Confidence: clamp01(v.Confidence), MessageIDs: v.MessageIDs,
				Status: SuggestionPending, CreatedAt: at})
		}
	}
	out.Memories = c.addMemories(e.Memories)
	c.learn(e, at)
	return out
}

// normalizeProposed validates a proposed value with the engine's own rules.
func normalizeProposed(field, raw, region string) (string, bool) {
	var (
		v   string
		err error
	)
	switch field {
	case "email":
		v, err = NormalizeEmail(raw)
	case "phone":
		v, err = NormalizePhone(raw, region)
	case "country":
		v, err = normalizeCountry(raw)
		if err == nil && len(v) != 2 {
			return "", false // the AI gives codes; a free-text guess is not kept
		}
	case "first_name", "last_name":
		v, err = cleanText(field, raw, maxNameLen, false)
	case "company":
		v, err = cleanText(field, raw, maxShortLen, false)
	default:
		return "", false
	}
	return v, err == nil && v != ""
}

// addMemories appends the new facts not known yet (case-insensitively) and
// keeps the newest maxMemories; it returns how many it added.
func (c *Contact) addMemories(raw []string) int {
	fresh, err := normalizeMemories(raw)
	if err != nil {
		// Too many or too long at once: keep what passes one by one.
		fresh = nil
		for _, m := range raw {
			if ok, err := normalizeMemories([]string{m}); err == nil {
				fresh = append(fresh, ok...)
			}
		}
	}
	known := map[string]bool{}
	for _, m := range c.Memories {
		known[strings.ToLower(m)] = true
	}
	added := 0
	for _, m := range fresh {
		if known[strings.ToLower(m)] {
			continue
		}
		known[strings.ToLower(m)] = true
		c.Memories = append(c.Memories, m)
		added++
	}
	if over := len(c.Memories) - maxMemories; over > 0 {
		c.Memories = c.Memories[over:]
	}
	return added
}

// learn updates the learned context: the latest summary, the sentiment trend
// (one point per conversation, newest last) and the union of intents.
func (c *Contact) learn(e *Enrichment, at time.Time) {
	if e.Summary == "" && e.Sentiment == "" && len(e.Intents) == 0 {
		return
	}
	lc := map[string]any{}
	for k, v := range c.LearnedContext {
		lc[k] = v
	}
	if s, err := cleanText("learned_context", e.Summary, maxTextLen, true); err == nil && s != "" {
		lc["summary"] = s
	}
	if e.Sentiment != "" {
		point := map[string]any{"conversation_id": e.ConversationID, "label": e.Sentiment,
			"score": clampScore(e.SentimentScore), "at": at.UTC().Format(time.RFC3339)}
		var trend []any
		if old, ok := lc["sentiment_trend"].([]any); ok {
			for _, p := range old {
				if m, ok := p.(map[string]any); ok && toInt64(m["conversation_id"]) == e.ConversationID {
					continue // this conversation's earlier reading
				}
				trend = append(trend, p)
			}
		}
		trend = append(trend, point)
		if over := len(trend) - maxSentimentTrend; over > 0 {
			trend = trend[over:]
		}
		lc["sentiment_trend"] = trend
		lc["sentiment"] = e.Sentiment
	}
	if len(e.Intents) > 0 {
		intents := c.Intents()
		intents = unionStrings(intents, e.Intents)
		sort.Strings(intents)
		list := make([]any, len(intents))
		for i, s := range intents {
			list[i] = s
		}
		lc["intents"] = list
		if e.ConversationID != 0 {
			if seen, changed := c.intentSeenIn(e.Intents, e.ConversationID); changed {
				lc["intent_conversations"] = seen
			}
		}
	}
	lc["updated_at"] = at.UTC().Format(time.RFC3339)
	c.LearnedContext = lc
}

// Intents lists the intents the AI has seen in the contact's conversations.
func (c *Contact) Intents() []string {
	var out []string
	switch v := c.LearnedContext["intents"].(type) {
	case []any:
		for _, s := range v {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
	case []string:
		out = append(out, v...)
	}
	return out
}

// IntentConversations maps each intent to the conversations the AI saw it
// in, oldest first; intents learned before conversations were recorded
// have none.
func (c *Contact) IntentConversations() map[string][]int64 {
	raw, _ := c.LearnedContext["intent_conversations"].(map[string]any)
	out := make(map[string][]int64, len(raw))
	for intent, v := range raw {
		list, _ := v.([]any)
		for _, id := range list {
			if n := toInt64(id); n > 0 {
				out[intent] = append(out[intent], n)
			}
		}
	}
	return out
}

// intentSeenIn adds the conversation to each intent's list, keeping the
// newest maxIntentConversations; changed is false when every intent had it
// already, so a repeated enrichment leaves the contact as it was.
func (c *Contact) intentSeenIn(intents []string, conversationID int64) (map[string]any, bool) {
	seen := c.IntentConversations()
	changed := false
	for _, in := range intents {
		if slices.Contains(seen[in], conversationID) {
			continue
		}
		list := append(seen[in], conversationID)
		if over := len(list) - maxIntentConversations; over > 0 {
			list = list[over:]
		}
		seen[in] = list
		changed = true
	}
	out := make(map[string]any, len(seen))
	for in, ids := range seen {
		list := make([]any, len(ids))
		for i, id := range ids {
			list[i] = id
		}
		out[in] = list
	}
	return out, changed
}

// buyingIntents are the intents that make a recent lead hot.
var buyingIntents = map[string]bool{"pricing": true, "demo": true, "purchase": true}

// HasBuyingIntent reports whether the AI saw the contact ask about prices,
// a demo or buying.
func (c *Contact) HasBuyingIntent() bool {
	for _, i := range c.Intents() {
		if buyingIntents[i] {
			return true
		}
	}
	return false
}

func clamp01(f float64) float64 { return max(0, min(1, f)) }

func clampScore(f float64) float64 { return max(-1, min(1, f)) }

func toInt64(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	}
	return 0
}
