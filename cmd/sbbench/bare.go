package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// seedBare is the raw limit for seeding: rows pre-built, then inserted with
// prepared statements in batches of 2,000 per transaction into the same
// schema (same indexes, same FTS table), with none of the store's work.
func seedBare(ctx context.Context, path string, n int, now time.Time) error {
	os.Remove(path)
	st, err := sqlstore.Open(ctx, path, sqlstore.Options{})
	if err != nil {
		return err
	}
	st.Close()
	db, err := sqlx.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate&_cache_size=-65536"+os.Getenv("BARE_DSN"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// The same connection settings the store uses (see sqlstore's driver).
	db.MustExec(`PRAGMA wal_autocheckpoint = 10000`)
	db.MustExec(`PRAGMA temp_store = MEMORY`)
	db.MustExec(`PRAGMA cache_size = -524288`) // as the store's bulk mode
	if _, err := db.Exec(`INSERT INTO projects (name, created_at) VALUES ('Bench', 0)`); err != nil {
		return err
	}
	const cols = `project_id, first_name, last_name, sort_name, email, email_key, phone, company, external_id, channel,
		do_not_contact, notes, context, memories, learned_context, tags, country, region, city, custom, conflicts, sources,
		lead_status, lead_score, lead_refresh_at, conversation_count, created_at, updated_at, last_seen_at, last_inbound_at, last_outbound_at`
	insert := `INSERT INTO contacts (` + cols + `) VALUES (` + strings.TrimSuffix(strings.Repeat("?, ", 31), ", ") + `)`
	type row struct {
		args   []any
		search string
		tags   []string
		ident  []contacts.Identity
	}
	var spent time.Duration
	const batch = 2000
	for start := 0; start < n; start += batch {
		rows := make([]row, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			c := synth.Contact(1, i, now)
			tags, _ := json.Marshal(c.Tags)
			srcs, _ := json.Marshal(c.Sources)
			var email, key, phone any
			if c.Email != "" {
				email, key = c.Email, contacts.EmailKey(c.Email)
			}
			if c.Phone != "" {
				phone = c.Phone
			}
			var seen any
			if !c.LastSeenAt.IsZero() {
				seen = c.LastSeenAt.UnixMilli()
			}
			rows = append(rows, row{args: []any{int64(1), c.FirstName, c.LastName, strings.ToLower(c.Name()), email, key, phone, c.Company, nil,
				string(c.Channel), false, "", "", "[]", "{}", string(tags), c.Country, "", "", "{}", "[]", string(srcs),
				string(c.LeadStatus), string(c.LeadScore), c.LeadRefreshAt.UnixMilli(), c.ConversationCount, c.CreatedAt.UnixMilli(),
				c.UpdatedAt.UnixMilli(), seen, nil, nil}, search: c.SearchText(), tags: c.Tags, ident: c.Identities})
		}
		t0 := time.Now()
		tx, err := db.Beginx()
		if err != nil {
			return err
		}
		ins, _ := tx.Preparex(insert)
		fts, _ := tx.Preparex(`INSERT INTO contacts_fts (rowid, text) VALUES (?, ?)`)
		tag, _ := tx.Preparex(`INSERT INTO contact_tags (contact_id, project_id, tag) VALUES (?, ?, ?)`)
		idn, _ := tx.Preparex(`INSERT INTO identities (project_id, contact_id, channel, external_id, handle, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
		for _, r := range rows {
			res, err := ins.Exec(r.args...)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			if _, err := fts.Exec(id, r.search); err != nil {
				return err
			}
			for _, t := range r.tags {
				if _, err := tag.Exec(id, 1, t); err != nil {
					return err
				}
			}
			for _, i := range r.ident {
				if _, err := idn.Exec(1, id, string(i.Channel), i.ExternalID, i.Handle, i.CreatedAt.UnixMilli()); err != nil {
					return err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		spent += time.Since(t0)
		if (start/batch)%100 == 0 {
			fmt.Fprintf(os.Stderr, "bare: %d rows, %.0f/s\n", start+len(rows), float64(start+len(rows))/spent.Seconds())
		}
	}
	fmt.Printf("bare batched INSERT: %d contacts in %.1fs = %.0f contacts/s\n", n, spent.Seconds(), float64(n)/spent.Seconds())
	return nil
}

// bare serves a bare Fiber handler answering a contact-sized JSON body: the
// ceiling for HTTP throughput on this machine.
func bare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18181", "listen address")
	fs.Parse(args)
	body, _ := json.Marshal(synth.Contact(1, 1, time.Now()))
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/api/v1/contacts/:id", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(body)
	})
	// The webhook shape: read the body, answer a small JSON.
	app.Post("/webhook", func(c *fiber.Ctx) error {
		if len(c.Body()) == 0 {
			return fiber.ErrBadRequest
		}
		return c.JSON(fiber.Map{"ok": true})
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); app.Shutdown() }()
	fmt.Fprintln(os.Stderr, "bare fiber handler on", ln.Addr())
	return app.Listener(ln)
}
