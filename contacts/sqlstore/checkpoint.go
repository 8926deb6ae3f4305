package sqlstore

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// SQLite's own WAL checkpoint runs inside the commit that crosses its
// threshold, on that connection: with one writer, every queued write waited
// for the copy of thousands of pages and two fsyncs (ingest p99 went from
// about 30 ms to 55 ms, with stalls of a second under bulk writes). So a
// goroutine of its own checkpoints on a connection of its own, shortly after
// commits: a PASSIVE checkpoint copies only what no reader still needs and
// never blocks the writer or the readers. The writer's autocheckpoint stays
// as a backstop at a far higher threshold, for when this one falls behind.

// checkpointEvery is the shortest gap between two checkpoints; shorter keeps
// the WAL small (readers search less of it), longer makes fewer fsyncs.
const checkpointEvery = 100 * time.Millisecond

// backstopAutocheckpoint is the WAL size in pages at which the writer's own
// commit checkpoints anyway.
const backstopAutocheckpoint = 100000

type checkpointer struct {
	conn     *sql.DB
	poke     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// startCheckpointer opens the checkpoint connection on dsn and starts its
// goroutine.
func (db *DB) startCheckpointer(dsn string) error {
	conn, err := sql.Open(sqliteDriver, dsn)
	if err != nil {
		return err
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxIdleTime(0)
	db.ckpt = &checkpointer{conn: conn, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go db.ckpt.run()
	return nil
}

// wrote tells the checkpointer a commit added to the WAL. It never blocks.
func (c *checkpointer) wrote() {
	if c == nil {
		return
	}
	select {
	case c.poke <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.poke:
		case <-c.stop:
			return
		}
		// Let more commits gather before copying their pages.
		select {
		case <-time.After(checkpointEvery):
		case <-c.stop:
			return
		}
		if err := c.checkpoint(context.Background(), "PASSIVE"); err != nil {
			slog.Warn("sqlite checkpoint", "err", err)
		}
	}
}

// checkpoint runs one checkpoint of the given mode.
func (c *checkpointer) checkpoint(ctx context.Context, mode string) error {
	var busy, log, done int
	return c.conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &done)
}

// close stops the goroutine and closes its connection.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.stopOnce.Do(func() { close(c.stop) })
	<-c.done
	return c.conn.Close()
}
