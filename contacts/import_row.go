package contacts

import (
	"errors"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// importMapping is a file's mapping resolved for reading rows: per field,
// the columns filling it, best first.
type importMapping struct {
	columns []csvimport.Column
	fields  map[string][]int
	custom  []customColumn
}

type customColumn struct {
	key string
	col int
}

func newImportMapping(cols []csvimport.Column) *importMapping {
	m := &importMapping{columns: cols, fields: map[string][]int{}}
	sorted := append([]csvimport.Column(nil), cols...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
	for _, c := range sorted {
		switch {
		case c.Field == "":
		case strings.HasPrefix(c.Field, csvimport.CustomPrefix):
			m.custom = append(m.custom, customColumn{strings.TrimPrefix(c.Field, csvimport.CustomPrefix), c.Index})
		default:
			m.fields[c.Field] = append(m.fields[c.Field], c.Index)
		}
	}
	sort.Slice(m.custom, func(i, j int) bool { return m.custom[i].col < m.custom[j].col })
	return m
}

// value is the field's value in a row: its first non-empty column, and
// that column's index (-1 when all are empty).
func (m *importMapping) value(cells []string, field string) (string, int) {
	for _, i := range m.fields[field] {
		if i < len(cells) {
			if v := cellValue(cells[i]); v != "" {
				return v, i
			}
		}
	}
	return "", -1
}

// cellValue trims a cell and undoes the apostrophe spreadsheets and our
// exports put before a value starting like a formula ('=..., '+44...).
func cellValue(s string) string {
	return Unneutralize(strings.TrimSpace(s))
}

// column names the column that gave field in a row, for the error report.
func (m *importMapping) column(cells []string, field string) (name, value string) {
	if k, ok := strings.CutPrefix(field, csvimport.CustomPrefix); ok {
		for _, c := range m.custom {
			if c.key == k {
				return m.columns[c.col].Header, cellAt(cells, c.col)
			}
		}
		return "", ""
	}
	candidates := []string{field}
	if field == "first_name" || field == "last_name" {
		candidates = append(candidates, "name")
	}
	for _, f := range candidates {
		if v, i := m.value(cells, f); i >= 0 {
			return m.columns[i].Header, v
		}
	}
	return "", ""
}

func cellAt(cells []string, i int) string {
	if i < len(cells) {
		return cellValue(cells[i])
	}
	return ""
}

// importRow is one row read and checked: a valid contact to create, or
// the problems that fail it.
type importRow struct {
	row, line int
	in        ContactInput
	c         *Contact
	errs      []ImportRowError
}

// rowInput turns a row's non-empty cells into a contact input: an empty
// cell sets nothing, so an update never blanks a value.
func (m *importMapping) rowInput(cells []string) (ContactInput, *ValidationError) {
	var in ContactInput
	v := &ValidationError{}
	text := func(field string, dst **string) {
		if s, i := m.value(cells, field); i >= 0 {
			*dst = &s
		}
	}
	text("first_name", &in.FirstName)
	text("last_name", &in.LastName)
	if in.FirstName == nil && in.LastName == nil {
		text("name", &in.Name)
	}
	first := func(field string, dst **string) {
		// Google joins several values of a field with " ::: ".
		if s, i := m.value(cells, field); i >= 0 {
			s, _, _ = strings.Cut(s, ":::")
			s = strings.TrimSpace(s)
			*dst = &s
		}
	}
	first("email", &in.Email)
	first("phone", &in.Phone)
	text("company", &in.Company)
	text("external_id", &in.ExternalID)
	text("channel", &in.Channel)
	text("notes", &in.Notes)
	text("context", &in.Context)
	text("country", &in.Country)
	text("region", &in.Region)
	text("city", &in.City)
	text("telegram_id", &in.TelegramID)
	text("instagram_id", &in.InstagramID)
	text("facebook_id", &in.FacebookID)
	text("whatsapp_id", &in.WhatsAppID)
	if in.WhatsAppID != nil {
		id := phoneDigits(*in.WhatsAppID)
		in.WhatsAppID = &id
	}
	if s, i := m.value(cells, "tags"); i >= 0 {
		tags := splitTags(s)
		in.Tags = &tags
	}
	if s, i := m.value(cells, "memories"); i >= 0 && strings.TrimSpace(s) != "" {
		mems := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		in.Memories = &mems
	}
	if s, i := m.value(cells, "do_not_contact"); i >= 0 {
		if b, ok := parseBool(s); ok {
			in.DoNotContact = &b
		} else {
			v.Add("do_not_contact", "must be true or false (yes/no, 1/0)")
		}
	}
	for _, c := range m.custom {
		if s := cellAt(cells, c.col); s != "" {
			if in.Custom == nil {
				in.Custom = map[string]*string{}
			}
			in.Custom[c.key] = &s
		}
	}
	return in, v
}

// phoneDigits reduces a WhatsApp id written as a phone number ("+55 11
// 91234-5678") to its digits; other ids are left alone.
func phoneDigits(s string) string {
	digits := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case strings.IndexByte("+-() .", c) >= 0:
		default:
			return s
		}
	}
	return string(digits)
}

