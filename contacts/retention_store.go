package contacts

// RetentionStore persists what the retention features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type RetentionStore interface {
}
