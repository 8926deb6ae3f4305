-- Channels are data: each project configures its own. config holds the
-- type's settings including secrets (never returned by the API); widget and
-- live chat channels get a public key for their embed.
CREATE TABLE channels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    type       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    config     TEXT    NOT NULL DEFAULT '{}',
    public_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX channels_public_key_uq ON channels (public_key);
CREATE INDEX channels_project_idx ON channels (project_id, id);
