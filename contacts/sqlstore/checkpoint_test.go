package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// The checkpointer, not the writer, keeps the WAL short: rounds of writes
// far below the writer's backstop threshold still reuse the WAL from its
// start instead of growing it round after round.
func TestCheckpointerKeepsWALShort(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(context.Background(), filepath.Join(dir, "ckpt.db"), Options{CacheMiB: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE ckpt_fill (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	const rounds, perRound = 8, 400 << 10 // bytes
	for range rounds {
		err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO ckpt_fill (b) SELECT randomblob(40000) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
				UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10)`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * checkpointEvery)
	}
	st, err := os.Stat(filepath.Join(dir, "ckpt.db-wal"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 3*perRound {
		t.Errorf("WAL is %d KiB after %d rounds of %d KiB: it was not checkpointed between them", st.Size()>>10, rounds, perRound>>10)
	}
	if err := db.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}
