package contacts

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var updateGolden = flag.Bool("update", false, "rewrite the export golden files in testdata/export")

// exportFixture is a small set of contacts that exercises every column:
// quoting (commas, quotes, newlines), formula-like values, identities,
// custom attributes, and empty values.
func exportFixture() []*Contact {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	return []*Contact{
		{
			ID: 1, FirstName: "Ana", LastName: "Silva", Email: "ana@example.com", Phone: "+5511987654321",
			Company: "Acme, Inc.", ExternalID: "crm-1", Channel: ChannelTelegram, Tags: []string{"vip", "eu"},
			Notes: "Said \"hi\"\nthen left", Context: "asked about pricing", Country: "BR", Region: "SP", City: "São Paulo",
			Custom: map[string]string{"plan": "pro", "seats": "12"}, Memories: []string{"likes tea", "has a dog"},
			Identities: []Identity{{Channel: ChannelTelegram, ExternalID: "1001"}, {Channel: ChannelWhatsApp, ExternalID: "+5511987654321"}},
			LeadStatus: LeadActive, LeadScore: LeadHot, CreatedAt: at, UpdatedAt: at.Add(time.Hour), LastSeenAt: at.Add(90 * time.Minute),
		},
		{
			ID: 2, FirstName: "=HYPERLINK(\"http://evil.test\",\"x\")", LastName: "-2+3", Company: "@SUM(A1)",
			Channel: ChannelImport, Notes: "'=already quoted", Context: "+plus", DoNotContact: true,
			Custom: map[string]string{"plan": "=1+1"}, LeadStatus: LeadArchived, LeadScore: LeadCold,
			Identities: []Identity{{Channel: ChannelMessenger, ExternalID: "fb-77"}, {Channel: ChannelInstagram, ExternalID: "ig_x"}},
			CreatedAt:  at.Add(time.Millisecond * 250), UpdatedAt: at.Add(time.Millisecond * 250),
		},
		{ID: 3, Email: "bare@example.com", Channel: ChannelAPI, LeadStatus: LeadNew, LeadScore: LeadCold, CreatedAt: at, UpdatedAt: at},
	}
}

