package sqlstore

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// retentionRuns returns the counts of the project's retention.run entries,
// newest first.
func retentionRuns(t *testing.T, f *fixture) []contacts.RetentionRun {
	t.Helper()
	log, err := f.svc.Audit(context.Background(), contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditRetentionRun})
	if err != nil {
		t.Fatal(err)
	}
	var out []contacts.RetentionRun
	for _, e := range log {
		var body struct{ Counts contacts.RetentionRun }
		if err := json.Unmarshal(e.After, &body); err != nil || e.ActorKind != contacts.ActorSystem {
			t.Fatalf("retention audit %+v: %v", e, err)
		}
		out = append(out, body.Counts)
	}
	return out
}

func TestRetentionPolicies(t *testing.T) {
	old := retentionBatch
	retentionBatch = 1 // every row its own batch
	t.Cleanup(func() { retentionBatch = old })
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		t0 := f.now
		f.now = t0.AddDate(0, -10, 0)
		a := f.create(t, contacts.ContactInput{FirstName: str("Quiet"), Email: str("quiet@example.com")})
		b := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "b", ChannelMessageID: "b1",
			Text: "old B message", Attachments: json.RawMessage(`[{"type":"image","url":"https://example.com/b.png"}]`)})
		f.now = t0
		c1 := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "c", ChannelMessageID: "c1", Text: "C forty days", At: t0.AddDate(0, 0, -40)})
		c2 := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "c", ChannelMessageID: "c2", Text: "C yesterday", At: t0.AddDate(0, 0, -1)})
		d := f.create(t, contacts.ContactInput{FirstName: str("Fresh")})
		f.privacy(t, contacts.PrivacyInput{ErasureDefault: str("anonymize"), Retention: &contacts.RetentionInput{
			ArchiveInactiveMonths: intp(6), PurgeArchivedMonths: intp(3), PurgeMessageBodiesDays: intp(30)}})

		run := func(at time.Time) {
			t.Helper()
			f.now = at
			if err := f.svc.RunRetention(ctx); err != nil {
				t.Fatal(err)
			}
		}
		body := func(id int64) (text, attachments string) {
			t.Helper()
			var m struct {
				Text string `db:"text"`
				Att  string `db:"attachments"`
			}
			if err := db.r.Get(&m, db.q(`SELECT text, attachments FROM messages WHERE id = ?`), id); err != nil {
				t.Fatal(err)
			}
			return m.Text, m.Att
		}
		lead := func(id int64) contacts.LeadStatus {
			t.Helper()
			c, err := f.svc.GetContact(ctx, f.project, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.LeadStatus
		}

		// Run 1: the two quiet contacts are archived, bodies older than 30
		// days blanked with the messages and counts kept.
		run(t0)
		if runs := retentionRuns(t, f); len(runs) != 1 || runs[0] != (contacts.RetentionRun{Archived: 2, PurgedMessageBodies: 2}) {
			t.Fatalf("first run: %+v", runs)
		}
		if lead(a.ID) != contacts.LeadArchived || lead(b.Contact.ID) != contacts.LeadArchived || lead(d.ID) == contacts.LeadArchived {
			t.Errorf("lead statuses: %s %s %s", lead(a.ID), lead(b.Contact.ID), lead(d.ID))
		}
		res, err := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, LeadStatuses: []contacts.LeadStatus{contacts.LeadArchived}})
		if err != nil || res.Total != 2 {
			t.Errorf("lead_status=archived: %v %+v", err, res)
		}
		if text, att := body(b.Message.ID); text != "" || att != "[]" {
			t.Errorf("old body kept: %q %s", text, att)
		}
		if text, _ := body(c1.Message.ID); text != "" {
			t.Errorf("40-day-old body kept: %q", text)
		}
		if text, _ := body(c2.Message.ID); text != "C yesterday" {
			t.Errorf("recent body purged: %q", text)
		}
		msgs, err := f.svc.ListMessages(ctx, f.project, b.Conversation.ID, 0, 0)
		conv, _ := f.svc.Conversation(ctx, f.project, b.Conversation.ID)
		if err != nil || len(msgs) != 1 || msgs[0].Direction != contacts.DirectionInbound || conv.MessageCount != 1 {
			t.Errorf("purged message metadata: %v %+v %+v", err, msgs, conv)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM messages WHERE body_purged_at = ?`, t0.UnixMilli()); n != 2 {
			t.Errorf("%d messages marked purged", n)
		}

		// Within the hour nothing runs again.
		run(t0.Add(10 * time.Minute))
		if runs := retentionRuns(t, f); len(runs) != 1 {
			t.Errorf("ran again within the hour: %+v", runs)
		}
		if set, _ := f.svc.PrivacySettings(ctx, f.project); !set.LastRetentionRun.Equal(t0) {
			t.Errorf("last run %v", set.LastRetentionRun)
		}

		// B writes again after being archived: the purge spares it.
		f.now = t0.AddDate(0, 1, 0)
		back := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "b", ChannelMessageID: "b2", Text: "B is back"})
		run(t0.AddDate(0, 4, 0))
		if runs := retentionRuns(t, f); len(runs) != 2 || runs[0] != (contacts.RetentionRun{PurgedContacts: 1, PurgedMessageBodies: 2}) {
			t.Fatalf("second run: %+v", runs)
		}
		if _, err := db.ErasableContact(ctx, f.project, a.ID); err == nil {
			t.Error("archived contact not purged")
		}
		if _, err := f.svc.GetContact(ctx, f.project, b.Contact.ID); err != nil {
			t.Errorf("contact active since archiving purged: %v", err)
		}
		if text, _ := body(back.Message.ID); text != "" {
			t.Errorf("body of %v kept: %q", f.now, text)
		}
		log, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: a.ID, Action: contacts.AuditContactDelete})
		if len(log) != 1 || log[0].ActorKind != contacts.ActorSystem || string(log[0].After) != `{"keep_history":true,"reason":"retention"}` {
			t.Errorf("purge audit: %+v", log)
		}

		// Quiet again for long enough: B's archive clock restarts; C and D
		// join it.
		run(t0.AddDate(0, 9, 0))
		if runs := retentionRuns(t, f); len(runs) != 3 || runs[0] != (contacts.RetentionRun{Archived: 3}) {
			t.Fatalf("third run: %+v", runs)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contacts WHERE archived_at = ?`, t0.AddDate(0, 9, 0).UnixMilli()); n != 3 {
			t.Errorf("%d contacts archived by the third run", n)
		}
	})
}

func TestRetentionRunsOncePerInterval(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.privacy(t, contacts.PrivacyInput{Retention: &contacts.RetentionInput{PurgeMessageBodiesDays: intp(1)}})
		won, err := db.ClaimRetentionRun(ctx, f.project, f.now, f.now.Add(-time.Hour))
		if err != nil || !won {
			t.Fatalf("first claim: %v %v", won, err)
		}
		// Another process at the same moment loses.
		if won, err := db.ClaimRetentionRun(ctx, f.project, f.now, f.now.Add(-time.Hour)); err != nil || won {
			t.Errorf("second claim: %v %v", won, err)
		}
		due, err := db.RetentionDue(ctx, f.now.Add(-time.Hour))
		if err != nil || len(due) != 0 {
			t.Errorf("due right after a run: %v %+v", err, due)
		}
		due, _ = db.RetentionDue(ctx, f.now.Add(time.Minute))
		if len(due) != 1 || due[0].ProjectID != f.project || due[0].Settings.Retention.PurgeMessageBodiesDays != 1 {
			t.Errorf("due an hour later: %+v", due)
		}
	})
}
