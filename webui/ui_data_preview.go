package webui

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// importPreviewData is the wizard's third step: the first rows as they
// would be stored, what importing each would do, and each row's problems.
type importPreviewData struct {
	Step        int
	Draft       *importDraft
	OptionsText string
	Mapping     []importMappedColumn
	Rows        []importPreviewRow
	Tally       []importTally
	Error       string // why the file cannot be imported as mapped
}

type importMappedColumn struct{ Header, Field string }

type importTally struct {
	Label string
	N     int
}

type importPreviewRow struct {
	Row          int
	Action       string
	Label        string
	Class        string
	ExistingHref string
	ExistingID   int64
	Name         string
	Email        string
	Phone        string
	Company      string
	Tags         []string
	Other        []importKV
	Errors       []importRowProblem
}

type importKV struct{ Key, Value string }

type importRowProblem struct{ Where, Value, Reason string }

// importActions describe what a row would do, in the order they are tallied.
var importActions = []struct{ action, label, class string }{
	{"create", "New contact", "ok"},
	{"update", "Updates a contact", ""},
	{"unchanged", "No change", ""},
	{"skip", "Skipped: duplicate", "warn"},
	{"fail", "Fails", "danger"},
}

func (s *Server) importPreviewPage(c *fiber.Ctx) error {
	d, err := s.importDraft(c.Params("token"), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	data, err := s.importPreview(c, d)
	if err != nil {
		return err
	}
	return s.page(c, "import_preview", "Import: preview", "imports", data)
}

// importPreview previews the draft; a file the service refuses as mapped
// becomes the page's Error rather than an error page.
func (s *Server) importPreview(c *fiber.Ctx, d *importDraft) (importPreviewData, error) {
	data := importPreviewData{Step: 3, Draft: d, OptionsText: importOptionsSummary(d.Options)}
	pv, err := s.svc.PreviewImport(c.UserContext(), uiActor(c), d.ProjectID, d.Path, d.Options)
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		data.Error = validationText(ve)
		return data, nil
	}
	if err != nil {
		return data, err
	}
	for _, col := range pv.Columns {
		if col.Field != "" {
			data.Mapping = append(data.Mapping, importMappedColumn{Header: col.Header, Field: importFieldLabel(col.Field)})
		}
	}
	tally := map[string]int{}
	for _, r := range pv.Rows {
		tally[r.Action]++
		data.Rows = append(data.Rows, previewRowView(r))
	}
	for _, a := range importActions {
		if tally[a.action] > 0 {
			data.Tally = append(data.Tally, importTally{Label: a.label, N: tally[a.action]})
		}
	}
	return data, nil
}

func previewRowView(r contacts.PreviewRow) importPreviewRow {
	v := importPreviewRow{Row: r.Row, Action: r.Action, Label: r.Action}
	for _, a := range importActions {
		if a.action == r.Action {
			v.Label, v.Class = a.label, a.class
		}
	}
	if r.ExistingID > 0 {
		v.ExistingHref, v.ExistingID = "/contacts/"+strconv.FormatInt(r.ExistingID, 10), r.ExistingID
	}
	if c := r.Contact; c != nil {
		v.Name = strings.TrimSpace(c.FirstName + " " + c.LastName)
		v.Email, v.Phone, v.Company, v.Tags = c.Email, c.Phone, c.Company, c.Tags
		add := func(k, val string) {
			if strings.TrimSpace(val) != "" {
				v.Other = append(v.Other, importKV{k, val})
			}
		}
		if c.Channel != contacts.ChannelImport { // every imported contact's unless a column says
			add("Channel", string(c.Channel))
		}
		add("External ID", c.ExternalID)
		add("City", c.City)
		add("Region", c.Region)
		add("Country", c.Country)
		if c.DoNotContact {
			add("Do not contact", "yes")
		}
		for _, id := range c.Identities {
			add(dashChannelLabel(string(id.Channel))+" ID", id.ExternalID)
		}
		keys := make([]string, 0, len(c.Custom))
		for k := range c.Custom {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(k, c.Custom[k])
		}
		add("Note", truncateRunes(c.Notes, 80))
		add("Context", truncateRunes(c.Context, 80))
	}
	for _, e := range r.Errors {
		where := e.Column
		if where == "" && e.Field != "" {
			where = importFieldLabel(e.Field)
		}
		v.Errors = append(v.Errors, importRowProblem{Where: where, Value: e.Value, Reason: e.Reason})
	}
	return v
}

// importStart starts the import of a previewed draft and shows its
// progress. The upload becomes the import's: it is read from where it
// lies, not copied.
func (s *Server) importStart(c *fiber.Ctx) error {
	d, err := s.importDraft(c.Params("token"), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	imp, err := s.svc.StartImport(c.UserContext(), uiActor(c), d.ProjectID,
		contacts.ImportFile{Name: d.FileName, Path: d.Path, Owned: true}, d.Options)
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		data, perr := s.importPreview(c, d)
		if perr != nil {
			return perr
		}
		data.Error = validationText(ve)
		return s.page(c, "import_preview", "Import: preview", "imports", data)
	}
	if err != nil {
		return err
	}
	dropImportDraft(d, false)
	return c.Redirect("/imports/"+strconv.FormatInt(imp.ID, 10), fiber.StatusSeeOther)
}

// importDiscard throws an upload away.
func (s *Server) importDiscard(c *fiber.Ctx) error {
	d, err := s.importDraft(c.Params("token"), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	dropImportDraft(d, true)
	s.setFlash(c, "The upload "+d.FileName+" was discarded.")
	return c.Redirect("/imports/new", fiber.StatusSeeOther)
}

// validationText is a validation error as one sentence per field.
func validationText(ve *contacts.ValidationError) string {
	keys := make([]string, 0, len(ve.Fields))
	for k := range ve.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		label := k
		if col, ok := strings.CutPrefix(k, "map."); ok {
			label = "column “" + col + "”"
		}
		parts[i] = label + ": " + ve.Fields[k]
	}
	return strings.Join(parts, ". ")
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
