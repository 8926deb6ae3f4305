package webui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// importFieldLabels name the fields a column can fill, in csvimport.Fields
// order.
var importFieldLabels = map[string]string{
	"first_name": "First name", "last_name": "Last name", "name": "Full name (split into first and last)",
	"email": "Email", "phone": "Phone", "company": "Company", "external_id": "External ID", "channel": "Channel",
	"tags": "Tags", "notes": "Note", "context": "Context", "country": "Country", "region": "Region or state",
	"city": "City", "do_not_contact": "Do not contact", "telegram_id": "Telegram ID",
	"instagram_id": "Instagram ID", "facebook_id": "Messenger (Facebook) ID", "whatsapp_id": "WhatsApp number",
}

// importFieldLabel names a column's field for people.
func importFieldLabel(field string) string {
	if k, ok := strings.CutPrefix(field, csvimport.CustomPrefix); ok {
		return "Custom attribute “" + k + "”"
	}
	if l, ok := importFieldLabels[field]; ok {
		return l
	}
	if field == "" {
		return "Not imported"
	}
	return field
}

// importSampleRows is how many rows the mapping step shows per column.
const importSampleRows = 3

// importMappingData is the wizard's second step: every column of the file
// with a few of its values and the field it fills.
type importMappingData struct {
	Step      int
	Draft     *importDraft
	Columns   []importColumnView
	Encoding  string
	Delimiter string
	Error     string // a problem with the mapping as a whole
}

type importColumnView struct {
	Index   int
	Header  string
	Samples []string
	Field   string
	Note    string // how the field was chosen
	Choices []importChoice
	Error   string
}

type importChoice struct {
	Value, Label string
	Selected     bool
}

// importDraftHead is the request's import draft with the head of its file
// (the header and the sample rows).
func (s *Server) importDraftHead(c *fiber.Ctx) (*importDraft, *csvHead, error) {
	d, err := s.importDraft(c.Params("token"), uiSession(c).ProjectID)
	if err != nil {
		return nil, nil, err
	}
	head, err := readCSVHead(d.Path, importSampleRows)
	if err != nil {
		return nil, nil, err
	}
	return d, head, nil
}

func (s *Server) importMappingPage(c *fiber.Ctx) error {
	d, head, err := s.importDraftHead(c)
	if err != nil {
		return err
	}
	cols, merrs := csvimport.Map(head.Header, d.Options.Map, d.Options.CustomUnmapped)
	chosen := make([]string, len(cols))
	for i, col := range cols {
		chosen[i] = col.Field
	}
	data := newImportMapping(d, head, chosen)
	for _, e := range merrs {
		data.Error += e.Error() + ". "
	}
	return s.page(c, "import_mapping", "Import: columns", "imports", data)
}

func newImportMapping(d *importDraft, head *csvHead, chosen []string) importMappingData {
	auto, _ := csvimport.Map(head.Header, nil, d.Options.CustomUnmapped)
	// What each column would be as a custom attribute (unrecognised
	// headers only: a recognised one fills its field).
	asCustom, _ := csvimport.Map(head.Header, nil, true)
	out := importMappingData{Step: 2, Draft: d, Encoding: head.Encoding, Delimiter: head.Delimiter}
	for i, h := range head.Header {
		col := importColumnView{Index: i, Header: h, Field: chosen[i]}
		for _, row := range head.Samples {
			if i < len(row) && strings.TrimSpace(row[i]) != "" {
				col.Samples = append(col.Samples, row[i])
			}
		}
		switch {
		case chosen[i] != auto[i].Field:
			col.Note = "changed"
		case auto[i].How == csvimport.HowAuto:
			col.Note = "detected"
		case auto[i].How == csvimport.HowCustom:
			col.Note = "kept as a custom attribute"
		case auto[i].How == csvimport.HowReadOnly:
			col.Note = "a stored value of an export: not imported"
		default:
			col.Note = "not recognised"
		}
		values := []string{""}
		values = append(values, csvimport.Fields...)
		if asCustom[i].How == csvimport.HowCustom {
			values = append(values, asCustom[i].Field)
		}
		if strings.HasPrefix(chosen[i], csvimport.CustomPrefix) && !slices.Contains(values, chosen[i]) {
			values = append(values, chosen[i])
		}
		for _, v := range values {
			label := importFieldLabel(v)
			if v == "" {
				label = "— Don't import —"
			}
			col.Choices = append(col.Choices, importChoice{Value: v, Label: label, Selected: v == chosen[i]})
		}
		out.Columns = append(out.Columns, col)
	}
	return out
}

