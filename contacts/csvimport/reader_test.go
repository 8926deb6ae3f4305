package csvimport

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// readAll reads every record (blank ones too) and the first error.
func readAll(t *testing.T, r *Reader) ([][]string, error) {
	t.Helper()
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec.Fields)
	}
}

func TestReaderRecords(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma byte
		want  [][]string
	}{
		{"plain", "a,b,c\n1,2,3\n", ',', [][]string{{"a", "b", "c"}, {"1", "2", "3"}}},
		{"crlf", "a,b\r\n1,2\r\n", ',', [][]string{{"a", "b"}, {"1", "2"}}},
		{"no final newline", "a,b\n1,2", ',', [][]string{{"a", "b"}, {"1", "2"}}},
		{"quoted newline", "a,b\n\"line 1\nline 2\",x\n", ',', [][]string{{"a", "b"}, {"line 1\nline 2", "x"}}},
		{"quoted crlf newline", "a,b\r\n\"line 1\r\nline 2\",x\r\n", ',', [][]string{{"a", "b"}, {"line 1\nline 2", "x"}}},
		{"escaped quote", "a\n\"say \"\"hi\"\"\"\n", ',', [][]string{{"a"}, {`say "hi"`}}},
		{"quoted delimiter", "a,b\n\"x,y\",z\n", ',', [][]string{{"a", "b"}, {"x,y", "z"}}},
		{"bare quote kept", "a,b\nab\"c,d\n", ',', [][]string{{"a", "b"}, {`ab"c`, "d"}}},
		{"text after closing quote", "a,b\n\"ab\"c,d\n", ',', [][]string{{"a", "b"}, {"abc", "d"}}},
		{"empty cells", "a,b,c\n,,\n", ',', [][]string{{"a", "b", "c"}, {"", "", ""}}},
		{"blank line", "a\n\nb\n", ',', [][]string{{"a"}, {""}, {"b"}}},
		{"semicolon", "a;b\n1;2\n", ';', [][]string{{"a", "b"}, {"1", "2"}}},
		{"tab", "a\tb\n1\t2\n", '\t', [][]string{{"a", "b"}, {"1", "2"}}},
		{"semicolon beats commas in quotes", "\"a,b\";c;d\n1;2;3\n", ';', [][]string{{"a,b", "c", "d"}, {"1", "2", "3"}}},
		{"single column", "email\nx@y.z\n", ',', [][]string{{"email"}, {"x@y.z"}}},
		{"utf-8 bom", "\xef\xbb\xbfname,email\n", ',', [][]string{{"name", "email"}}},
		{"windows-1252 file", "name\nJos\xe9 \xc3\xa9\n", ',', [][]string{{"name"}, {"José Ã©"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.in), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if r.Delimiter() != tc.comma {
				t.Errorf("delimiter %q, want %q", r.Delimiter(), tc.comma)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A UTF-8 file (as its first 64 KiB say) with a stray byte later: the
// byte is read as Windows-1252, the rest of the row as UTF-8.
func TestReaderStrayByte(t *testing.T) {
	in := "name\n" + strings.Repeat("ok\n", 40000) + "Jos\xe9 \xc3\xa9\n"
	r, err := NewReader(strings.NewReader(in), DefaultLimits)
	if err != nil || r.Encoding() != EncodingUTF8 {
		t.Fatal(err, r.Encoding())
	}
	got, _ := readAll(t, r)
	if last := got[len(got)-1][0]; last != "José é" {
		t.Errorf("got %q", last)
	}
}

func TestReaderEncodings(t *testing.T) {
	utf16le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	utf16be := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFE, 0xFF)
		}
		for _, r := range s {
			b = append(b, byte(r>>8), byte(r))
		}
		return b
	}
	text := "name,city\nŁukasz,Kraków\n"
	tests := []struct {
		name string
		in   []byte
		enc  string
	}{
		{"utf-8", []byte(text), EncodingUTF8},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), EncodingUTF8},
		{"utf-16le bom", utf16le(text, true), EncodingUTF16LE},
		{"utf-16be bom", utf16be(text, true), EncodingUTF16BE},
		{"utf-16le without bom", utf16le(text, false), EncodingUTF16LE},
		{"utf-16be without bom", utf16be(text, false), EncodingUTF16BE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tc.in), DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding() != tc.enc {
				t.Errorf("encoding %s, want %s", r.Encoding(), tc.enc)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{{"name", "city"}, {"Łukasz", "Kraków"}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	t.Run("windows-1252", func(t *testing.T) {
		r, err := NewReader(strings.NewReader("name;note\nM\xfcller;caf\xe9 \x80 5\n"), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if r.Encoding() != Encoding1252 {
			t.Errorf("encoding %s", r.Encoding())
		}
		got, _ := readAll(t, r)
		if want := [][]string{{"name", "note"}, {"Müller", "café € 5"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestReaderRejectsBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 100_000)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	for name, in := range map[string][]byte{
		"random bytes": junk,
		"png":          append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), junk[:100]...),
		"zip (xlsx)":   append([]byte("PK\x03\x04\x14\x00\x06\x00"), junk[:100]...),
	} {
		if _, err := NewReader(bytes.NewReader(in), DefaultLimits); !errors.Is(err, ErrNotText) {
			t.Errorf("%s: err %v, want ErrNotText", name, err)
		}
	}
}

func TestReaderLimits(t *testing.T) {
	lim := Limits{MaxColumns: 5, MaxRecordBytes: 100}
	t.Run("too long row, then the next is read", func(t *testing.T) {
		in := "a,b\n" + strings.Repeat("x", 500) + ",y\nok,1\n"
		r, _ := NewReader(strings.NewReader(in), lim)
		r.Read()
		_, err := r.Read()
		var re *RecordError
		if !errors.As(err, &re) || re.Fatal() || re.Row != 2 || re.Line != 2 {
			t.Fatalf("err %v, want a non-fatal error on row 2", err)
		}
		rec, err := r.Read()
		if err != nil || rec.Fields[0] != "ok" || rec.Row != 3 {
			t.Fatalf("next record %+v, %v", rec, err)
		}
	})
	t.Run("too long quoted row spanning lines", func(t *testing.T) {
		in := "a\n\"" + strings.Repeat("x\n", 300) + "\"\nok\n"
		r, _ := NewReader(strings.NewReader(in), lim)
		r.Read()
		if _, err := r.Read(); err == nil {
			t.Fatal("no error for a long quoted row")
		}
		rec, err := r.Read()
		if err != nil || rec.Fields[0] != "ok" || rec.Line != 303 {
			t.Fatalf("next record %+v, %v", rec, err)
		}
	})
	t.Run("line longer than the buffer", func(t *testing.T) {
		big := Limits{MaxColumns: 5, MaxRecordBytes: 1 << 20}
		long := strings.Repeat("y", 200_000)
		r, _ := NewReader(strings.NewReader("a,b\n"+long+",z\n"), big)
		r.Read()
		rec, err := r.Read()
		if err != nil || rec.Fields[0] != long || rec.Fields[1] != "z" {
			t.Fatalf("long line: %v", err)
		}
	})
	t.Run("overlong quoted cell closing on a later line", func(t *testing.T) {
		big := Limits{MaxColumns: 5, MaxRecordBytes: 1000}
		in := "a,b\n1,\"" + strings.Repeat("q", 300_000) + "\nmore \"\"quoted\"\" text\",z\nok,2\n"
		r, _ := NewReader(strings.NewReader(in), big)
		r.Read()
		if _, err := r.Read(); err == nil {
			t.Fatal("no error for the overlong cell")
		}
		rec, err := r.Read()
		if err != nil || rec.Fields[0] != "ok" || rec.Line != 4 {
			t.Fatalf("next record %+v, %v", rec, err)
		}
	})
	t.Run("overlong line inside a quoted cell", func(t *testing.T) {
		big := Limits{MaxColumns: 5, MaxRecordBytes: 1000}
		in := "a,b\n\"start\n" + strings.Repeat("w\"\"", 100_000) + "\nend\",z\nok,2\n"
		r, _ := NewReader(strings.NewReader(in), big)
		r.Read()
		if _, err := r.Read(); err == nil {
			t.Fatal("no error for the overlong cell")
		}
		rec, err := r.Read()
		if err != nil || rec.Fields[0] != "ok" {
			t.Fatalf("next record %+v, %v", rec, err)
		}
	})
	t.Run("too many cells", func(t *testing.T) {
		r, _ := NewReader(strings.NewReader("a\n1,2,3,4,5,6,7\nok\n"), lim)
		r.Read()
		_, err := r.Read()
		var re *RecordError
		if !errors.As(err, &re) || re.Fatal() {
			t.Fatalf("err %v", err)
		}
		if rec, err := r.Read(); err != nil || rec.Fields[0] != "ok" {
			t.Fatalf("next: %v", err)
		}
	})
	t.Run("unterminated quote is fatal", func(t *testing.T) {
		r, _ := NewReader(strings.NewReader("a,b\n1,\"open\n2,3\n"), lim)
		r.Read()
		_, err := r.Read()
		var re *RecordError
		if !errors.As(err, &re) || !re.Fatal() || !errors.Is(err, ErrUnterminatedQuote) {
			t.Fatalf("err %v", err)
		}
		if _, err := r.Read(); !errors.Is(err, io.EOF) {
			t.Fatalf("after a fatal error: %v", err)
		}
	})
}

// TestFixturesRead reads every fixture file through without error.
func TestFixturesRead(t *testing.T) {
	files, _ := os.ReadDir("testdata")
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		t.Run(f.Name(), func(t *testing.T) {
			fh, err := os.Open("testdata/" + f.Name())
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			r, err := NewReader(fh, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := readAll(t, r)
			if err != nil || len(recs) < 2 {
				t.Fatalf("%d records, %v", len(recs), err)
			}
		})
	}
}