func writeExport(t *testing.T, format string, names []string, keys []string, cs []*Contact) []byte {
	t.Helper()
	cols, err := parseColumns(names)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := newRowWriter(format, &buf, cols, keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.header(); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if err := w.write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "export", name)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestExportCSV(t *testing.T) {
	got := writeExport(t, FormatCSV, nil, []string{"plan", "seats"}, exportFixture())
	golden(t, "all.csv", got)
	if !bytes.HasPrefix(got, []byte("\ufeffid,first_name,")) {
		t.Errorf("no BOM and header: %q", got[:20])
	}
	// A CSV reader gets back the values, neutralised.
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(got, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	row := func(i int, col string) string {
		for j, h := range head {
			if h == col {
				return recs[i][j]
			}
		}
		t.Fatalf("no column %s in %v", col, head)
		return ""
	}
	for _, tc := range []struct {
		row       int
		col, want string
	}{
		{1, "company", "Acme, Inc."},
		{1, "notes", "Said \"hi\"\nthen left"},
		{1, "phone", "'+5511987654321"},
		{1, "tags", "vip,eu"},
		{1, "memories", "likes tea\nhas a dog"},
		{1, "telegram_id", "1001"},
		{1, "whatsapp_id", "'+5511987654321"},
		{1, "custom.seats", "12"},
		{1, "last_seen_at", "2026-03-10T13:30:00Z"},
		{2, "first_name", "'=HYPERLINK(\"http://evil.test\",\"x\")"},
		{2, "last_name", "'-2+3"},
		{2, "company", "'@SUM(A1)"},
		{2, "notes", "''=already quoted"},
		{2, "context", "'+plus"},
		{2, "custom.plan", "'=1+1"},
		{2, "facebook_id", "fb-77"},
		{2, "instagram_id", "ig_x"},
		{2, "do_not_contact", "true"},
		{2, "created_at", "2026-03-10T12:00:00.25Z"},
		{2, "last_seen_at", ""},
		{3, "email", "bare@example.com"},
		{3, "custom.plan", ""},
	} {
		if got := row(tc.row, tc.col); got != tc.want {
			t.Errorf("row %d %s = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
}

func TestExportColumnsChosen(t *testing.T) {
	got := writeExport(t, FormatCSV, []string{"email", "id", "custom.plan"}, nil, exportFixture())
	want := "\ufeffemail,id,custom.plan\nana@example.com,1,pro\n,2,'=1+1\nbare@example.com,3,\n"
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestExportNDJSON(t *testing.T) {
	got := writeExport(t, FormatNDJSON, nil, nil, exportFixture())
	golden(t, "all.ndjson", got)
	if n := bytes.Count(got, []byte("\n")); n != 3 {
		t.Errorf("%d lines", n)
	}
	got = writeExport(t, FormatNDJSON, []string{"id", "custom.seats", "tags", "custom.plan"}, nil, exportFixture())
	want := `{"id":1,"custom":{"plan":"pro","seats":"12"},"tags":["vip","eu"]}
{"id":2,"custom":{"plan":"=1+1"},"tags":[]}
{"id":3,"custom":{},"tags":[]}
`
	if string(got) != want {
		t.Errorf("chosen columns:\n%s\nwant\n%s", got, want)
	}
}

func TestExportXLSX(t *testing.T) {
	raw := writeExport(t, FormatXLSX, nil, []string{"plan", "seats"}, exportFixture())
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsxSheet)
	if err != nil {
		t.Fatal(err)
	}
	// The sheet holds exactly the CSV's cells.
	csvRecs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(writeExport(t, FormatCSV, nil, []string{"plan", "seats"}, exportFixture()),
		[]byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(csvRecs) {
		t.Fatalf("%d rows, want %d", len(rows), len(csvRecs))
	}
	for i := range csvRecs {
		for j := range csvRecs[i] {
			var cell string
			if j < len(rows[i]) {
				cell = rows[i][j]
			}
			if cell != csvRecs[i][j] {
				t.Errorf("row %d col %s: %q, want %q", i, csvRecs[0][j], cell, csvRecs[i][j])
			}
		}
	}
	if typ, _ := f.GetCellType(xlsxSheet, "A2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("id cell type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue(xlsxSheet, "B3"); v != `'=HYPERLINK("http://evil.test","x")` {
		t.Errorf("formula not neutralised: %q", v)
	}
	if formula, _ := f.GetCellFormula(xlsxSheet, "B3"); formula != "" {
		t.Errorf("a formula cell: %q", formula)
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"":           "",
		"plain":      "plain",
		"=1+1":       "'=1+1",
		"+4415":      "'+4415",
		"-3":         "'-3",
		"@x":         "'@x",
		"\tx":        "'\tx",
		"\rx":        "'\rx",
		"'=x":        "''=x",
		"''+x":       "'''+x",
		"'quoted":    "'quoted",
		"'":          "'",
		"a=b":        "a=b",
		" =x":        " =x",
		"São Paulo":  "São Paulo",
		"x@mail.com": "x@mail.com",
	} {
		got := Neutralize(in)
		if got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if back := Unneutralize(got); back != in {
			t.Errorf("Unneutralize(%q) = %q, want %q", got, back, in)
		}
	}
	// What the importer gets from people's own files is left alone unless
	// it is an escape.
	for in, want := range map[string]string{"'hello": "'hello", "'+1": "+1", "it's": "it's"} {
		if got := Unneutralize(in); got != want {
			t.Errorf("Unneutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExportRequestValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		req    ExportRequest
		fields []string
	}{
		"defaults":          {ExportRequest{}, nil},
		"xlsx upper":        {ExportRequest{Format: "XLSX"}, nil},
		"bad format":        {ExportRequest{Format: "pdf"}, []string{"format"}},
		"unknown column":    {ExportRequest{Columns: []string{"id", "password"}}, []string{"columns"}},
		"twice":             {ExportRequest{Columns: []string{"id", "id"}}, []string{"columns"}},
		"custom and key":    {ExportRequest{Columns: []string{"custom", "custom.plan"}}, []string{"columns"}},
		"key and custom":    {ExportRequest{Columns: []string{"custom.plan", "custom"}}, []string{"columns"}},
		"bad custom key":    {ExportRequest{Columns: []string{"custom.a b"}}, []string{"columns"}},
		"empty custom key":  {ExportRequest{Columns: []string{"custom."}}, []string{"columns"}},
		"custom keys":       {ExportRequest{Columns: []string{"custom.plan", "custom.seats"}}, nil},
		"query too long":    {ExportRequest{RawQuery: strings.Repeat("q", 5000)}, []string{"query"}},
		"format and column": {ExportRequest{Format: "doc", Columns: []string{"x"}}, []string{"columns", "format"}},
	} {
		err := tc.req.validate()
		if tc.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		ve, ok := err.(*ValidationError)
		if !ok {
			t.Errorf("%s: %v, want a validation error", name, err)
			continue
		}
		for _, f := range tc.fields {
			if _, ok := ve.Fields[f]; !ok {
				t.Errorf("%s: no problem for %s: %v", name, f, ve)
			}
		}
		if len(ve.Fields) != len(tc.fields) {
			t.Errorf("%s: problems %v, want %v", name, ve.Fields, tc.fields)
		}
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "<b>&amp;", "tab\tnew\nline", "São Paulo", "\u2028", "bad\xffutf8", "\x01"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: %s, encoding/json %s", s, got, want)
		}
	}
}

func TestXLSXHelpers(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetters(i); got != want {
			t.Errorf("columnLetters(%d) = %s, want %s", i, got, want)
		}
	}
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{{"abc", 3, "abc"}, {"abcd", 3, "abc"}, {"é😀x", 3, "é😀"}, {"é😀x", 2, "é"}, {"😀😀", 3, "😀"}} {
		if got := cutUTF16(tc.in, tc.max); got != tc.want {
			t.Errorf("cutUTF16(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	for s, want := range map[string]bool{"plain": true, "": false, " x": false, "x ": false, "a&b": false, "a\nb": false, "São": false, "it's": false} {
		if plainXML(s) != want {
			t.Errorf("plainXML(%q) = %v", s, !want)
		}
	}
}

// The CSV writer quotes exactly as encoding/csv does.
func TestCSVQuotingMatchesEncodingCSV(t *testing.T) {
	values := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " lead", "\tlead", `\.`, "trail ", "ü,x", "=1,2", "+1\n2", "'=x"}
	cols := make([]column, len(values))
	for i := range cols {
		cols[i] = column{name: "custom.k" + strconv.Itoa(i), field: colCustomKey, key: "k" + strconv.Itoa(i)}
	}
	c := &Contact{Custom: map[string]string{}}
	rec := make([]string, len(values))
	for i, v := range values {
		c.Custom["k"+strconv.Itoa(i)] = v
		rec[i] = Neutralize(v)
	}
	var got, want bytes.Buffer
	cw := newCSVWriter(&got, cols)
	if err := cw.write(c); err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(&want)
	w.Write(rec)
	w.Flush()
	if got.String() != want.String() {
		t.Errorf("got  %q\nwant %q", got.String(), want.String())
	}
}
