package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func intp(n int) *int { return &n }

func (f *fixture) privacy(t *testing.T, in contacts.PrivacyInput) {
	t.Helper()
	if _, err := f.svc.UpdatePrivacySettings(context.Background(), f.actor, f.project, in); err != nil {
		t.Fatalf("privacy settings %+v: %v", in, err)
	}
}

// visible reports where a contact shows: GET, the list, search, cursor
// pages, duplicates, stats and the portable export.
func (f *fixture) visible(t *testing.T, id int64, term string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	_, err := f.svc.GetContact(ctx, f.project, id)
	seen["get"] = err == nil
	_, err = f.svc.ExportContact(ctx, f.actor, f.project, id)
	seen["export"] = err == nil
	has := func(cs []*contacts.Contact) bool {
		for _, c := range cs {
			if c.ID == id {
				return true
			}
		}
		return false
	}
	for name, q := range map[string]contacts.ListQuery{
		"list": {}, "search": {Q: term}, "cursor": {Cursor: true}, "filtered": {Sort: "name", Channels: []contacts.Channel{contacts.ChannelTelegram, contacts.ChannelManual, contacts.ChannelAPI}},
	} {
		q.ProjectID = f.project
		res, err := f.svc.ListContacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		seen[name] = has(res.Contacts)
		if q.Q == "" && !q.Cursor && len(q.Channels) == 0 {
			seen["total"] = res.Total == len(res.Contacts) && has(res.Contacts)
		}
	}
	groups, err := f.svc.Duplicates(ctx, f.project, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		seen["duplicates"] = seen["duplicates"] || has(g.Contacts)
	}
	return seen
}

func allFalse(m map[string]bool) bool {
	for _, v := range m {
		if v {
			return false
		}
	}
	return true
}

