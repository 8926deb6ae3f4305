-- Outbound webhooks (issue #5). Events are derived from the audit log, which
-- every contact change already writes in its own transaction, so an event is
-- neither lost nor invented. The fan-out reads the log in (tx_id, id) order
-- from webhook_cursor (one row) and moves the cursor in the transaction that
-- queues the deliveries. SQLite's one writer commits audit rows in id order,
-- so tx_id stays 0 here and the primary key serves the reads; PostgreSQL
-- records the writing transaction there.
ALTER TABLE audit_log ADD COLUMN tx_id INTEGER NOT NULL DEFAULT 0;

-- The log written before webhooks existed is not sent.
CREATE TABLE webhook_cursor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    tx_id    INTEGER NOT NULL,
    audit_id INTEGER NOT NULL
);
INSERT INTO webhook_cursor (id, tx_id, audit_id) SELECT 1, 0, COALESCE(MAX(id), 0) FROM audit_log;

-- events is a JSON array of event types. The secret is kept in the clear:
-- it signs every delivery. previous_secret signs too until previous_until
-- (ms), while receivers switch to a rotated secret. next_at (ms) paces
-- deliveries: the fan-out queues an endpoint's next one no earlier.
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    url             TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    events          TEXT    NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    secret          TEXT    NOT NULL,
    previous_secret TEXT    NOT NULL DEFAULT '',
    previous_until  INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_project_idx ON webhook_endpoints (project_id, active);

-- One row per attempt. event is the queued event (ids only, JSON), what a
-- redelivery sends again; the body is rendered at send time.
CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL,
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type  TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    manual      BOOLEAN NOT NULL DEFAULT FALSE,
    outcome     TEXT    NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    response    TEXT    NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    retry_at    INTEGER,
    at          INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_at_idx ON webhook_deliveries (at);
