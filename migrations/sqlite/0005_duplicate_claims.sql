-- A value a channel or a customer claimed (an email typed into a pre-chat
-- form, a phone in a profile) that already belongs to another contact. It
-- never merges the two; staff see the pair among the duplicates.
CREATE TABLE duplicate_claims (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    other_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field      TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX duplicate_claims_uq ON duplicate_claims (contact_id, other_id, field);
CREATE INDEX duplicate_claims_project_idx ON duplicate_claims (project_id, id);
