package contacts

import (
	"context"
	"fmt"
	"time"
)

// DashboardDays is how many days, today included, the series of new
// contacts per day covers.
const DashboardDays = 30

// DashboardStore counts what the dashboard shows beyond Stats. It is part
// of Store; contacts/sqlstore implements it.
type DashboardStore interface {
	// NewContactsPerDay counts a project's contacts created in [from, to)
	// per UTC day, keyed by the day's number since the Unix epoch (a
	// creation time in milliseconds divided by 86,400,000). Days without
	// contacts are absent; contacts in their erasure grace period are left
	// out.
	NewContactsPerDay(ctx context.Context, projectID int64, from, to time.Time) (map[int64]int64, error)
}

// DayCount is how many contacts were created on one UTC day.
type DayCount struct {
	Day   time.Time `json:"day"` // the day's midnight, UTC
	Count int64     `json:"count"`
}

// Dashboard is Stats with the figures the admin UI's dashboard adds.
type Dashboard struct {
	Stats
	// OpenConversations are the conversations still open, across channels.
	OpenConversations int64 `json:"open_conversations"`
	// AwaitingFollowUp are the contacts whose lead status is follow_up: an
	// unanswered message, no way to reach them, or a lead gone quiet.
	AwaitingFollowUp int64 `json:"awaiting_follow_up"`
	// NewPerDay has one entry per day of the last DashboardDays days,
	// oldest first, today last; days without contacts count zero.
	NewPerDay []DayCount `json:"new_per_day"`
}

const msPerDay = int64(24 * time.Hour / time.Millisecond)

// Dashboard summarises the project for the dashboard: Stats, open
// conversations, contacts awaiting follow-up and new contacts per day.
func (s *Service) Dashboard(ctx context.Context, projectID int64) (*Dashboard, error) {
	st, err := s.Stats(ctx, projectID)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Stats: *st, AwaitingFollowUp: st.ByLeadStatus[string(LeadFollowUp)]}
	open, err := s.store.CountOpenConversations(ctx, projectID, "")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	d.OpenConversations = int64(open)
	now := s.now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	from := today.AddDate(0, 0, 1-DashboardDays)
	perDay, err := s.store.NewContactsPerDay(ctx, projectID, from, today.AddDate(0, 0, 1))
	if err != nil {
		return nil, fmt.Errorf("dashboard: new contacts per day: %w", err)
	}
	d.NewPerDay = make([]DayCount, DashboardDays)
	for i := range d.NewPerDay {
		day := from.AddDate(0, 0, i)
		d.NewPerDay[i] = DayCount{Day: day, Count: perDay[day.UnixMilli()/msPerDay]}
	}
	return d, nil
}