func TestErasureGracePeriod(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.privacy(t, contacts.PrivacyInput{ErasureGraceDays: intp(30)})
		c := f.create(t, contacts.ContactInput{FirstName: str("Grace"), LastName: str("Hopper"), Email: str("grace@example.com"), TelegramID: str("777")})
		twin := f.create(t, contacts.ContactInput{FirstName: str("Grace"), LastName: str("H"), Email: str("GRACE+x@example.com")})
		other := f.create(t, contacts.ContactInput{FirstName: str("Alan"), Email: str("alan@example.com")})
		conv := &contacts.Conversation{ProjectID: f.project, ContactID: c.ID, Channel: contacts.ChannelTelegram, StartedAt: f.now}
		if err := db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMessage(ctx, f.project, &contacts.Message{ConversationID: conv.ID, Direction: contacts.DirectionInbound,
			SenderKind: contacts.SenderContact, Text: "I am Grace, grace@example.com", ChannelMessageID: "g1", CreatedAt: f.now}); err != nil {
			t.Fatal(err)
		}
		if v := f.visible(t, c.ID, "hopper"); !v["get"] || !v["list"] || !v["search"] || !v["cursor"] || !v["duplicates"] || !v["export"] {
			t.Fatalf("before erasure: %v", v)
		}
		before, _ := f.svc.Stats(ctx, f.project)

		e, err := f.svc.EraseContact(ctx, f.actor, f.project, c.ID, nil)
		if err != nil || e == nil || e.Mode != contacts.ErasureDelete || !e.EraseAfter.Equal(f.now.AddDate(0, 0, 30)) || e.Name != "Grace Hopper" {
			t.Fatalf("erase with a grace period: %v %+v", err, e)
		}
		if v := f.visible(t, c.ID, "hopper"); !allFalse(v) {
			t.Errorf("hidden contact still shows: %v", v)
		}
		after, _ := f.svc.Stats(ctx, f.project)
		if after.Total != before.Total-1 || after.ByChannel["api"] != before.ByChannel["api"]-1 || after.ShareWithEmail != 1 {
			t.Errorf("stats count the hidden contact: before %+v after %+v", before, after)
		}
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, c.ID, contacts.ContactInput{Company: str("Navy")}); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("update of a hidden contact: %v", err)
		}
		if _, err := f.svc.EraseContact(ctx, f.actor, f.project, c.ID, nil); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("second erasure: %v", err)
		}
		if v := f.visible(t, other.ID, "alan"); !v["get"] || !v["list"] || !v["search"] || !v["total"] {
			t.Errorf("another contact is hidden too: %v", v)
		}
		es, err := f.svc.ListErasures(ctx, f.actor, f.project)
		if err != nil || len(es) != 1 || es[0].ContactID != c.ID || es[0].ActorName != "test" {
			t.Fatalf("pending erasures: %v %+v", err, es)
		}

		// Restored within the period: everything as it was.
		f.now = f.now.Add(24 * time.Hour)
		got, err := f.svc.RestoreContact(ctx, f.actor, f.project, c.ID)
		if err != nil || got.Email != "grace@example.com" {
			t.Fatalf("restore: %v %+v", err, got)
		}
		if v := f.visible(t, c.ID, "hopper"); !v["get"] || !v["list"] || !v["search"] || !v["duplicates"] {
			t.Errorf("restored contact hidden: %v", v)
		}
		if _, err := f.svc.RestoreContact(ctx, f.actor, f.project, c.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Errorf("restore without a pending erasure: %v", err)
		}

		// Erased again, anonymised this time; the scheduler erases it once
		// the period is over, and not before.
		keep := true
		if e, err = f.svc.EraseContact(ctx, f.actor, f.project, c.ID, &keep); err != nil || e.Mode != contacts.ErasureAnonymize {
			t.Fatalf("erase again: %v %+v", err, e)
		}
		f.now = e.EraseAfter.Add(-time.Minute)
		if err := f.svc.RunRetention(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contacts WHERE id = ?`, c.ID); n != 1 {
			t.Fatal("erased before the grace period ended")
		}
		f.now = e.EraseAfter
		if _, err := f.svc.RestoreContact(ctx, f.actor, f.project, c.ID); !errors.Is(err, contacts.ErrConflict) {
			t.Errorf("restore after the period: %v", err)
		}
		if err := f.svc.RunRetention(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contacts WHERE id = ?`, c.ID); n != 0 {
			t.Fatal("not erased after the grace period")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM contact_erasures`); n != 0 {
			t.Errorf("%d erasures left", n)
		}
		var text string
		db.r.Get(&text, db.q(`SELECT text FROM messages WHERE conversation_id = ?`), conv.ID)
		if text != "I am [redacted], [redacted]" {
			t.Errorf("kept history: %q", text)
		}
		log, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: c.ID})
		var actions []string
		for _, a := range log {
			actions = append(actions, a.ActorKind+":"+a.Action)
			if strings.Contains(string(a.Before)+string(a.After), "grace@") {
				t.Errorf("audit keeps erased data: %s %s %s", a.Action, a.Before, a.After)
			}
		}
		want := "system:contact.delete api_key:contact.erase_request api_key:contact.restore api_key:contact.erase_request api_key:contact.create"
		if strings.Join(actions, " ") != want {
			t.Errorf("audit trail %q, want %q", strings.Join(actions, " "), want)
		}
		if v := f.visible(t, twin.ID, "grace"); !v["get"] || !v["list"] {
			t.Errorf("the twin went too: %v", v)
		}
	})
}

func TestErasureDefaultAndScrub(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.privacy(t, contacts.PrivacyInput{ErasureDefault: str("anonymize")})
		c := f.create(t, contacts.ContactInput{FirstName: str("Ada"), Email: str("ada@example.com")})
		old := f.create(t, contacts.ContactInput{FirstName: str("Ada"), Phone: str("+14155550123")})
		bystander := f.create(t, contacts.ContactInput{FirstName: str("Bob"), Email: str("bob@example.com")})
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, c.ID, contacts.ContactInput{Company: str("Analytical Engines")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddNote(ctx, f.actor, f.project, c.ID, "Ada asked for a call"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Merge(ctx, f.actor, f.project, contacts.MergeRequest{PrimaryID: c.ID, ContactIDs: []int64{old.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateContact(ctx, f.actor, f.project, c.ID, contacts.ContactInput{TelegramID: str("ada-tg")}); err != nil {
			t.Fatal(err)
		}
		res := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "ada-tg", ChannelMessageID: "a1", Text: "hello"})
		if res.Contact.ID != c.ID {
			t.Fatalf("message went to contact %d", res.Contact.ID)
		}
		if _, err := db.w.Exec(db.q(`UPDATE messages SET original_text = ?, text = ? WHERE id = ?`), "I'm Ada, ada@example.com", "edited by Ada", res.Message.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.Exec(db.q(`UPDATE conversations SET summary = ? WHERE id = ?`), "Ada wants pricing", res.Conversation.ID); err != nil {
			t.Fatal(err)
		}

		// No keep_history: the project default (anonymise) applies.
		if e, err := f.svc.EraseContact(ctx, f.actor, f.project, c.ID, nil); err != nil || e != nil {
			t.Fatalf("erase: %v %+v", err, e)
		}
		var msg struct {
			Text     string  `db:"text"`
			Original *string `db:"original_text"`
		}
		if err := db.r.Get(&msg, db.q(`SELECT text, original_text FROM messages WHERE id = ?`), res.Message.ID); err != nil {
			t.Fatal(err)
		}
		if msg.Text != "edited by [redacted]" || msg.Original == nil || *msg.Original != "I'm [redacted], [redacted]" {
			t.Errorf("history not anonymised: %q %v", msg.Text, msg.Original)
		}
		var summary string
		db.r.Get(&summary, db.q(`SELECT summary FROM conversations WHERE id = ?`), res.Conversation.ID)
		if summary != "[redacted] wants pricing" {
			t.Errorf("summary: %q", summary)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM merges`); n != 0 {
			t.Errorf("%d merge snapshots keep the erased contact", n)
		}
		for _, id := range []int64{c.ID, old.ID} {
			log, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: id})
			if len(log) == 0 {
				t.Fatalf("no audit entries left for %d", id)
			}
			for _, a := range log {
				if a.Action == contacts.AuditContactDelete {
					if string(a.After) != `{"keep_history":true}` {
						t.Errorf("erasure entry: %s", a.After)
					}
					continue
				}
				if a.Before != nil || a.After != nil {
					t.Errorf("contact %d: %s keeps %s / %s", id, a.Action, a.Before, a.After)
				}
			}
		}
		log, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: bystander.ID})
		if len(log) != 1 || !strings.Contains(string(log[0].After), "bob@example.com") {
			t.Errorf("a bystander's audit was scrubbed: %+v", log)
		}

		// Explicit keep_history=false deletes the conversations.
		d := f.create(t, contacts.ContactInput{FirstName: str("Dora"), TelegramID: str("dora")})
		r2 := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "dora", ChannelMessageID: "d1", Text: "bye"})
		no := false
		if _, err := f.svc.EraseContact(ctx, f.actor, f.project, d.ID, &no); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM conversations WHERE id = ?`, r2.Conversation.ID); n != 0 {
			t.Error("keep_history=false kept the conversation")
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{Email: str("x@example.com")})
		for _, q := range []string{
			`DELETE FROM audit_log WHERE contact_id = ?`,
			`UPDATE audit_log SET action = 'contact.update' WHERE contact_id = ?`,
			`UPDATE audit_log SET actor_name = 'someone else' WHERE contact_id = ?`,
			`UPDATE audit_log SET after = '{"email":"y@example.com"}' WHERE contact_id = ?`,
		} {
			if _, err := db.w.Exec(db.q(q), c.ID); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		if _, err := db.w.Exec(db.q(`UPDATE audit_log SET before = NULL, after = NULL WHERE contact_id = ?`), c.ID); err != nil {
			t.Errorf("clearing snapshots: %v", err)
		}
	})
}

func TestAuditFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		start := f.now
		ana := contacts.Actor{Kind: contacts.ActorUser, ID: 7, Name: "ana@acme.test", Role: contacts.RoleAdmin}
		var ids []int64
		for i := 0; i < 5; i++ {
			f.now = start.Add(time.Duration(i) * time.Hour)
			actor := f.actor
			if i%2 == 1 {
				actor = ana
			}
			c, err := f.svc.CreateContact(ctx, actor, f.project, contacts.ContactInput{Email: str(strings.Repeat("a", i+1) + "@example.com")})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			if _, err := f.svc.UpdateContact(ctx, actor, f.project, c.ID, contacts.ContactInput{Company: str("Acme")}); err != nil {
				t.Fatal(err)
			}
		}
		entries := func(q contacts.AuditQuery) []contacts.AuditEntry {
			t.Helper()
			q.ProjectID = f.project
			es, err := f.svc.Audit(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		if es := entries(contacts.AuditQuery{Actions: []string{contacts.AuditContactCreate}}); len(es) != 5 {
			t.Errorf("creates: %d", len(es))
		}
		if es := entries(contacts.AuditQuery{Actions: []string{contacts.AuditContactCreate, contacts.AuditContactUpdate}}); len(es) != 10 {
			t.Errorf("creates and updates: %d", len(es))
		}
		if es := entries(contacts.AuditQuery{ActorKind: contacts.ActorUser, ActorID: 7}); len(es) != 4 || es[0].ActorName != "ana@acme.test" {
			t.Errorf("by user 7: %d", len(es))
		}
		if es := entries(contacts.AuditQuery{ActorName: "ana@acme.test", Action: contacts.AuditContactCreate}); len(es) != 2 {
			t.Errorf("by name: %d", len(es))
		}
		if es := entries(contacts.AuditQuery{From: start.Add(time.Hour), To: start.Add(3 * time.Hour)}); len(es) != 4 || es[0].ContactID != ids[2] || es[3].ContactID != ids[1] {
			t.Errorf("time window: %+v", es)
		}
		if es := entries(contacts.AuditQuery{ContactID: ids[4]}); len(es) != 2 {
			t.Errorf("by contact: %d", len(es))
		}
		// Keyset pages cover the log once, newest first.
		var seen []int64
		for before := int64(0); ; {
			es := entries(contacts.AuditQuery{BeforeID: before, Limit: 3})
			for _, e := range es {
				seen = append(seen, e.ID)
			}
			if len(es) < 3 {
				break
			}
			before = es[len(es)-1].ID
		}
		if len(seen) != 10 {
			t.Fatalf("pages saw %d entries", len(seen))
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Fatalf("pages out of order: %v", seen)
			}
		}
	})
}

func TestPrivacyRolesAndSettings(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{Email: str("keep@example.com")})
		agent := contacts.Actor{Kind: contacts.ActorUser, ID: 9, Name: "agent@acme.test", Role: contacts.RoleAgent}
		for name, err := range map[string]error{
			"settings": func() error {
				_, err := f.svc.UpdatePrivacySettings(ctx, agent, f.project, contacts.PrivacyInput{ErasureGraceDays: intp(1)})
				return err
			}(),
			"erase":    func() error { _, err := f.svc.EraseContact(ctx, agent, f.project, c.ID, nil); return err }(),
			"delete":   f.svc.DeleteContact(ctx, agent, f.project, c.ID, true),
			"restore":  func() error { _, err := f.svc.RestoreContact(ctx, agent, f.project, c.ID); return err }(),
			"erasures": func() error { _, err := f.svc.ListErasures(ctx, agent, f.project); return err }(),
		} {
			if !errors.Is(err, contacts.ErrForbidden) {
				t.Errorf("agent %s: %v", name, err)
			}
		}
		if _, err := f.svc.GetContact(ctx, f.project, c.ID); err != nil {
			t.Errorf("an agent's refused erasure erased: %v", err)
		}

		set, err := f.svc.PrivacySettings(ctx, f.project)
		if err != nil || set.ErasureDefault != contacts.ErasureDelete || set.ErasureGraceDays != 0 || set.Retention.Active() || !set.UpdatedAt.IsZero() {
			t.Fatalf("defaults: %v %+v", err, set)
		}
		if _, err := f.svc.UpdatePrivacySettings(ctx, f.actor, f.project, contacts.PrivacyInput{ErasureGraceDays: intp(366)}); err == nil {
			t.Error("366 grace days accepted")
		}
		f.privacy(t, contacts.PrivacyInput{ErasureDefault: str("anonymize"), Retention: &contacts.RetentionInput{PurgeMessageBodiesDays: intp(90)}})
		f.privacy(t, contacts.PrivacyInput{ErasureGraceDays: intp(14)})
		set, _ = f.svc.PrivacySettings(ctx, f.project)
		if set.ErasureDefault != contacts.ErasureAnonymize || set.ErasureGraceDays != 14 || set.Retention.PurgeMessageBodiesDays != 90 || !set.UpdatedAt.Equal(f.now) {
			t.Errorf("partial updates: %+v", set)
		}
		log, _ := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, Action: contacts.AuditPrivacyUpdate})
		if len(log) != 2 || !strings.Contains(string(log[0].Before), `"erasure_grace_days":0`) || !strings.Contains(string(log[0].After), `"erasure_grace_days":14`) {
			t.Errorf("settings audit: %+v", log)
		}
		p2, _ := f.svc.CreateProject(ctx, "Other")
		if other, _ := f.svc.PrivacySettings(ctx, p2.ID); other.ErasureGraceDays != 0 {
			t.Errorf("settings leak across projects: %+v", other)
		}
	})
}

// Hidden contacts leave the pages served from cached anchors (the count
// subtracts them, the walk skips them) exactly as they leave plain pages.
func TestHiddenContactsInAnchoredPages(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		base := f.now
		var all []*contacts.Contact
		for i := 0; i < 30; i++ {
			f.now = base.Add(time.Duration(i%5) * time.Hour)
			all = append(all, f.create(t, contacts.ContactInput{FirstName: str(fmt.Sprintf("N%02d", (i*7)%30)), Email: str(fmt.Sprintf("h%d@example.com", i))}))
		}
		walk := func(sort string, desc bool) ([]int64, int) {
			var out []int64
			total := 0
			for page := 1; page <= 9; page++ {
				res, err := f.svc.ListContacts(ctx, contacts.ListQuery{ProjectID: f.project, HasEmail: bptr(true), Sort: sort, Desc: desc, Page: page, PerPage: 4})
				if err != nil {
					t.Fatal(err)
				}
				out, total = append(out, ids(res.Contacts)...), res.Total
			}
			return out, total
		}
		sorts := []string{"created_at", "name", "updated_at"}
		want := map[string][]int64{}
		for _, s := range sorts {
			want[s], _ = walk(s, true)
		}
		f.privacy(t, contacts.PrivacyInput{ErasureGraceDays: intp(7)})
		hidden := map[int64]bool{}
		for _, i := range []int{0, 7, 8, 21} {
			if _, err := f.svc.EraseContact(ctx, f.actor, f.project, all[i].ID, nil); err != nil {
				t.Fatal(err)
			}
			hidden[all[i].ID] = true
		}
		for _, s := range sorts {
			var visible []int64
			for _, id := range want[s] {
				if !hidden[id] {
					visible = append(visible, id)
				}
			}
			for _, stride := range []int{0, 3} {
				db.pages = pageCache{stride: stride, from: 5, stale: time.Hour} // stride 0: the defaults, no anchors here
				got, total := walk(s, true)
				if fmt.Sprint(got) != fmt.Sprint(visible) || total != 26 {
					t.Errorf("%s (stride %d): total %d, pages %v, want %v", s, stride, total, got, visible)
				}
			}
		}
	})
}
