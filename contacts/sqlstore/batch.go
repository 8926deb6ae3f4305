package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
)

// SQLite has one writer, and each commit costs a WAL append plus a new FTS
// segment. Concurrent small writes (contact creates, inbound messages) are
// therefore grouped: one goroutine takes whatever writes are waiting, runs
// each inside its own savepoint (so one failing write fails alone) and
// commits them together. Every caller gets its answer only after the commit
// that holds its write, so durability per request is unchanged.

const maxBatch = 256

type batchReq struct {
	ctx  context.Context
	fn   func(tx *sqlx.Tx) error
	done chan error
}

type batcher struct {
	reqs     chan *batchReq
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func (db *DB) startBatcher() {
	db.batch = &batcher{reqs: make(chan *batchReq), stop: make(chan struct{}), done: make(chan struct{})}
	go db.runBatcher()
}

func (db *DB) stopBatcher() {
	if db.batch != nil {
		db.batch.stopOnce.Do(func() { close(db.batch.stop) })
		<-db.batch.done
	}
}

// inBatch runs fn in a write transaction: on SQLite grouped with other
// waiting writes (fn then runs inside a savepoint of a shared transaction),
// elsewhere in a transaction of its own. fn must not commit or roll back.
func (db *DB) inBatch(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if db.batch == nil {
		return db.inTx(ctx, fn)
	}
	r := &batchReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
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
		var first *batchReq
		select {
		case first = <-db.batch.reqs:
		case <-db.batch.stop:
			return
		}
		batch := []*batchReq{first}
	drain:
		for len(batch) < maxBatch {
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

func (db *DB) writeBatch(batch []*batchReq) {
	errs := make([]error, len(batch))
	ctx := context.Background()
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		for i, r := range batch {
			if r.ctx.Err() != nil {
				errs[i] = r.ctx.Err()
				continue
			}
			if err := db.txExec(ctx, tx, `SAVEPOINT batched_write`); err != nil {
				return err
			}
			if errs[i] = r.fn(tx); errs[i] != nil {
				if err := db.txExec(ctx, tx, `ROLLBACK TO batched_write`); err != nil {
					return err
				}
			}
			if err := db.txExec(ctx, tx, `RELEASE batched_write`); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range batch {
		if err != nil {
			r.done <- err
		} else {
			r.done <- errs[i]
		}
	}
}
