package contacts

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
)

// ImportReportHeader is the header of an import's error report.
var ImportReportHeader = []string{"row", "line", "column", "field", "value", "reason"}

// WriteImportErrors writes an import's error report as CSV: one line per
// problem of a failed row. Cells that a spreadsheet would run as a formula
// are prefixed with an apostrophe.
func (s *Service) WriteImportErrors(ctx context.Context, projectID, id int64, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ImportReportHeader); err != nil {
		return err
	}
	err := s.ImportErrors(ctx, projectID, id, func(page []ImportRowError) error {
		for _, e := range page {
			rec := []string{strconv.Itoa(e.Row), strconv.Itoa(e.Line), Neutralize(e.Column), e.Field, Neutralize(e.Value), Neutralize(e.Reason)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
