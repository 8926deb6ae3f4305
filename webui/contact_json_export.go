package webui

import "github.com/switchboard-oss/switchboard/contacts"

// ContactJSON is the API's JSON shape of a contact, for webhook bodies.
func ContactJSON(c *contacts.Contact) any { return contactJSON(c) }

// ConversationJSON is the API's JSON shape of a conversation, for webhook bodies.
func ConversationJSON(cv *contacts.Conversation) any { return conversationJSON(*cv) }
