package contacts

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// xlsxWriter streams a one-sheet workbook: the worksheet XML goes through
// a zip deflater straight into the output, row by row, so memory stays at
// one row and the compressor's window whatever the row count. (excelize's
// stream writer, tried first, builds the finished archive in memory: 250
// MiB of heap at a million contacts.) Cells are inline strings, but the id,
// which is a number; the header is bold and stays in view.
type xlsxWriter struct {
	zip  *zip.Writer
	out  *bufio.Writer // the worksheet entry
	cols []column
	refs []string // column letters
	row  int
	num  []byte
}

const xlsxSheet = "Contacts"

// xlsxMaxCell is the most UTF-16 units a cell may hold.
const xlsxMaxCell = 32767

func newXLSXWriter(w io.Writer, cols []column) (*xlsxWriter, error) {
	zw := zip.NewWriter(w)
	// BestSpeed: three times the default's speed on this XML, for a file
	// about a fifth larger.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, part := range xlsxParts {
		f, err := zw.Create(part.name)
		if err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		if _, err := io.WriteString(f, xml.Header+part.body); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	sheet, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	xw := &xlsxWriter{zip: zw, out: bufio.NewWriterSize(sheet, 64<<10), cols: cols, refs: make([]string, len(cols))}
	for i := range cols {
		xw.refs[i] = columnLetters(i)
	}
	_, err = xw.out.WriteString(xml.Header + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`</sheetView></sheetViews><sheetData>`)
	return xw, err
}

// columnLetters names the i-th column (0 is A, 26 is AA).
func columnLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func (xw *xlsxWriter) header() error {
	xw.startRow()
	for i, c := range xw.cols {
		xw.text(i, c.name, true)
	}
	return xw.endRow()
}

func (xw *xlsxWriter) write(c *Contact) error {
	if xw.row > MaxXLSXRows {
		return Invalid("format", fmt.Sprintf("an XLSX sheet holds at most %d contacts: export as CSV or NDJSON", MaxXLSXRows))
	}
	xw.startRow()
	for i, col := range xw.cols {
		if col.field == colID {
			xw.cellRef(i)
			xw.out.WriteString(`"><v>`)
			xw.out.Write(strconv.AppendInt(xw.num[:0], c.ID, 10))
			xw.out.WriteString(`</v></c>`)
			continue
		}
		if v := Neutralize(col.text(c)); v != "" {
			xw.text(i, v, false)
		}
	}
	return xw.endRow()
}

func (xw *xlsxWriter) startRow() {
	xw.row++
	xw.num = strconv.AppendInt(xw.num[:0], int64(xw.row), 10)
	xw.out.WriteString(`<row r="`)
	xw.out.Write(xw.num)
	xw.out.WriteString(`">`)
}

func (xw *xlsxWriter) endRow() error {
	_, err := xw.out.WriteString(`</row>`)
	return err
}

// cellRef opens a cell: `<c r="B7` (the caller closes the attribute).
func (xw *xlsxWriter) cellRef(i int) {
	xw.out.WriteString(`<c r="`)
	xw.out.WriteString(xw.refs[i])
	xw.out.Write(strconv.AppendInt(xw.num[:0], int64(xw.row), 10))
}

// text writes an inline string cell, escaped (characters XML cannot carry
// become U+FFFD) and cut to the most a cell holds.
func (xw *xlsxWriter) text(i int, s string, bold bool) {
	xw.cellRef(i)
	if bold {
		xw.out.WriteString(`" s="1`)
	}
	s = cutUTF16(s, xlsxMaxCell)
	if plainXML(s) {
		xw.out.WriteString(`" t="inlineStr"><is><t>`)
		xw.out.WriteString(s)
	} else {
		// Keeps leading and trailing spaces and line breaks as they are.
		xw.out.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
		xml.EscapeText(xw.out, []byte(s))
	}
	xw.out.WriteString(`</t></is></c>`)
}

// plainXML reports whether s can go into XML text as it is, with nothing
// to escape and no edge spaces to preserve: most cells, written without
// the escaper's per-character work.
func plainXML(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' {
			return false
		}
	}
	return true
}

// cutUTF16 cuts s to at most max UTF-16 code units, on a rune boundary.
func cutUTF16(s string, max int) string {
	if len(s) <= max { // no string has more units than bytes
		return s
	}
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > max {
			return s[:i]
		}
	}
	return s
}

func (xw *xlsxWriter) close() error {
	if _, err := xw.out.WriteString(`</sheetData></worksheet>`); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := xw.out.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := xw.zip.Close(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// xlsxParts are the workbook's fixed parts: the package's content types
// and relationships, the workbook naming its one sheet, and the styles
// (cell style 1 is the bold header).
var xlsxParts = []struct{ name, body string }{
	{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`},
	{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="` + xlsxSheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`</Relationships>`},
	{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`},
}
