package contacts

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// ImportPreview shows how a file would be read and what its first rows
// would do, writing nothing.
type ImportPreview struct {
	Columns   []csvimport.Column `json:"columns"`
	Encoding  string             `json:"encoding"`
	Delimiter string             `json:"delimiter"`
	Rows      []PreviewRow       `json:"rows"`
}

// PreviewRow is one row of a preview: what importing it would do (create,
// update, unchanged, skip or fail), the contact as it would be stored, and
// the row's problems.
type PreviewRow struct {
	Row        int              `json:"row"`
	Line       int              `json:"line"`
	Action     string           `json:"action"`
	ExistingID int64            `json:"existing_id,omitempty"`
	Contact    *Contact         `json:"contact,omitempty"`
	Errors     []ImportRowError `json:"errors"`
}

// PreviewImport reads a file's header and first PreviewRows rows and says
// what importing them with opts would do.
func (s *Service) PreviewImport(ctx context.Context, actor Actor, projectID int64, path string, opts ImportOptions) (*ImportPreview, error) {
	if err := canImport(actor); err != nil {
		return nil, err
	}
	if err := opts.validate(s.region); err != nil {
		return nil, err
	}
	src, err := openImportSource(path, opts)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	imp := &Import{ProjectID: projectID, Options: opts}
	var raw []rawRow
	for len(raw) < PreviewRows {
		rec, err := src.rd.Read()
		var re *csvimport.RecordError
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &re) {
			raw = append(raw, rawRow{row: re.Row, line: re.Line, err: re.Err})
			if re.Fatal() {
				break
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("preview: read file: %w", err)
		}
		if !rec.Blank() {
			raw = append(raw, rawRow{row: rec.Row, line: rec.Line, cells: rec.Fields})
		}
	}
	rows := s.checkRows(raw, src, imp)
	out := &ImportPreview{Columns: src.columns, Encoding: src.encoding, Delimiter: src.delimiter, Rows: make([]PreviewRow, len(rows))}
	at := map[*importRow]*PreviewRow{}
	for i, r := range rows {
		out.Rows[i] = PreviewRow{Row: r.row, Line: r.line, Errors: []ImportRowError{}}
		at[r] = &out.Rows[i]
	}
	p := (&importCommitter{s: s, imp: imp}).planner(rows)
	p.onRow = func(r *importRow, action string, c *Contact, existing int64) {
		pr := at[r]
		pr.Action, pr.ExistingID, pr.Contact = action, existing, c
	}
	found, err := s.store.MatchImportKeys(ctx, projectID, batchKeys(rows))
	if err != nil {
		return nil, fmt.Errorf("preview: look up duplicates: %w", err)
	}
	plan, err := p.plan(found)
	if err != nil {
		return nil, err
	}
	for _, u := range plan.Updates {
		c, err := s.store.GetContact(ctx, projectID, u.ContactID)
		if err != nil {
			return nil, fmt.Errorf("preview: load contact %d: %w", u.ContactID, err)
		}
		u.Apply(c)
	}
	for _, e := range p.errs {
		for i := range out.Rows {
			if out.Rows[i].Row == e.Row {
				out.Rows[i].Errors = append(out.Rows[i].Errors, e)
			}
		}
	}
	return out, nil
}
