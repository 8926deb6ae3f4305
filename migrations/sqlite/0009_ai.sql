-- The AI issue's state. A conversation keeps what the bot asked for, so each
-- field is asked once; suggestions hold AI values that conflict with what a
-- contact has, for staff to accept or reject (a rejected value is never
-- suggested again: the unique index remembers it); bot settings are per
-- project; model usage is counted per project and day.
ALTER TABLE conversations ADD COLUMN bot_state TEXT NOT NULL DEFAULT '{}';
ALTER TABLE conversations ADD COLUMN sentiment_score REAL NOT NULL DEFAULT 0;

CREATE TABLE suggestions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field       TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    current     TEXT    NOT NULL DEFAULT '',
    confidence  REAL    NOT NULL DEFAULT 0,
    message_ids TEXT    NOT NULL DEFAULT '[]',
    status      TEXT    NOT NULL DEFAULT 'pending',
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER,
    decided_by  TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX suggestions_uq ON suggestions (contact_id, field, value);
CREATE INDEX suggestions_contact_idx ON suggestions (project_id, contact_id, status);

CREATE TABLE bot_settings (
    project_id INTEGER PRIMARY KEY,
    settings   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE ai_usage (
    project_id        INTEGER NOT NULL,
    day               TEXT    NOT NULL,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    requests          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day)
);

-- A keyed job is pending at most once: queueing it again moves its run time
-- (one enrichment per burst of messages). Claiming a job frees its key, so a
-- message arriving while it runs queues the next run.
ALTER TABLE queue ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX queue_dedupe_uq ON queue (dedupe_key) WHERE done_at IS NULL;
