-- Bumped by every write of a contact, so a write prepared from an earlier
-- read can tell that the row moved under it.
ALTER TABLE contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
