package contacts

// ImportStore persists what the import features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type ImportStore interface {
}
