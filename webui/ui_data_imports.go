package webui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// importStatusData is an import's page: its progress while it runs (the
// wizard's fourth step), its summary once it is over (the fifth).
type importStatusData struct {
	Step        int
	Imp         *contacts.Import
	Running     bool
	Percent     int
	Status      string
	StatusClass string
	OptionsText string
	Counts      []importCount
	Sum         int
	SumText     string // the outcomes adding up to the rows read
	ErrorsHref  string
	CanResume   bool
}

// importCount is one outcome of an import's rows.
type importCount struct {
	Key   string
	Label string
	N     int
	Note  string
}

func newImportStatus(imp *contacts.Import) importStatusData {
	d := importStatusData{Step: 5, Imp: imp, Running: imp.Status == contacts.JobRunning, Percent: 100,
		OptionsText: importOptionsSummary(imp.Options),
		ErrorsHref:  "/api/v1/imports/" + strconv.FormatInt(imp.ID, 10) + "/errors"}
	d.Status, d.StatusClass = importStatusLabel(imp)
	if d.Running {
		d.Step, d.Percent = 4, 0
		if imp.Size > 0 {
			d.Percent = min(99, int(imp.BytesRead*100/imp.Size))
		}
	}
	n := imp.Counts
	d.Counts = []importCount{
		{Key: "created", Label: "Created", N: n.Created},
		{Key: "updated", Label: "Updated", N: n.Updated},
		{Key: "unchanged", Label: "Unchanged", N: n.Unchanged},
		{Key: "skipped", Label: "Skipped", N: n.Skipped(),
			Note: strconv.Itoa(n.SkippedExisting) + " matched a contact, " + strconv.Itoa(n.SkippedInFile) + " repeated an earlier row"},
		{Key: "failed", Label: "Failed", N: n.Failed},
	}
	parts := make([]string, len(d.Counts))
	for i, c := range d.Counts {
		d.Sum += c.N
		parts[i] = thousands(strconv.Itoa(c.N)) + " " + strings.ToLower(c.Label)
	}
	d.SumText = strings.Join(parts, " + ") + " = " + thousands(strconv.Itoa(d.Sum)) + " rows"
	if d.Sum == n.Rows {
		d.SumText += ": every row read is counted once."
	} else {
		d.SumText += "; " + thousands(strconv.Itoa(n.Rows)) + " rows were read."
	}
	d.CanResume = (imp.Status == contacts.JobFailed || imp.Status == contacts.ImportCancelled) && !imp.Options.DryRun
	return d
}

func importStatusLabel(imp *contacts.Import) (string, string) {
	switch imp.Status {
	case contacts.JobRunning:
		if imp.CancelRequested {
			return "Cancelling", "warn"
		}
		return "Running", ""
	case contacts.JobDone:
		if imp.Counts.Failed > 0 {
			return "Done with errors", "warn"
		}
		return "Done", "ok"
	case contacts.ImportCancelled:
		return "Cancelled", "warn"
	case contacts.JobFailed:
		return "Failed", "danger"
	}
	return imp.Status, ""
}

func (s *Server) importStatusPage(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.svc.GetImport(c.UserContext(), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	data := newImportStatus(imp)
	title := "Import " + imp.FileName
	if isFragment(c) {
		v, err := s.view(c, title, "imports", data)
		if err != nil {
			return err
		}
		return s.renderPartial(c, "import_status", "import_status_card", v)
	}
	return s.page(c, "import_status", title, "imports", data)
}

// importCancel asks a running import to stop (the form's way; the page's
// script calls the API).
func (s *Server) importCancel(c *fiber.Ctx) error {
	return s.importAction(c, func(id int64) error {
		_, err := s.svc.CancelImport(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id)
		return err
	}, "Cancelling: the rows imported so far stay.", "This import is not running any more: there is nothing to cancel.")
}

// importResume runs a failed or cancelled import on from where it stopped.
func (s *Server) importResume(c *fiber.Ctx) error {
	return s.importAction(c, func(id int64) error {
		_, err := s.svc.ResumeImport(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id)
		return err
	}, "The import goes on from where it stopped.", "This import cannot be resumed: only a failed or cancelled import whose file is still kept can.")
}

// importAction runs an action on an import and goes back to its page; an
// action the import's state does not allow (it finished meanwhile) is
// said there rather than on an error page.
func (s *Server) importAction(c *fiber.Ctx, act func(id int64) error, done, conflict string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	switch err := act(id); {
	case errors.Is(err, contacts.ErrConflict):
		s.setFlash(c, conflict)
	case err != nil:
		return err
	default:
		s.setFlash(c, done)
	}
	return c.Redirect("/imports/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// importsListData is the list of recent imports.
type importsListData struct {
	Imports []importStatusData
}

func (s *Server) importsPage(c *fiber.Ctx) error {
	imps, err := s.svc.ListImports(c.UserContext(), uiSession(c).ProjectID, 50)
	if err != nil {
		return err
	}
	d := importsListData{Imports: make([]importStatusData, len(imps))}
	for i := range imps {
		d.Imports[i] = newImportStatus(&imps[i])
	}
	return s.page(c, "imports", "Imports", "imports", d)
}
