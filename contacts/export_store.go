package contacts

// ExportStore persists what the export features need (issue #5). It is part of
// Store; contacts/sqlstore implements it.
type ExportStore interface {
}
