-- CSV imports. An import is a job (same id): the job row carries its
-- status, this row the file, the options and the counts. Each batch of
-- rows commits together with the counts, the job's progress and the rows
-- that failed, so after a crash they say exactly what was written.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    file_name        TEXT    NOT NULL,
    -- where the file is read from; owned files (uploads in the data
    -- directory) are deleted once the import is done, and kept for a
    -- resume when it failed
    path             TEXT    NOT NULL,
    owned            BOOLEAN NOT NULL DEFAULT FALSE,
    size             INTEGER NOT NULL DEFAULT 0,
    bytes_read       INTEGER NOT NULL DEFAULT 0,
    options          TEXT    NOT NULL DEFAULT '{}',
    mapping          TEXT    NOT NULL DEFAULT '[]',
    encoding         TEXT    NOT NULL DEFAULT '',
    delimiter        TEXT    NOT NULL DEFAULT '',
    rows_read        INTEGER NOT NULL DEFAULT 0,
    created          INTEGER NOT NULL DEFAULT 0,
    updated          INTEGER NOT NULL DEFAULT 0,
    unchanged        INTEGER NOT NULL DEFAULT 0,
    skipped_in_file  INTEGER NOT NULL DEFAULT 0,
    skipped_existing INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    error_rows       INTEGER NOT NULL DEFAULT 0,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    actor_kind       TEXT    NOT NULL DEFAULT '',
    actor_id         INTEGER NOT NULL DEFAULT 0,
    actor_name       TEXT    NOT NULL DEFAULT '',
    finished_at      INTEGER
);
CREATE INDEX imports_project_idx ON imports (project_id, id);

-- The error report: one line per problem of a failed row.
CREATE TABLE import_errors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id   INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number  INTEGER NOT NULL,
    line_number INTEGER NOT NULL,
    column_name TEXT    NOT NULL DEFAULT '',
    field       TEXT    NOT NULL DEFAULT '',
    value       TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL
);
CREATE INDEX import_errors_import_idx ON import_errors (import_id, id);

-- A row with no email, phone, external id or channel id matches a contact
-- that has none either by name and company (so importing a file again
-- changes nothing). This index finds those contacts without walking every
-- namesake that has an email.
CREATE INDEX contacts_keyless_name_idx ON contacts (project_id, sort_name)
    WHERE email IS NULL AND phone IS NULL AND external_id IS NULL;
