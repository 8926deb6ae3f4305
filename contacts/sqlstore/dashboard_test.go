package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestDashboard(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		now := f.now // 2026-03-10 12:00 UTC
		at := func(daysAgo int, hour int) time.Time {
			d := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC)
			return d.AddDate(0, 0, -daysAgo)
		}
		// Contacts created on known days: two today (one at 00:00 sharp, the
		// day's first millisecond), one yesterday at 23:59, three 29 days
		// ago (the series' first day), one 30 days ago (just outside).
		created := map[string]time.Time{
			"today-a": at(0, 0), "today-b": at(0, 11),
			"yesterday": at(1, 0).Add(24*time.Hour - time.Millisecond),
			"d29-a":     at(29, 1), "d29-b": at(29, 2), "d29-c": at(29, 3),
			"d30": at(30, 23),
		}
		ids := map[string]int64{}
		for name, ts := range created {
			f.now = ts
			c := f.create(t, contacts.ContactInput{FirstName: str(name)})
			ids[name] = c.ID
		}
		f.now = now

		// Conversations: two open, one closed, one open of a contact about
		// to be erased.
		for i, name := range []string{"today-a", "today-b", "d29-a", "d29-b"} {
			conv := &contacts.Conversation{ProjectID: f.project, ContactID: ids[name], Channel: contacts.ChannelWidget, StartedAt: now}
			if i == 2 {
				conv.Status = contacts.ConversationClosed
			}
			if err := db.CreateConversation(ctx, conv); err != nil {
				t.Fatal(err)
			}
		}
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		o, err := f.svc.CreateContact(ctx, f.actor, other.ID, contacts.ContactInput{FirstName: str("Elsewhere")})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateConversation(ctx, &contacts.Conversation{ProjectID: other.ID, ContactID: o.ID, Channel: contacts.ChannelWidget, StartedAt: now}); err != nil {
			t.Fatal(err)
		}

		check := func(label string, open int64, want map[int]int64) {
			t.Helper()
			d, err := f.svc.Dashboard(ctx, f.project)
			if err != nil {
				t.Fatal(err)
			}
			if d.OpenConversations != open {
				t.Errorf("%s: open conversations %d, want %d", label, d.OpenConversations, open)
			}
			if len(d.NewPerDay) != contacts.DashboardDays {
				t.Fatalf("%s: %d days", label, len(d.NewPerDay))
			}
			first := time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC) // 29 days before 2026-03-10
			for i, dc := range d.NewPerDay {
				if !dc.Day.Equal(first.AddDate(0, 0, i)) {
					t.Errorf("%s: day %d is %s", label, i, dc.Day)
				}
				daysAgo := contacts.DashboardDays - 1 - i
				if dc.Count != want[daysAgo] {
					t.Errorf("%s: %s (%d days ago) counts %d, want %d", label, dc.Day.Format("2006-01-02"), daysAgo, dc.Count, want[daysAgo])
				}
			}
			if d.AwaitingFollowUp != d.ByLeadStatus[string(contacts.LeadFollowUp)] {
				t.Errorf("%s: awaiting follow-up %d, by lead status %v", label, d.AwaitingFollowUp, d.ByLeadStatus)
			}
		}
		check("before erasure", 3, map[int]int64{0: 2, 1: 1, 29: 3})

		// A contact in its erasure grace period drops out of both figures.
		if _, err := f.svc.EraseContact(ctx, f.actor, f.project, ids["d29-b"], nil); err != nil {
			t.Fatal(err)
		}
		check("after erasure", 2, map[int]int64{0: 2, 1: 1, 29: 2})
		if _, err := f.svc.EraseContact(ctx, f.actor, f.project, ids["today-a"], nil); err != nil {
			t.Fatal(err)
		}
		check("second erasure", 1, map[int]int64{0: 1, 1: 1, 29: 2})

		// Closing a conversation takes it off the count.
		convs, err := f.svc.ListConversations(ctx, f.project, ids["today-b"])
		if err != nil || len(convs) != 1 {
			t.Fatalf("conversations: %v %d", err, len(convs))
		}
		if err := db.CloseConversation(ctx, f.project, convs[0].ID, now); err != nil {
			t.Fatal(err)
		}
		check("closed", 0, map[int]int64{0: 1, 1: 1, 29: 2})
	})
}
