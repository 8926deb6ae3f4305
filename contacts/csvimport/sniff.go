// Package csvimport reads contact spreadsheets as people export them:
// UTF-8 with or without a byte-order mark, UTF-16, Windows-1252; comma,
// semicolon or tab delimited; quoted fields spanning lines; CRLF. It maps
// their headers (Google, Outlook, HubSpot, Switchboard's own export) to
// contact fields. It knows no contact rules and no database: the contacts
// package validates and stores what it reads.
package csvimport

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a file may be detected as.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
	Encoding1252    = "windows-1252"
)

// ErrNotText is returned for a file that is not text (binary data, an
// image, a spreadsheet in a binary format).
var ErrNotText = errors.New("the file is not a text CSV file (binary data found); export it as CSV")

// sniffSize is how much of the file decides its encoding and delimiter.
const sniffSize = 64 << 10

// sniff detects the encoding of the buffered input and returns a reader of
// its bytes with any byte-order mark removed (UTF-16 decoded to UTF-8), and
// whether the bytes are Windows-1252 rather than UTF-8.
func sniff(br *bufio.Reader) (r io.Reader, enc string, err error) {
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, EncodingUTF8, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return utf16Reader(br, unicode.LittleEndian, unicode.ExpectBOM), EncodingUTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return utf16Reader(br, unicode.BigEndian, unicode.ExpectBOM), EncodingUTF16BE, nil
	}
	if order, ok := utf16WithoutBOM(head); ok {
		enc := EncodingUTF16LE
		if order == unicode.BigEndian {
			enc = EncodingUTF16BE
		}
		return utf16Reader(br, order, unicode.IgnoreBOM), enc, nil
	}
	if !looksLikeText(head) {
		return nil, "", ErrNotText
	}
	if utf8.Valid(cutRune(head, len(head) == sniffSize)) {
		return br, EncodingUTF8, nil
	}
	return br, Encoding1252, nil
}

// cutRune drops a character the sample cut in two (when more follows).
func cutRune(b []byte, more bool) []byte {
	if !more {
		return b
	}
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

func utf16Reader(r io.Reader, order unicode.Endianness, bom unicode.BOMPolicy) io.Reader {
	return transform.NewReader(r, unicode.UTF16(order, bom).NewDecoder())
}

// utf16WithoutBOM recognises UTF-16 text that lacks a byte-order mark by
// its zero bytes: ASCII characters have a zero high byte, so text in a
// Latin script has zeros at every other position.
func utf16WithoutBOM(head []byte) (unicode.Endianness, bool) {
	n := len(head) &^ 1
	if n < 4 {
		return unicode.LittleEndian, false
	}
	var evenZero, oddZero int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			evenZero++
		}
		if head[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	switch {
	case oddZero*10 >= pairs*7 && evenZero*10 <= pairs:
		return unicode.LittleEndian, true
	case evenZero*10 >= pairs*7 && oddZero*10 <= pairs:
		return unicode.BigEndian, true
	}
	return unicode.LittleEndian, false
}

// looksLikeText rejects samples with zero bytes or many control
// characters; CSV text has neither.
func looksLikeText(head []byte) bool {
	control := 0
	for _, b := range head {
		switch {
		case b == 0:
			return false
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f':
			control++
		}
	}
	// A few stray control characters are a row's problem, not the file's.
	return control <= 8 || control*100 <= len(head)
}

// sniffDelimiter picks the delimiter of the first record (its header) from
// comma, semicolon, tab and pipe: the one that occurs most outside quotes.
// A single-column file is comma separated.
func sniffDelimiter(head []byte) byte {
	counts := map[byte]int{}
	inQuote := false
	for _, b := range head {
		if b == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if b == '\n' {
			if len(counts) > 0 {
				break
			}
			continue // blank lines before the header
		}
		switch b {
		case ',', ';', '\t', '|':
			counts[b]++
		}
	}
	best, n := byte(','), 0
	for _, d := range []byte{',', ';', '\t', '|'} {
		if counts[d] > n {
			best, n = d, counts[d]
		}
	}
	return best
}
