package contacts

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// importSource is an open file positioned after its header.
type importSource struct {
	f         *os.File
	rd        *csvimport.Reader
	columns   []csvimport.Column
	mapping   *importMapping
	size      int64
	encoding  string
	delimiter string
}

var delimiterNames = map[byte]string{',': "comma", ';': "semicolon", '\t': "tab", '|': "pipe"}

// openImportSource opens a file, reads its header and maps its columns.
// Problems with the file or the mapping are *ValidationError.
func openImportSource(path string, opts ImportOptions) (*importSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open import file: %w", err)
	}
	src, err := readHeader(f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

func readHeader(f *os.File, opts ImportOptions) (*importSource, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open import file: %w", err)
	}
	rd, err := csvimport.NewReader(f, csvimport.DefaultLimits)
	if errors.Is(err, csvimport.ErrNotText) {
		return nil, Invalid("file", err.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("read import file: %w", err)
	}
	var header []string
	for header == nil {
		rec, err := rd.Read()
		var re *csvimport.RecordError
		switch {
		case errors.Is(err, io.EOF):
			return nil, Invalid("file", "the file is empty: it needs a header row naming its columns")
		case errors.As(err, &re):
			return nil, Invalid("file", "the header row cannot be read: "+re.Err.Error())
		case err != nil:
			return nil, fmt.Errorf("read import file: %w", err)
		case !rec.Blank():
			header = rec.Fields
		}
	}
	cols, merrs := csvimport.Map(header, opts.Map, opts.CustomUnmapped)
	if len(merrs) > 0 {
		v := &ValidationError{}
		for _, e := range merrs {
			v.Add("map."+e.Column, e.Msg)
		}
		return nil, v
	}
	m := newImportMapping(cols)
	if len(m.fields) == 0 && len(m.custom) == 0 {
		return nil, Invalid("file", fmt.Sprintf("no column of the header (%s) is a contact field: name them with a mapping (column=field)",
			shortList(header, 8)))
	}
	return &importSource{f: f, rd: rd, columns: cols, mapping: m, size: st.Size(),
		encoding: rd.Encoding(), delimiter: delimiterNames[rd.Delimiter()]}, nil
}

// Close closes the file.
func (s *importSource) Close() error { return s.f.Close() }

func shortList(items []string, n int) string {
	out := make([]string, 0, n+1)
	for i, s := range items {
		if i == n {
			out = append(out, "…")
			break
		}
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		out = append(out, fmt.Sprintf("%q", s))
	}
	return strings.Join(out, ", ")
}
