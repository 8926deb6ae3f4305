package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// bulkBatch is how many contacts one bulk transaction writes: large enough
// to amortise the commit, small enough to keep the writer responsive.
const bulkBatch = 2000

// BulkInsertContacts inserts new contacts batch by batch with prepared
// statements, maintaining every index and the search index.
func (db *DB) BulkInsertContacts(ctx context.Context, cs []*contacts.Contact) error {
	if len(cs) >= 1000 {
		db.bulk.enter(ctx, db)
	}
	for start := 0; start < len(cs); start += bulkBatch {
		batch := cs[start:min(start+bulkBatch, len(cs))]
		var failed *contacts.Contact
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			query, _ := db.rowSQL(&contacts.Contact{}, "insert")
			ins, err := db.prepareInsert(ctx, tx, query)
			if err != nil {
				return err
			}
			defer ins.Close()
			sw := newSideWriter(ctx, db, tx)
			defer sw.close()
			for _, c := range batch {
				failed = c
				_, args := db.rowSQL(c, "insert")
				if c.ID, err = db.execInsert(ctx, ins, args); err != nil {
					return err
				}
				if err := sw.write(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("bulk insert at contact %d: %w", start, db.duplicate(ctx, failed, err))
		}
	}
	return nil
}

// sideWriter writes identities, tags and search text with statements
// prepared once per transaction.
type sideWriter struct {
	ctx                context.Context
	db                 *DB
	tx                 *sqlx.Tx
	ident, tag, search *sqlx.Stmt
}

func newSideWriter(ctx context.Context, db *DB, tx *sqlx.Tx) *sideWriter {
	return &sideWriter{ctx: ctx, db: db, tx: tx}
}

func (w *sideWriter) prep(s **sqlx.Stmt, q string) (*sqlx.Stmt, error) {
	if *s == nil {
		st, err := w.tx.PreparexContext(w.ctx, w.db.q(q))
		if err != nil {
			return nil, err
		}
		*s = st
	}
	return *s, nil
}

func (w *sideWriter) write(c *contacts.Contact) error {
	for i := range c.Identities {
		id := &c.Identities[i]
		id.ContactID = c.ID
		if id.CreatedAt.IsZero() {
			id.CreatedAt = c.CreatedAt
		}
		st, err := w.prep(&w.ident, insertIdentitySQL)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(w.ctx, c.ProjectID, c.ID, string(id.Channel), id.ExternalID, id.Handle, msNotNull(id.CreatedAt)); err != nil {
			return err
		}
	}
	for _, t := range c.Tags {
		st, err := w.prep(&w.tag, insertTagSQL)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(w.ctx, c.ID, c.ProjectID, t); err != nil {
			return err
		}
	}
	if w.db.dialect.searchColumn() {
		return nil // written with the row
	}
	st, err := w.prep(&w.search, w.db.dialect.insertSearchSQL())
	if err != nil {
		return err
	}
	_, err = st.ExecContext(w.ctx, w.db.dialect.insertSearchArgs(c.ID, c.SearchText())...)
	return err
}

func (w *sideWriter) close() {
	for _, s := range []*sqlx.Stmt{w.ident, w.tag, w.search} {
		if s != nil {
			s.Close()
		}
	}
}

// bulkCacheKiB is the SQLite writer's page cache while bulk inserts run.
// Rows arrive in random order for most indexes (emails, phones, names), so
// past a few hundred thousand contacts the default cache thrashes. Importers
// call BulkInsertContacts chunk by chunk, so the large cache lingers a while
// after the last call and then goes back to normal, returning the memory.
const (
	bulkCacheKiB = 512 * 1024
	bulkLinger   = 20 * time.Second
)

type bulkState struct {
	mu    sync.Mutex
	timer *time.Timer
	old   int
}

func (b *bulkState) enter(ctx context.Context, db *DB) {
	if db.dialect.name() != "sqlite" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Reset(bulkLinger)
		return
	}
	if err := db.w.GetContext(ctx, &b.old, `PRAGMA cache_size`); err != nil {
		return
	}
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return
	}
	b.timer = time.AfterFunc(bulkLinger, func() { b.leave(db) })
}

func (b *bulkState) leave(db *DB) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer == nil {
		return
	}
	b.timer.Stop()
	b.timer = nil
	db.w.Exec(fmt.Sprintf(`PRAGMA cache_size = %d`, b.old))
}
