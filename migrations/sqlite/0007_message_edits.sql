-- A customer's edit replaces a message's text; the first version is kept.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN original_text TEXT;
