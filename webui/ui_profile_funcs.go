package webui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// profileHelpers are the profile templates' formatting helpers, as
// methods embedded in each of its pages' data: they travel with the data,
// so a card rendered as a fragment has them too, and their names need no
// area prefix.
type profileHelpers struct{}

func (profileHelpers) Label(field string) string                      { return profileLabel(field) }
func (profileHelpers) Title(c *contacts.Contact) string               { return profileTitle(c) }
func (profileHelpers) Value(c *contacts.Contact, field string) string { return fieldValue(c, field) }
func (profileHelpers) Duration(cv contacts.Conversation) string       { return profileDuration(cv) }
func (profileHelpers) Sender(kind string) string                      { return senderLabel(kind) }
func (profileHelpers) Audit(action string) string                     { return profileAudit(action) }
func (profileHelpers) Changed(e contacts.AuditEntry) string           { return profileChanged(e) }
func (profileHelpers) Mood(label string) string                       { return profileMood(label) }
func (profileHelpers) Lead(st contacts.LeadStatus) string             { return profileLead(st) }
func (profileHelpers) Reason(reason string) string                    { return profileReason(reason) }
func (profileHelpers) MergeIDs(cs []*contacts.Contact) string         { return profileIDs(cs) }
func (profileHelpers) Percent(f float64) string                       { return fmt.Sprintf("%.0f%%", f*100) }

// HasSource reports whether the contact records where field came from.
func (profileHelpers) HasSource(c *contacts.Contact, field string) bool {
	_, ok := c.Sources[field]
	return ok
}

func (profileHelpers) Source(c *contacts.Contact, field string) contacts.FieldSource {
	return c.Sources[field]
}

// MergeFields are the single-valued fields a merge decides on, in the
// order the preview lists them.
func (profileHelpers) MergeFields() []string {
	return []string{"first_name", "last_name", "email", "phone", "company", "external_id", "country", "region", "city", "notes", "context"}
}

