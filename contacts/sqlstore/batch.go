package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// SQLite has one writer, and each commit costs a WAL append plus a new FTS
// segment. Concurrent creates are therefore grouped: one goroutine takes
// whatever creates are waiting, writes each inside its own savepoint (so one
// failing row fails alone) and commits them together. Every caller gets its
// answer only after the commit that holds its row, so durability per request
// is unchanged.

const maxCreateBatch = 256

type createReq struct {
	ctx   context.Context
	c     *contacts.Contact
	audit contacts.AuditEntry
	done  chan error
}

type createBatcher struct {
	reqs     chan *createReq
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func (db *DB) startBatcher() {
	db.batch = &createBatcher{reqs: make(chan *createReq), stop: make(chan struct{}), done: make(chan struct{})}
	go db.runBatcher()
}

func (db *DB) stopBatcher() {
	if db.batch != nil {
		db.batch.stopOnce.Do(func() { close(db.batch.stop) })
		<-db.batch.done
	}
}

// createBatched hands a create to the batcher and waits for its commit.
func (db *DB) createBatched(ctx context.Context, c *contacts.Contact, audit contacts.AuditEntry) error {
	r := &createReq{ctx: ctx, c: c, audit: audit, done: make(chan error, 1)}
	select {
	case db.batch.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.batch.stop:
		return fmt.Errorf("store is closing")
	}
	return <-r.done
}

func (db *DB) runBatcher() {
	defer close(db.batch.done)
	for {
		var first *createReq
		select {
		case first = <-db.batch.reqs:
		case <-db.batch.stop:
			return
		}
		batch := []*createReq{first}
	drain:
		for len(batch) < maxCreateBatch {
			select {
			case r := <-db.batch.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.writeBatch(batch)
	}
}

func (db *DB) writeBatch(batch []*createReq) {
	errs := make([]error, len(batch))
	ctx := context.Background()
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		for i, r := range batch {
			if r.ctx.Err() != nil {
				errs[i] = r.ctx.Err()
				continue
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT create_contact`); err != nil {
				return err
			}
			errs[i] = db.insertContact(ctx, tx, r.c, false)
			if errs[i] == nil {
				r.audit.ContactID = r.c.ID
				errs[i] = db.appendAudit(ctx, tx, r.audit)
			}
			if errs[i] != nil {
				r.c.ID = 0
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO create_contact`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE create_contact`); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range batch {
		if err != nil {
			r.c.ID = 0
			r.done <- err
			continue
		}
		r.done <- db.duplicate(r.ctx, r.c, errs[i])
	}
}
