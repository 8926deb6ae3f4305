package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// lookupChunk bounds the values of one IN list.
const lookupChunk = 500

// MatchImportKeys finds which contacts hold an import batch's keys.
func (db *DB) MatchImportKeys(ctx context.Context, projectID int64, keys *contacts.ImportKeys) (*contacts.ImportMatches, error) {
	return db.matchImportKeys(db.dialect.stmtContext(ctx), db.r, projectID, keys)
}

func (db *DB) matchImportKeys(ctx context.Context, q sqlx.QueryerContext, projectID int64, keys *contacts.ImportKeys) (*contacts.ImportMatches, error) {
	m := &contacts.ImportMatches{Email: map[string]int64{}, Phone: map[string]int64{}, ExternalID: map[string]int64{},
		Identity: map[contacts.IdentityKey]int64{}, Name: map[string][]contacts.NameMatch{}}
	for _, col := range []struct {
		name   string
		values []string
		into   map[string]int64
	}{{"email", keys.Emails, m.Email}, {"phone", keys.Phones, m.Phone}, {"external_id", keys.ExternalIDs, m.ExternalID}} {
		err := eachChunk(col.values, func(vals []any) error {
			var rows []struct {
				ID    int64  `db:"id"`
				Value string `db:"value"`
			}
			query := `SELECT id, ` + col.name + ` AS value FROM contacts WHERE project_id = ? AND ` + col.name + ` IN (` + marks(len(vals)) + `)`
			if err := sqlx.SelectContext(ctx, q, &rows, db.q(query), append([]any{projectID}, vals...)...); err != nil {
				return fmt.Errorf("look up %s: %w", col.name, err)
			}
			for _, r := range rows {
				col.into[r.Value] = r.ID
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	byChannel := map[contacts.Channel][]string{}
	for _, k := range keys.Identities {
		byChannel[k.Channel] = append(byChannel[k.Channel], k.ExternalID)
	}
	for ch, ids := range byChannel {
		err := eachChunk(ids, func(vals []any) error {
			var rows []struct {
				ContactID  int64  `db:"contact_id"`
				ExternalID string `db:"external_id"`
			}
			query := `SELECT contact_id, external_id FROM identities WHERE project_id = ? AND channel = ? AND external_id IN (` + marks(len(vals)) + `)`
			if err := sqlx.SelectContext(ctx, q, &rows, db.q(query), append([]any{projectID, string(ch)}, vals...)...); err != nil {
				return fmt.Errorf("look up identities: %w", err)
			}
			for _, r := range rows {
				m.Identity[contacts.IdentityKey{Channel: ch, ExternalID: r.ExternalID}] = r.ContactID
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err := eachChunk(keys.Names, func(vals []any) error {
		var rows []struct {
			ID       int64  `db:"id"`
			SortName string `db:"sort_name"`
			Company  string `db:"company"`
		}
		// Only contacts without any unique value: those a keyless row can be.
		// SQLite's planner would take external_id IS NULL for an equality
		// on the unique index and walk every contact: name the index.
		from := "contacts c"
		if db.dialect.name() == "sqlite" {
			from = "contacts c INDEXED BY contacts_keyless_name_idx"
		}
		query := `SELECT c.id, c.sort_name, c.company FROM ` + from + ` WHERE c.project_id = ? AND c.sort_name IN (` + marks(len(vals)) + `)
			AND c.email IS NULL AND c.phone IS NULL AND c.external_id IS NULL
			AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id)`
		if err := sqlx.SelectContext(ctx, q, &rows, db.q(query), append([]any{projectID}, vals...)...); err != nil {
			return fmt.Errorf("look up names: %w", err)
		}
		for _, r := range rows {
			m.Name[r.SortName] = append(m.Name[r.SortName], contacts.NameMatch{ID: r.ID, Company: r.Company})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// eachChunk calls fn with the distinct values, lookupChunk at a time.
func eachChunk(values []string, fn func([]any) error) error {
	seen := make(map[string]bool, len(values))
	chunk := make([]any, 0, min(len(values), lookupChunk))
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		chunk = append(chunk, v)
		if len(chunk) == lookupChunk {
			if err := fn(chunk); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
	}
	if len(chunk) > 0 {
		return fn(chunk)
	}
	return nil
}

func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// CommitImportBatch writes one batch of an import in one transaction.
func (db *DB) CommitImportBatch(ctx context.Context, b *contacts.ImportBatch) (bool, error) {
	if len(b.Keys.Emails)+len(b.Keys.Phones)+len(b.Keys.Names) >= 1000 {
		// A large import: the writer's page cache grows while it runs, as
		// for bulk inserts (rows land all over the email, phone and name
		// indexes).
		db.bulk.enter(ctx, db)
	}
	var cancel bool
	var culprit *contacts.Contact
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		ctx := db.dialect.stmtContext(ctx)
		found, err := db.matchImportKeys(ctx, tx, b.ProjectID, b.Keys)
		if err != nil {
			return err
		}
		plan, err := b.Plan(found)
		if err != nil {
			return err
		}
		if culprit, err = db.insertImported(ctx, tx, plan.Creates); err != nil {
			return err
		}
		if e, ok := contacts.ImportCreatedAudit(b, plan.Creates); ok {
			if err := db.appendAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		for _, u := range plan.Updates {
			c, err := db.getContact(ctx, tx, b.ProjectID, u.ContactID, db.dialect.forUpdate())
			if errors.Is(err, contacts.ErrNotFound) {
				u.Apply(nil)
				continue
			}
			if err != nil {
				return err
			}
			before := c.Clone()
			if !u.Apply(c) {
				continue
			}
			culprit = c
			if err := db.saveContact(ctx, tx, c); err != nil {
				return err
			}
			if err := db.appendAudit(ctx, tx, contacts.NewAudit(b.ProjectID, b.Actor, contacts.AuditContactUpdate, c.ID, before, c, b.At)); err != nil {
				return err
			}
		}
		culprit = nil
		imp, failed := b.Done()
		if err := db.insertImportErrors(ctx, tx, b.ImportID, failed); err != nil {
			return err
		}
		if err := db.saveImportProgress(ctx, tx, imp); err != nil {
			return err
		}
		return tx.GetContext(ctx, &cancel, db.q(`SELECT cancel_requested FROM imports WHERE id = ?`), b.ImportID)
	})
	if err != nil {
		return false, db.duplicate(ctx, culprit, err)
	}
	return cancel, nil
}

// insertImported inserts new contacts with statements prepared once for
// the batch; on failure it returns the contact it failed on.
func (db *DB) insertImported(ctx context.Context, tx *sqlx.Tx, cs []*contacts.Contact) (*contacts.Contact, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	query, _ := db.rowSQL(&contacts.Contact{}, "insert")
	ins, err := db.prepareInsert(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	sw := newSideWriter(ctx, db, tx)
	defer sw.close()
	for _, c := range cs {
		_, args := db.rowSQL(c, "insert")
		if c.ID, err = db.execInsert(ctx, ins, args); err != nil {
			return c, err
		}
		if err := sw.write(c); err != nil {
			return c, err
		}
	}
	return nil, nil
}
