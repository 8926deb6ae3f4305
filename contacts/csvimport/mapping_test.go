package csvimport

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// fields maps each header to its field ("" for not imported).
func fields(cols []Column) map[string]string {
	m := map[string]string{}
	for _, c := range cols {
		if c.Field != "" {
			m[c.Header] = c.Field
		}
	}
	return m
}

func fixtureHeader(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Blank() {
			return rec.Fields
		}
	}
}

func TestMapFixtures(t *testing.T) {
	tests := []struct {
		file string
		want map[string]string
	}{
		{"simple.csv", map[string]string{"phone": "phone", "name": "name", "email": "email", "company": "company",
			"notes": "notes", "tags": "tags"}},
		{"google.csv", map[string]string{"First Name": "first_name", "Last Name": "last_name", "Organization Name": "company",
			"Notes": "notes", "Labels": "tags", "E-mail 1 - Value": "email", "E-mail 2 - Value": "email",
			"Phone 1 - Value": "phone", "Phone 2 - Value": "phone", "Address 1 - City": "city",
			"Address 1 - Region": "region", "Address 1 - Country": "country"}},
		{"outlook.csv", map[string]string{"First Name": "first_name", "Last Name": "last_name", "E-mail Address": "email",
			"E-mail 2 Address": "email", "E-mail 3 Address": "email", "Home Phone": "phone", "Home Phone 2": "phone",
			"Business Phone": "phone", "Business Phone 2": "phone", "Mobile Phone": "phone", "Other Phone": "phone",
			"Primary Phone": "phone", "Company": "company", "Business City": "city", "Business State": "region",
			"Business Country/Region": "country", "Notes": "notes", "Categories": "tags"}},
		{"hubspot.csv", map[string]string{"Record ID": "external_id", "First Name": "first_name", "Last Name": "last_name",
			"Email": "email", "Phone Number": "phone", "Company Name": "company", "City": "city", "State/Region": "region",
			"Country/Region": "country"}},
		{"social.csv", map[string]string{"name": "name", "telegram": "telegram_id", "instagram_id": "instagram_id",
			"Facebook ID": "facebook_id", "WhatsApp": "whatsapp_id"}},
		{"export.csv", map[string]string{"first_name": "first_name", "last_name": "last_name", "email": "email",
			"phone": "phone", "company": "company", "external_id": "external_id", "channel": "channel", "tags": "tags",
			"notes": "notes", "context": "context", "country": "country", "region": "region", "city": "city",
			"do_not_contact": "do_not_contact", "telegram_id": "telegram_id", "instagram_id": "instagram_id",
			"facebook_id": "facebook_id", "whatsapp_id": "whatsapp_id", "custom.plan": "custom.plan", "custom.seats": "custom.seats"}},
		{"utf16le.tsv", map[string]string{"Name": "name", "E-mail": "email", "Mobile": "phone"}},
		{"messy.csv", map[string]string{"Name": "name", "Email": "email", "Phone": "phone"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			cols, errs := Map(fixtureHeader(t, tc.file), nil, false)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := fields(cols); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestMapExportReadOnlyColumns(t *testing.T) {
	cols, _ := Map([]string{"id", "created_at", "lead_status", "email"}, nil, true)
	for _, c := range cols[:3] {
		if c.Field != "" || c.How != HowReadOnly {
			t.Errorf("%s: %+v, want read-only and not imported even with custom", c.Header, c)
		}
	}
}

func TestMapExplicitAndCustom(t *testing.T) {
	header := []string{"Work Phone", "Mobile", "E-mail", "Shoe Size", "Shoe Size", "custom.Tier Level", "Junk"}
	cols, errs := Map(header, map[string]string{"work phone": "phone", "Junk": "ignore"}, true)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []string{"phone", "", "email", "custom.shoe_size", "custom.shoe_size_2", "custom.tier_level", ""}
	for i, c := range cols {
		if c.Field != want[i] {
			t.Errorf("column %q: field %q, want %q", c.Header, c.Field, want[i])
		}
	}
	if cols[0].How != HowExplicit || cols[1].How != HowIgnored {
		t.Errorf("hows %s %s: an explicit phone leaves the auto one out", cols[0].How, cols[1].How)
	}
}

func TestMapErrors(t *testing.T) {
	_, errs := Map([]string{"a", "b"}, map[string]string{"a": "emial", "zzz": "email", "b": "custom.bad key!"}, false)
	if len(errs) != 3 {
		t.Fatalf("errors %v, want three", errs)
	}
	msgs := ""
	for _, e := range errs {
		msgs += e.Column + ": " + e.Msg + "\n"
	}
	for _, want := range []string{`a: unknown field "emial"`, "zzz: no such column", `b: unknown field "custom.bad key!"`} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing %q in\n%s", want, msgs)
		}
	}
}
