-- The id the channel gave a message we sent, so its delivery receipts
-- (WhatsApp statuses) find it.
ALTER TABLE messages ADD COLUMN peer_message_id TEXT;
CREATE INDEX messages_peer_idx ON messages (project_id, peer_message_id);
