package csvimport

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Limits bound what one record may hold, so a hostile file cannot make the
// reader hold more than a record's worth of memory.
type Limits struct {
	MaxColumns     int // cells in a record
	MaxRecordBytes int // bytes of a record's cells together
}

// DefaultLimits fit every real contact export with room to spare.
var DefaultLimits = Limits{MaxColumns: 1000, MaxRecordBytes: 1 << 20}

// ErrUnterminatedQuote ends reading: a quoted field opened and the file
// ended before it closed, so nothing after the quote can be told apart.
var ErrUnterminatedQuote = errors.New("a quoted field is never closed")

// RecordError is a problem with one record. Reading can go on after it
// unless Err is ErrUnterminatedQuote or an I/O error.
type RecordError struct {
	Row  int // the record's row number, the header being row 1
	Line int // the line the record starts on
	Err  error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("row %d (line %d): %v", e.Row, e.Line, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Fatal reports whether reading cannot go on after the error.
func (e *RecordError) Fatal() bool { return !isLimitError(e.Err) }

type tooLongError struct{ max int }

func (e *tooLongError) Error() string {
	return fmt.Sprintf("the row is longer than %d bytes", e.max)
}

type tooManyError struct{ max int }

func (e *tooManyError) Error() string {
	return fmt.Sprintf("the row has more than %d cells", e.max)
}

// Record is one row of the file.
type Record struct {
	Row    int // row number as a spreadsheet shows it: the header is row 1
	Line   int // line of the file the row starts on
	Fields []string
}

// Blank reports whether every cell of the record is empty (a blank line,
// or a row of delimiters that spreadsheets leave at the end).
func (r *Record) Blank() bool {
	for _, f := range r.Fields {
		for i := 0; i < len(f); i++ {
			if c := f[i]; c != ' ' && c != '\t' {
				return false
			}
		}
	}
	return true
}

// Reader reads the records of a CSV file of unknown encoding and
// delimiter, streaming: it holds one record at a time.
type Reader struct {
	raw    *countingReader
	br     *bufio.Reader
	comma  byte
	enc    string
	lim    Limits
	line   int // lines consumed
	row    int // records consumed, blank ones included
	long   []byte
	rec    []byte
	ends   []int
	fields []string
	done   bool
}

// NewReader sniffs r's encoding and delimiter (comma, semicolon, tab or
// pipe). It returns ErrNotText for binary data.
func NewReader(r io.Reader, lim Limits) (*Reader, error) {
	return newReader(r, lim, 0)
}

// NewReaderComma is NewReader with the delimiter given rather than sniffed.
func NewReaderComma(r io.Reader, lim Limits, comma byte) (*Reader, error) {
	return newReader(r, lim, comma)
}

func newReader(r io.Reader, lim Limits, comma byte) (*Reader, error) {
	if lim.MaxColumns <= 0 {
		lim.MaxColumns = DefaultLimits.MaxColumns
	}
	if lim.MaxRecordBytes <= 0 {
		lim.MaxRecordBytes = DefaultLimits.MaxRecordBytes
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, sniffSize)
	text, enc, err := sniff(br)
	if err != nil {
		return nil, err
	}
	if text != io.Reader(br) {
		br = bufio.NewReaderSize(text, sniffSize)
	}
	if comma == 0 {
		head, err := br.Peek(sniffSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		comma = sniffDelimiter(head)
	}
	return &Reader{raw: cr, br: br, comma: comma, enc: enc, lim: lim}, nil
}

// Encoding names the detected encoding.
func (r *Reader) Encoding() string { return r.enc }

// Delimiter is the detected (or given) delimiter.
func (r *Reader) Delimiter() byte { return r.comma }

// BytesRead is how many bytes of the file have been consumed, for
// progress (it runs ahead of the records by a buffer).
func (r *Reader) BytesRead() int64 { return r.raw.n }

// Read returns the next record, blank ones included, or io.EOF. A
// *RecordError names a record it could not read; unless it is Fatal, the
// next Read goes on with the following record.
func (r *Reader) Read() (*Record, error) {
	if r.done {
		return nil, io.EOF
	}
	line, err := r.readLine(false)
	if len(line) == 0 && err != nil {
		r.done = true
		return nil, err
	}
	r.row++
	rec := &Record{Row: r.row, Line: r.line}
	if err := r.parse(line); err != nil {
		if !isLimitError(err) {
			r.done = true
		}
		return nil, &RecordError{Row: rec.Row, Line: rec.Line, Err: err}
	}
	rec.Fields = r.fields
	return rec, nil
}

func isLimitError(err error) bool {
	var tl *tooLongError
	var tm *tooManyError
	return errors.As(err, &tl) || errors.As(err, &tm)
}

// parse splits the record starting with line into r.fields, reading more
// lines while a quoted field spans them. Over a limit it reads on to the
// end of the record, keeping nothing, so the next record starts right.
func (r *Reader) parse(line []byte) error {
	r.rec, r.ends = r.rec[:0], r.ends[:0]
	var over error
	keep := func(b []byte) {
		if over == nil && len(r.rec)+len(b) > r.lim.MaxRecordBytes {
			over = &tooLongError{r.lim.MaxRecordBytes}
		}
		if over == nil {
			r.rec = append(r.rec, b...)
		}
	}
	end := func() {
		if over == nil && len(r.ends) >= r.lim.MaxColumns {
			over = &tooManyError{r.lim.MaxColumns}
		}
		if over == nil {
			r.ends = append(r.ends, len(r.rec))
		}
	}
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, r.comma)
			if i < 0 {
				keep(trimEOL(line))
				end()
				break
			}
			keep(line[:i])
			end()
			line = line[i+1:]
			continue
		}
		// A quoted field: "" is a quote, and it may span lines.
		line = line[1:]
		closed := false
		for !closed {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				keep(line)
				next, err := r.readLine(true)
				if len(next) == 0 && err != nil {
					if errors.Is(err, io.EOF) {
						return ErrUnterminatedQuote
					}
					return err
				}
				line = next
				continue
			}
			keep(line[:i])
			line = line[i+1:]
			if len(line) > 0 && line[0] == '"' {
				keep(line[:1])
				line = line[1:]
				continue
			}
			closed = true
		}
		// Text after the closing quote ("a"b) is kept as it stands.
		i := bytes.IndexByte(line, r.comma)
		if i < 0 {
			keep(trimEOL(line))
			end()
			break
		}
		keep(line[:i])
		end()
		line = line[i+1:]
	}
	if over != nil {
		return over
	}
	r.fields = r.toStrings()
	return nil
}

