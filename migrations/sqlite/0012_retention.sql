-- Privacy and retention (issue #5).
--
-- privacy_settings holds a project's erasure default, grace period and
-- retention policies (0 = off), and the scheduler's state: when the policies
-- last ran (at most hourly) and how far the message-body purge has walked
-- the messages by id. A project without a row has the defaults.
CREATE TABLE privacy_settings (
    project_id                INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    erasure_default           TEXT    NOT NULL DEFAULT 'delete',
    erasure_grace_days        INTEGER NOT NULL DEFAULT 0,
    archive_inactive_months   INTEGER NOT NULL DEFAULT 0,
    purge_archived_months     INTEGER NOT NULL DEFAULT 0,
    purge_message_bodies_days INTEGER NOT NULL DEFAULT 0,
    updated_at                INTEGER NOT NULL,
    retention_run_at          INTEGER,
    message_purge_cursor      INTEGER NOT NULL DEFAULT 0
);

-- A contact in its erasure grace period: hidden from every read, restorable
-- until erase_after, then erased by the scheduler. Kept beside the contacts
-- table rather than as a column of it, so the hot list and count queries
-- stay on their covering indexes: they exclude the few ids listed here, and
-- only in a project that has any.
CREATE TABLE contact_erasures (
    contact_id   INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    project_id   INTEGER NOT NULL,
    mode         TEXT    NOT NULL,
    requested_at INTEGER NOT NULL,
    erase_after  INTEGER NOT NULL,
    actor_kind   TEXT    NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor_name   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX contact_erasures_project_idx ON contact_erasures (project_id, contact_id);
CREATE INDEX contact_erasures_due_idx ON contact_erasures (erase_after);

-- Set by the archive policy (with lead_status 'archived'); the purge policy
-- erases contacts archived long enough with no activity since. The partial
-- index holds archived contacts only, so writes of the others never touch it.
ALTER TABLE contacts ADD COLUMN archived_at INTEGER;
CREATE INDEX contacts_archived_idx ON contacts (project_id, archived_at) WHERE archived_at IS NOT NULL;

-- When the body purge blanked a message's text and attachments.
ALTER TABLE messages ADD COLUMN body_purged_at INTEGER;

-- The audit log is append-only. The one change allowed is clearing the
-- before/after snapshots, which erasing a contact does to its own entries.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.project_id IS NOT OLD.project_id OR NEW.actor_kind IS NOT OLD.actor_kind
    OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor_name IS NOT OLD.actor_name OR NEW.action IS NOT OLD.action
    OR NEW.contact_id IS NOT OLD.contact_id OR NEW.at IS NOT OLD.at
    OR (NEW.before IS NOT NULL AND NEW.before IS NOT OLD.before)
    OR (NEW.after IS NOT NULL AND NEW.after IS NOT OLD.after)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: only before and after may be cleared');
END;
