-- Telegram message ids now name the bot's channel ("channel/chat:message"),
-- so two bots of one project never take each other's messages for
-- redeliveries. Inbound ids stored before get their channel prefixed, so a
-- redelivery or an edit of them is still recognised.
UPDATE messages m SET channel_message_id = c.channel_id::text || '/' || m.channel_message_id
FROM conversations c
WHERE c.id = m.conversation_id AND m.channel = 'telegram' AND m.direction = 'inbound'
  AND strpos(m.channel_message_id, '/') = 0 AND c.channel_id IS NOT NULL;
