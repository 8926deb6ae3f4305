-- Contact exports (issue #5). An export's progress and status live in its
-- job; this row keeps what it selected (the contact-list query string), its
-- format and columns, who asked, and the finished file: file_key names it
-- in the export file store from when it is written until the scheduler
-- deletes it after expires_at ('' before and after).
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    format       TEXT    NOT NULL,
    query        TEXT    NOT NULL DEFAULT '',
    column_names TEXT    NOT NULL DEFAULT '[]',
    actor        TEXT    NOT NULL DEFAULT '',
    row_count    INTEGER NOT NULL DEFAULT 0,
    size_bytes   INTEGER NOT NULL DEFAULT 0,
    file_key     TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    expires_at   INTEGER
);
CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE file_key <> '';

-- A full export's header names every custom attribute key the exported
-- contacts use; this partial index finds the contacts that have any without
-- reading every row (most have none, so it stays small).
CREATE INDEX contacts_custom_idx ON contacts (project_id) WHERE custom <> '{}';