// toStrings converts the record's cells to UTF-8 strings. A UTF-8 record
// takes one allocation, its cells share it.
func (r *Reader) toStrings() []string {
	fields := make([]string, len(r.ends))
	start := 0
	switch {
	case r.enc == Encoding1252:
		for i, e := range r.ends {
			fields[i] = decode1252(r.rec[start:e])
			start = e
		}
	case !validCells(r.rec, r.ends):
		// Bytes that are not UTF-8 in a UTF-8 file: each is read as
		// Windows-1252, the usual origin of a stray byte.
		for i, e := range r.ends {
			fields[i] = fixUTF8(r.rec[start:e])
			start = e
		}
	default:
		all := string(r.rec)
		for i, e := range r.ends {
			fields[i] = all[start:e]
			start = e
		}
	}
	return fields
}

// validCells reports whether every cell is valid UTF-8: the record is, and
// no cell boundary splits a character (two halves of stray bytes can make
// a valid one).
func validCells(rec []byte, ends []int) bool {
	if !utf8.Valid(rec) {
		return false
	}
	for _, e := range ends {
		if e < len(rec) && !utf8.RuneStart(rec[e]) {
			return false
		}
	}
	return true
}

func fixUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]rune, 0, len(b))
	for len(b) > 0 {
		c, n := utf8.DecodeRune(b)
		if c == utf8.RuneError && n == 1 {
			c = charmap.Windows1252.DecodeByte(b[0])
		}
		out = append(out, c)
		b = b[n:]
	}
	return string(out)
}

func decode1252(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	out := make([]rune, len(b))
	for i, c := range b {
		out[i] = charmap.Windows1252.DecodeByte(c)
	}
	return string(out)
}

// readLine returns the next line with its line feed (CRLF becomes LF); the
// last line may lack one. inQuote says the line continues a quoted field.
// A line longer than the buffer is gathered in r.long up to the record
// limit; beyond it, its content no longer matters (the record fails) but
// its shape does: where a quoted field is left open, the record goes on
// into the next line. So an overlong line is replaced by one of the same
// shape, over the limit.
func (r *Reader) readLine(inQuote bool) ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		st := lineStart
		if inQuote {
			st = lineQuoted
		}
		r.long = append(r.long[:0], line...)
		st = r.scan(st, line)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.br.ReadSlice('\n')
			st = r.scan(st, line)
			if len(r.long) <= r.lim.MaxRecordBytes {
				r.long = append(r.long, line...)
			}
		}
		if len(r.long) > r.lim.MaxRecordBytes {
			r.long = overlong(r.long[:0], r.lim.MaxRecordBytes+1, inQuote, st == lineQuoted, trailingEOL(line))
		}
		line = r.long
	}
	if len(line) > 0 {
		r.line++
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return line, err
	}
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// States of a line's shape, for overlong lines.
const (
	lineStart     = iota // at the start of a cell
	lineUnquoted         // inside an unquoted cell, or after a closing quote
	lineQuoted           // inside a quoted cell
	lineQuoteSeen        // a quote inside a quoted cell: escaped or closing
)

func (r *Reader) scan(st int, b []byte) int {
	for _, c := range b {
		switch {
		case c == '\n' || c == '\r':
		case st == lineStart && c == '"':
			st = lineQuoted
		case st == lineQuoted && c == '"':
			st = lineQuoteSeen
		case st == lineQuoted:
		case st == lineQuoteSeen && c == '"':
			st = lineQuoted
		case c == r.comma:
			st = lineStart
		default:
			st = lineUnquoted
		}
	}
	return st
}

// overlong builds a line of n filler bytes shaped like the one it
// replaces: opening a quoted cell (when it did not start in one) and
// leaving it open, or closing one it started in.
func overlong(dst []byte, n int, startQuoted, endQuoted bool, eol []byte) []byte {
	if endQuoted && !startQuoted {
		dst = append(dst, '"')
	}
	dst = append(dst, bytes.Repeat([]byte{'x'}, n)...)
	if startQuoted && !endQuoted {
		dst = append(dst, '"')
	}
	return append(dst, eol...)
}

func trailingEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[n-1:]
	}
	return nil
}

// trimEOL drops the line end of a record's last cell; at the end of the
// file, a lone CR (as encoding/csv does).
func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
