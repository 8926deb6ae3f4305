package webui

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"testing"
)

// TestExportImportRoundTrip: what an export contains is what the import
// reads back; exporting a project and importing the file into an empty one
// reproduces its contacts, memories included.
func TestExportImportRoundTrip(t *testing.T) {
	e := newExportTestEnv(t, nil)
	e.seedExportContacts()
	e.createContact(map[string]any{"first_name": "Only", "last_name": "Name"})
	file := e.download(e.startExport(map[string]any{"query": "", "format": "csv"})).raw

	_, otherKey := e.newProject("Empty")
	ownKey := e.key
	e.key = otherKey
	r := e.upload("/api/v1/imports", "export.csv", file, map[string]string{"on_duplicate": "skip"}).must(t, http.StatusAccepted)
	done := e.waitImport(r.id())
	e.key = ownKey
	if c := counts(done); c["created"] != 5.0 || c["failed"] != 0.0 {
		t.Fatalf("import of the export: %s", done.raw)
	}

	fields := []string{"first_name", "last_name", "email", "phone", "company", "country", "do_not_contact", "notes",
		"telegram_id", "facebook_id", "tags", "custom", "memories"}
	snapshot := func(key string) []string {
		t.Helper()
		list := e.doAs(key, "GET", "/api/v1/contacts?per_page=100", nil).must(t, http.StatusOK).list("contacts")
		var out []string
		for _, c := range list {
			row := ""
			for _, f := range fields {
				v := c[f]
				if tags, ok := v.([]any); ok {
					s := make([]string, len(tags))
					for i, x := range tags {
						s[i] = fmt.Sprint(x)
					}
					sort.Strings(s)
					v = s
				}
				row += fmt.Sprintf("%s=%v;", f, v)
			}
			out = append(out, row)
		}
		slices.Sort(out)
		return out
	}
	before, after := snapshot(ownKey), snapshot(otherKey)
	if !slices.Equal(before, after) {
		t.Fatalf("round trip changed the contacts:\nexported %q\nimported %q", before, after)
	}
}
