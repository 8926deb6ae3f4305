package contacts

import (
	"context"
	"fmt"
)

// ExportListStore lists a project's exports, for the admin UI's exports
// page. It is part of Store; contacts/sqlstore implements it.
type ExportListStore interface {
	// ListExports returns up to limit of the project's exports with their
	// jobs, newest first; none is an empty list, not an error.
	ListExports(ctx context.Context, projectID int64, limit int) ([]Export, error)
}

// MaxExportList is the most exports List returns: a page of recent ones,
// since files expire within a day or so anyway.
const MaxExportList = 200

// List returns the project's newest exports, at most limit (1 to
// MaxExportList). Agents may not see exports.
func (x *Exporter) List(ctx context.Context, actor Actor, projectID int64, limit int) ([]Export, error) {
	if err := mayExport(actor); err != nil {
		return nil, err
	}
	if limit < 1 || limit > MaxExportList {
		limit = MaxExportList
	}
	out, err := x.svc.store.ListExports(ctx, projectID, limit)
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	return out, nil
}
