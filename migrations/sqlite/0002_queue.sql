-- Durable work queue: jobs committed with the change that needs them (an
-- inbound message and its follow-up commit together), claimed with a lease
-- so a crashed worker's job runs again, retried with backoff.
CREATE TABLE queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '{}',
    run_at       INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    done_at      INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX queue_due_idx ON queue (run_at, id) WHERE done_at IS NULL;
