package sqlstore

import (
	"context"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Telegram ids stored before they named the bot's channel are rewritten, so
// a redelivery of such a message after the upgrade is still a redelivery.
func TestMigrateTelegramMessageIDs(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ChannelID: 3, ExternalID: "42", ChannelMessageID: "42:7", Text: "old form"})
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ExternalID: "43", ChannelMessageID: "43:1", Text: "no channel known"})
		f.inbound(t, contacts.Inbound{Channel: contacts.ChannelWidget, ChannelID: 4, ExternalID: "v", ChannelMessageID: "v:1", Text: "not telegram"})
		if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM schema_migrations WHERE name = ?`), "0015_telegram_message_ids.sql"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := db.r.SelectContext(ctx, &ids, `SELECT channel_message_id FROM messages ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		if len(ids) != 3 || ids[0] != "3/42:7" || ids[1] != "43:1" || ids[2] != "v:1" {
			t.Errorf("ids after the migration: %q", ids)
		}
		again := f.inbound(t, contacts.Inbound{Channel: contacts.ChannelTelegram, ChannelID: 3, ExternalID: "42", ChannelMessageID: "3/42:7", Text: "old form"})
		if !again.Duplicate {
			t.Error("a redelivery of a message stored before the upgrade was stored again")
		}
	})
}
