-- Telegram message ids now name the bot's channel ("channel/chat:message"),
-- so two bots of one project never take each other's messages for
-- redeliveries. Inbound ids stored before get their channel prefixed, so a
-- redelivery or an edit of them is still recognised.
UPDATE messages SET channel_message_id =
    (SELECT c.channel_id FROM conversations c WHERE c.id = messages.conversation_id) || '/' || channel_message_id
WHERE channel = 'telegram' AND direction = 'inbound' AND instr(channel_message_id, '/') = 0
  AND (SELECT c.channel_id FROM conversations c WHERE c.id = messages.conversation_id) IS NOT NULL;