// profileDuration is how long a conversation ran: to its end, or to its
// last message while open.
func profileDuration(cv contacts.Conversation) string {
	end := cv.EndedAt
	if end.IsZero() {
		end = cv.LastMessageAt
	}
	if end.IsZero() || end.Before(cv.StartedAt) {
		return "–"
	}
	d := end.Sub(cv.StartedAt)
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

var auditLabels = map[string]string{
	contacts.AuditContactCreate:     "Created",
	contacts.AuditContactUpdate:     "Edited",
	contacts.AuditContactDelete:     "Deleted",
	contacts.AuditContactMerge:      "Merged",
	contacts.AuditMergeUndo:         "Merge undone",
	contacts.AuditNoteCreate:        "Note added",
	contacts.AuditContactEnrich:     "Enriched by the AI",
	contacts.AuditSuggestionAccept:  "Suggestion accepted",
	contacts.AuditErasureRequest:    "Deletion requested",
	contacts.AuditErasureCancel:     "Restored",
	contacts.AuditPurgeVisitor:      "Purged",
	contacts.AuditContactExport:     "Exported",
	contacts.AuditConversationClose: "Conversation closed",
}

// profileAudit names an audit action for people.
func profileAudit(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}

// profileChanged lists the profile fields an audited update changed, from
// its before and after snapshots.
func profileChanged(e contacts.AuditEntry) string {
	if len(e.Before) == 0 || len(e.After) == 0 {
		return ""
	}
	var before, after map[string]json.RawMessage
	if json.Unmarshal(e.Before, &before) != nil || json.Unmarshal(e.After, &after) != nil {
		return ""
	}
	var changed []string
	for k, v := range after {
		switch k {
		case "updated_at", "sources", "lead_status", "lead_score", "version":
			continue
		}
		if !bytes.Equal(before[k], v) {
			changed = append(changed, profileLabel(k))
		}
	}
	sort.Strings(changed)
	return strings.Join(changed, ", ")
}

// profileMood is the badge class of a sentiment.
func profileMood(label string) string {
	switch label {
	case "positive":
		return "ok"
	case "negative":
		return "danger"
	case "neutral", "":
		return ""
	}
	return "warn"
}

// profileLead names a lead status.
func profileLead(st contacts.LeadStatus) string {
	switch st {
	case contacts.LeadFollowUp:
		return "follow up"
	case "":
		return "unknown"
	}
	return string(st)
}

// profileReason says why the engine grouped contacts as duplicates.
func profileReason(reason string) string {
	switch reason {
	case "email":
		return "Same email address"
	case "phone":
		return "Phone is another contact's WhatsApp number"
	case "claimed":
		return "The AI heard a value another contact holds"
	case "name_company":
		return "Same name at the same company"
	}
	return reason
}

// profileIDs is the ids parameter of a merge of these contacts.
func profileIDs(cs []*contacts.Contact) string {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return idList(ids)
}

// profileInsights is the AI's learned context, read for display.
type profileInsights struct {
	Summary   string
	Sentiment string
	Trend     []trendPoint
	Intents   []intentSeen
	UpdatedAt time.Time
	Other     []keyValue
	// Source is set when staff or the API wrote the learned context.
	Source *contacts.FieldSource
}

type trendPoint struct {
	ConversationID int64
	Label          string
	Score          float64
	At             time.Time
}

type keyValue struct{ Key, Value string }

// intentSeen is an intent with the conversations the AI saw it in (none
// for intents learned before those were recorded).
type intentSeen struct {
	Name          string
	Conversations []int64
}

func profileInsightsOf(c *contacts.Contact) profileInsights {
	in := profileInsights{}
	seen := c.IntentConversations()
	for _, name := range c.Intents() {
		in.Intents = append(in.Intents, intentSeen{Name: name, Conversations: seen[name]})
	}
	if src, ok := c.Sources["learned_context"]; ok {
		in.Source = &src
	}
	for k, v := range c.LearnedContext {
		switch k {
		case "summary":
			in.Summary, _ = v.(string)
		case "sentiment":
			in.Sentiment, _ = v.(string)
		case "intents", "intent_conversations":
		case "updated_at":
			s, _ := v.(string)
			in.UpdatedAt, _ = time.Parse(time.RFC3339, s)
		case "sentiment_trend":
			list, _ := v.([]any)
			for _, p := range list {
				m, ok := p.(map[string]any)
				if !ok {
					continue
				}
				tp := trendPoint{}
				tp.Label, _ = m["label"].(string)
				tp.Score, _ = m["score"].(float64)
				if id, ok := m["conversation_id"].(float64); ok {
					tp.ConversationID = int64(id)
				}
				s, _ := m["at"].(string)
				tp.At, _ = time.Parse(time.RFC3339, s)
				in.Trend = append(in.Trend, tp)
			}
		default:
			s, ok := v.(string)
			if !ok {
				raw, _ := json.Marshal(v)
				s = string(raw)
			}
			in.Other = append(in.Other, keyValue{k, s})
		}
	}
	sort.Slice(in.Other, func(i, j int) bool { return in.Other[i].Key < in.Other[j].Key })
	return in
}

// Empty reports whether the AI has learned nothing yet.
func (in profileInsights) Empty() bool {
	return in.Summary == "" && in.Sentiment == "" && len(in.Trend) == 0 && len(in.Intents) == 0 && len(in.Other) == 0
}

// Points draws the sentiment trend as an SVG polyline in a 200 by 40 box:
// one point per conversation, -1 at the bottom, 1 at the top.
func (in profileInsights) Points() string {
	n := len(in.Trend)
	if n == 0 {
		return ""
	}
	parts := make([]string, n)
	for i, p := range in.Trend {
		x := 100.0
		if n > 1 {
			x = float64(i) * 196 / float64(n-1)
			x += 2
		}
		y := 20 - math.Max(-1, math.Min(1, p.Score))*17
		parts[i] = fmt.Sprintf("%.1f,%.1f", x, y)
	}
	return strings.Join(parts, " ")
}
