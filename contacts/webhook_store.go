package contacts

// WebhookStore persists what the webhook features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type WebhookStore interface {
}
