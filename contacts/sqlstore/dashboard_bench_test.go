package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// BenchmarkDashboard times the dashboard's figures: each query on its own
// and the whole Service.Dashboard call the page makes. Like BenchmarkExport
// it reads the "Bench" project of SWITCHBOARD_BENCH_DB (a database `sbbench
// seed` filled) or seeds SWITCHBOARD_BENCH_N contacts (default 100,000)
// into a temp one. A project without conversations first gets one per
// contact that has any (a third of the synthetic ones), a quarter of them
// open: it writes them into the database given.
//
//	SWITCHBOARD_BENCH_DB=bench.db go test -tags sqlite_fts5 -run '^$' -bench Dashboard ./contacts/sqlstore
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	db, project := benchExportDB(b)
	benchConversations(b, db, project)
	svc := contacts.NewService(contacts.Config{Store: db})
	defer svc.Close()
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"stats", func() error { _, err := db.Stats(ctx, project, month); return err }},
		{"open_conversations", func() error { _, err := db.CountOpenConversations(ctx, project, ""); return err }},
		{"new_per_day", func() error {
			_, err := db.NewContactsPerDay(ctx, project, today.AddDate(0, 0, 1-contacts.DashboardDays), today.AddDate(0, 0, 1))
			return err
		}},
		{"dashboard", func() error { _, err := svc.Dashboard(ctx, project); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchConversations gives the project's contacts with a conversation
// count one conversation each, when it has none yet.
func benchConversations(b *testing.B, db *DB, project int64) {
	ctx := context.Background()
	var n int
	if err := db.r.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM conversations WHERE project_id = ?`), project); err != nil {
		b.Fatal(err)
	}
	if n > 0 {
		return
	}
	var ids []int64
	if err := db.r.SelectContext(ctx, &ids, db.q(`SELECT id FROM contacts WHERE project_id = ? AND conversation_count > 0 ORDER BY id`), project); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UnixMilli()
	for start := 0; start < len(ids); start += 5000 {
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			for i, id := range ids[start:min(start+5000, len(ids))] {
				status := contacts.ConversationClosed
				if (start+i)%4 == 0 {
					status = contacts.ConversationOpen
				}
				if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO conversations (project_id, contact_id, channel, status,
					assignee, started_at, last_message_at) VALUES (?, ?, 'widget', ?, 'bot', ?, ?)`), project, id, status, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
