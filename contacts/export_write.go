package contacts

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// rowWriter writes an export file row by row; nothing is held in memory
// beyond one row and the writer's buffers.
type rowWriter interface {
	header() error
	write(c *Contact) error
	// close finishes the file (XLSX writes its archive here).
	close() error
}

// newRowWriter writes format to w. In CSV and XLSX the custom column
// becomes one column per key in keys.
func newRowWriter(format string, w io.Writer, cols []column, keys []string) (rowWriter, error) {
	switch format {
	case FormatCSV:
		return newCSVWriter(w, expandCustom(cols, keys)), nil
	case FormatNDJSON:
		return &ndjsonWriter{w: w, cols: cols}, nil
	case FormatXLSX:
		return newXLSXWriter(w, expandCustom(cols, keys))
	}
	return nil, fmt.Errorf("export format %q: %w", format, ErrInvalid)
}

// csvWriter writes RFC 4180 CSV after a UTF-8 byte order mark, so
// spreadsheet programs read the text as UTF-8. Fields are quoted exactly
// where encoding/csv quotes them and lines end in LF, which keeps newlines
// inside notes exact; each row is built in one buffer, numbers and times
// appended in place, since at a million rows the strings encoding/csv
// needs were a third of the writer's time.
type csvWriter struct {
	w       io.Writer
	cols    []column
	buf     []byte
	scratch []byte
}

func newCSVWriter(w io.Writer, cols []column) *csvWriter {
	return &csvWriter{w: w, cols: cols}
}

func (cw *csvWriter) header() error {
	b := append(cw.buf[:0], "\ufeff"...)
	for i, c := range cw.cols {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = cw.field(append(b, c.name...), start)
	}
	cw.buf = append(b, '\n')
	_, err := cw.w.Write(cw.buf)
	return err
}

func (cw *csvWriter) write(c *Contact) error {
	b := cw.buf[:0]
	for i, col := range cw.cols {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = cw.field(col.appendText(b, c), start)
	}
	cw.buf = append(b, '\n')
	_, err := cw.w.Write(cw.buf)
	return err
}

// field neutralises (see Neutralize) and quotes the field b[start:].
func (cw *csvWriter) field(b []byte, start int) []byte {
	f := b[start:]
	apos := formulaLike(f)
	if !csvNeedsQuotes(f, apos) {
		if apos {
			b = append(b, 0)
			copy(b[start+1:], b[start:])
			b[start] = '\''
		}
		return b
	}
	cw.scratch = append(cw.scratch[:0], f...)
	b = append(b[:start], '"')
	if apos {
		b = append(b, '\'')
	}
	for _, ch := range cw.scratch {
		if ch == '"' {
			b = append(b, '"')
		}
		b = append(b, ch)
	}
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's rule (with a comma and LF line ends):
// a field with a comma, quote, CR or LF, one starting with a space (not
// when an apostrophe goes first), and the \. that would end a PostgreSQL
// COPY.
func csvNeedsQuotes(f []byte, apos bool) bool {
	if len(f) == 0 {
		return false
	}
	if string(f) == `\.` {
		return true
	}
	for _, c := range f {
		if c == ',' || c == '"' || c == '\r' || c == '\n' {
			return true
		}
	}
	r, _ := utf8.DecodeRune(f)
	return !apos && unicode.IsSpace(r)
}

func (cw *csvWriter) close() error { return nil }

// ndjsonWriter writes one JSON object per line with the chosen columns, in
// column order, valued as the API's contact JSON values them: absent email,
// phone, external and social ids and last_seen_at are null, tags and
// memories arrays, custom an object (just the chosen keys when custom.<key>
// columns are chosen). Values are not neutralised: JSON is not a sheet.
type ndjsonWriter struct {
	w    io.Writer
	cols []column
	buf  []byte
}

func (nw *ndjsonWriter) header() error { return nil }

func (nw *ndjsonWriter) write(c *Contact) error {
	b := append(nw.buf[:0], '{')
	first, customDone := true, false
	for _, col := range nw.cols {
		if col.field == colCustomKey || col.field == colCustom {
			if customDone {
				continue
			}
			customDone = true
			b = nw.key(b, &first, "custom")
			b = appendJSON(b, nw.custom(c))
			continue
		}
		b = nw.key(b, &first, col.name)
		b = appendValue(b, col, c)
	}
	b = append(b, '}', '\n')
	nw.buf = b
	_, err := nw.w.Write(b)
	return err
}

func (nw *ndjsonWriter) key(b []byte, first *bool, name string) []byte {
	if !*first {
		b = append(b, ',')
	}
	*first = false
	b = strconv.AppendQuote(b, name) // names are plain ASCII, quoted alike by Go and JSON
	return append(b, ':')
}

// custom is the contact's custom object restricted to the chosen keys.
func (nw *ndjsonWriter) custom(c *Contact) map[string]string {
	out := map[string]string{}
	for _, col := range nw.cols {
		switch col.field {
		case colCustom:
			for k, v := range c.Custom {
				out[k] = v
			}
		case colCustomKey:
			if v, ok := c.Custom[col.key]; ok {
				out[col.key] = v
			}
		}
	}
	return out
}

func (nw *ndjsonWriter) close() error { return nil }

// appendValue appends a column's JSON value.
func appendValue(b []byte, col column, c *Contact) []byte {
	switch col.field {
	case colID:
		return strconv.AppendInt(b, c.ID, 10)
	case colDoNotContact:
		return strconv.AppendBool(b, c.DoNotContact)
	case colTags:
		return appendJSONList(b, c.Tags)
	case colMemories:
		return appendJSONList(b, c.Memories)
	case colEmail, colPhone, colExternalID, colTelegramID, colInstagramID, colFacebookID, colWhatsAppID,
		colCreatedAt, colUpdatedAt, colLastSeenAt:
		s := col.text(c)
		if s == "" {
			return append(b, "null"...)
		}
		return appendJSONString(b, s)
	}
	return appendJSONString(b, col.text(c))
}

// appendJSON encodes v as encoding/json does (and so as the API does).
func appendJSON(b []byte, v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...) // strings, string lists and maps always encode
	}
	return append(b, raw...)
}

// appendJSONString encodes s as encoding/json does; the common plain ASCII
// string skips its reflection.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendJSON(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendJSONList(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}
