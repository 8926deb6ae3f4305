-- Admin UI sessions (issue #6). The cookie carries a random secret; only its
-- SHA-256 is stored, like API keys. csrf is the session's synchronizer token
-- for forms and for the UI's own API calls. project_id is the project the
-- user is working in (the project switcher changes it). Times are ms.
CREATE TABLE sessions (
    hash         TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id   BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    csrf         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
