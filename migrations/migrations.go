// Package migrations embeds the SQL schema, one folder per dialect. Files in
// both folders carry the same names; each is applied once, in name order, in
// its own transaction, and recorded by name. Never edit a file once released:
// add a new one.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
