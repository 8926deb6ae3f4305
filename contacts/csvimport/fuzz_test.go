package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzReader reads arbitrary bytes: it must end, hold every record within
// the limits, and read what encoding/csv reads wherever that accepts the
// input (blank lines aside, which encoding/csv drops).
func FuzzReader(f *testing.F) {
	files, _ := os.ReadDir("testdata")
	for _, fi := range files {
		if b, err := os.ReadFile("testdata/" + fi.Name()); err == nil && !fi.IsDir() {
			f.Add(b)
		}
	}
	f.Add([]byte("a,b\n\"x\ny\",\"q\"\"q\"\r\n\"open"))
	lim := Limits{MaxColumns: 50, MaxRecordBytes: 4096}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReaderComma(bytes.NewReader(data), lim, ',')
		if err != nil {
			return
		}
		var got [][]string
		comparable := true
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more records than bytes")
			}
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			var re *RecordError
			if errors.As(err, &re) {
				comparable = false
				if re.Fatal() {
					break
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Fields) > lim.MaxColumns {
				t.Fatalf("%d fields", len(rec.Fields))
			}
			for _, f := range rec.Fields {
				if !utf8.ValidString(f) {
					t.Fatalf("field %q is not UTF-8", f)
				}
			}
			got = append(got, rec.Fields)
		}
		if !comparable || !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || r.Encoding() != EncodingUTF8 {
			return
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		nonBlank, want := dropBlank(got), dropBlank(want)
		if len(want) == 0 && len(nonBlank) == 0 {
			return
		}
		if !reflect.DeepEqual(nonBlank, want) {
			t.Fatalf("read %q, encoding/csv reads %q", nonBlank, want)
		}
	})
}

// dropBlank drops records of one empty cell, which the two readers treat
// differently (encoding/csv skips empty lines).
func dropBlank(recs [][]string) [][]string {
	var out [][]string
	for _, r := range recs {
		if !(len(r) == 1 && r[0] == "") {
			out = append(out, r)
		}
	}
	return out
}
