package contacts

import "time"

// LeadStatus is derived from a contact's activity; it is never set by hand.
type LeadStatus string

const (
	LeadNew      LeadStatus = "new"
	LeadActive   LeadStatus = "active"
	LeadFollowUp LeadStatus = "follow_up"
	LeadArchived LeadStatus = "archived"
)

// LeadStatuses lists every status, in funnel order.
var LeadStatuses = []LeadStatus{LeadNew, LeadActive, LeadFollowUp, LeadArchived}

// LeadScore rates how warm a lead is from conversation count and recency.
type LeadScore string

const (
	LeadHot  LeadScore = "hot"
	LeadWarm LeadScore = "warm"
	LeadCold LeadScore = "cold"
)

const (
	day             = 24 * time.Hour
	newLeadWindow   = 7 * day
	unansweredAfter = 7 * day
	activeWindow    = 30 * day
	archiveAfter    = 365 * day
	hotWindow       = 7 * day
)

// DeriveLead computes the lead status and score of c at now, and the next
// moment at which they could change with no new activity (so a scheduler only
// revisits contacts whose status may have gone stale).
//
// The score is hot for activity within 7 days from a returning contact
// (two or more conversations) or one who asked about prices, a demo or
// buying (intents the AI saw); warm for activity within 30 days; else cold.
//
// Precedence of the status, first match wins:
//  1. archived: opted out, or no activity for 12 months;
//  2. follow_up: the last inbound message has gone unanswered for 7 days;
//  3. new: at most one conversation and first seen within 7 days;
//  4. follow_up: the profile has neither email nor phone;
//  5. active: activity within 30 days (two or more conversations are the
//     usual case; a one-conversation lead past its first week that is still
//     talking is active too);
//  6. follow_up: otherwise (a lead that went quiet).
func DeriveLead(c *Contact, now time.Time) (LeadStatus, LeadScore, time.Time) {
	last := c.LastActivity()
	var next []time.Time
	status := func() LeadStatus {
		if c.DoNotContact {
			return LeadArchived
		}
		if now.Sub(last) >= archiveAfter {
			return LeadArchived
		}
		next = append(next, last.Add(archiveAfter))
		if c.LastOutboundAt.Before(c.LastInboundAt) {
			if now.Sub(c.LastInboundAt) >= unansweredAfter {
				return LeadFollowUp
			}
			next = append(next, c.LastInboundAt.Add(unansweredAfter))
		}
		if c.ConversationCount <= 1 && now.Sub(c.CreatedAt) < newLeadWindow {
			next = append(next, c.CreatedAt.Add(newLeadWindow))
			return LeadNew
		}
		if c.Email == "" && c.Phone == "" {
			return LeadFollowUp
		}
		if now.Sub(last) < activeWindow {
			next = append(next, last.Add(activeWindow))
			return LeadActive
		}
		return LeadFollowUp
	}()

	score := LeadCold
	if !c.DoNotContact {
		switch age := now.Sub(last); {
		case age < hotWindow && (c.ConversationCount >= 2 || c.HasBuyingIntent()):
			score = LeadHot
			next = append(next, last.Add(hotWindow))
		case age < activeWindow:
			score = LeadWarm
			next = append(next, last.Add(activeWindow))
		}
	}

	refresh := time.Time{}
	for _, t := range next {
		if t.After(now) && (refresh.IsZero() || t.Before(refresh)) {
			refresh = t
		}
	}
	if refresh.IsZero() {
		// Nothing changes by time alone; check again far in the future so the
		// column stays non-null and indexable.
		refresh = now.Add(archiveAfter)
	}
	return status, score, refresh
}

// ApplyLead stores the derived status and score on c.
func (c *Contact) ApplyLead(now time.Time) {
	c.LeadStatus, c.LeadScore, c.LeadRefreshAt = DeriveLead(c, now)
}