// splitTags splits a tags cell on commas, semicolons (Outlook's
// categories) and " ::: " (Google's labels), dropping Google's system
// group marks ("* myContacts").
func splitTags(s string) []string {
	parts := strings.FieldsFunc(strings.ReplaceAll(s, ":::", ","), func(r rune) bool { return r == ',' || r == ';' })
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p), "* "))
		if p == "" || strings.EqualFold(p, "myContacts") {
			continue
		}
		out = append(out, p)
	}
	return out
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1", "x", "t", "on":
		return true, true
	case "false", "no", "n", "0", "f", "off":
		return false, true
	}
	return false, false
}

// checkRow validates a row as a new contact, by the engine's rules with
// provenance import.
func (m *importMapping) checkRow(row, line int, cells []string, header int, projectID int64, region string, now time.Time) *importRow {
	r := &importRow{row: row, line: line}
	if extra := extraCells(cells, header); extra > 0 {
		r.errs = append(r.errs, ImportRowError{Row: row, Line: line,
			Reason: "the row has more cells than the header: check its quotes and delimiters"})
		return r
	}
	in, v := m.rowInput(cells)
	c := &Contact{ProjectID: projectID, Channel: ChannelImport, CreatedAt: now, UpdatedAt: now}
	err := in.Apply(c, SourceImport, now, region)
	var ve *ValidationError
	if errors.As(err, &ve) {
		for f, msg := range ve.Fields {
			v.Add(f, msg)
		}
	}
	if len(v.Fields) == 0 && !c.HasIdentifier() {
		v.Add("contact", "a contact needs a name, an email, a phone or a channel identity")
	}
	if len(v.Fields) > 0 {
		r.errs = m.rowErrors(row, line, cells, v)
		return r
	}
	c.ApplyLead(now)
	r.in, r.c = in, c
	return r
}

// extraCells counts non-empty cells beyond the header's width (trailing
// empty ones are a spreadsheet habit, not a problem).
func extraCells(cells []string, header int) int {
	n := 0
	for i := header; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			n++
		}
	}
	return n
}

// rowErrors turns a row's field problems into report lines, in field order.
func (m *importMapping) rowErrors(row, line int, cells []string, v *ValidationError) []ImportRowError {
	fields := make([]string, 0, len(v.Fields))
	for f := range v.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	out := make([]ImportRowError, 0, len(fields))
	for _, f := range fields {
		col, val := m.column(cells, f)
		out = append(out, ImportRowError{Row: row, Line: line, Column: col, Field: f, Value: truncate(val, 200), Reason: v.Fields[f]})
	}
	return out
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
