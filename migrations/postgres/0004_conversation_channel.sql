-- The channel instance a conversation runs on (which bot, which page), so
-- replies go out through the same one. NULL for conversations from before.
ALTER TABLE conversations ADD COLUMN channel_id BIGINT;