// importSaveMapping keeps the mapping chosen and goes on to the preview.
// Only the columns that differ from what the headers say are written as
// explicit mappings (with every other column filling a field named
// there, since an explicit mapping of a field drops the columns merely
// recognised for it), so an unchanged mapping keeps the header-based
// order among columns filling one field (a mobile number before a home
// number).
func (s *Server) importSaveMapping(c *fiber.Ctx) error {
	d, head, err := s.importDraftHead(c)
	if err != nil {
		return err
	}
	chosen := make([]string, len(head.Header))
	for i := range head.Header {
		chosen[i] = strings.TrimSpace(c.FormValue("col." + strconv.Itoa(i)))
		if strings.EqualFold(chosen[i], csvimport.Ignore) {
			chosen[i] = ""
		}
	}
	explicit := explicitMapping(head.Header, chosen, d.Options.CustomUnmapped)
	cols, merrs := csvimport.Map(head.Header, explicit, d.Options.CustomUnmapped)
	data := newImportMapping(d, head, chosen)
	for _, e := range merrs {
		for i := range data.Columns {
			if data.Columns[i].Header == e.Column {
				data.Columns[i].Error = e.Msg
			}
		}
	}
	any := false
	for _, col := range cols {
		any = any || col.Field != ""
	}
	if !any && len(merrs) == 0 {
		data.Error = "Choose a field for at least one column: as it is, nothing would be imported."
	}
	if len(merrs) > 0 || data.Error != "" {
		return s.page(c, "import_mapping", "Import: columns", "imports", data)
	}
	d.Options.Map, d.Mapped = explicit, true
	if err := s.saveImportDraft(d); err != nil {
		return err
	}
	return c.Redirect("/imports/new/"+d.Token+"/preview", fiber.StatusSeeOther)
}

// explicitMapping is the mapping (header to field, "ignore" for none) that
// makes csvimport.Map give the chosen fields.
func explicitMapping(header, chosen []string, custom bool) map[string]string {
	auto, _ := csvimport.Map(header, nil, custom)
	named := map[string]bool{}
	for i := range header {
		if chosen[i] != auto[i].Field && chosen[i] != "" {
			named[chosen[i]] = true
		}
	}
	out := map[string]string{}
	for i, h := range header {
		if chosen[i] == auto[i].Field && !named[chosen[i]] {
			continue
		}
		if chosen[i] == "" {
			out[h] = csvimport.Ignore
		} else {
			out[h] = chosen[i]
		}
	}
	return out
}

// importOptionsSummary says in words what the options do, for the steps
// after the first.
func importOptionsSummary(o contacts.ImportOptions) string {
	var parts []string
	switch o.OnDuplicate {
	case contacts.OnDuplicateUpdate:
		parts = append(parts, "rows matching a contact update it")
	case contacts.OnDuplicateCreate:
		parts = append(parts, "rows matching a contact by name create a new one anyway")
	default:
		parts = append(parts, "rows matching a contact are skipped")
	}
	if o.CustomUnmapped {
		parts = append(parts, "unrecognised columns become custom attributes")
	}
	if o.Region != "" {
		parts = append(parts, "phone numbers without + are read as "+o.Region)
	}
	out := strings.Join(parts, "; ")
	return strings.ToUpper(out[:1]) + out[1:]
}
