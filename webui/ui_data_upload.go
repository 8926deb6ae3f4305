package webui

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// importUploadData is the wizard's first step: the file and the options.
type importUploadData struct {
	Step           int
	OnDuplicate    string
	CustomUnmapped bool
	Region         string
	DefaultRegion  string
	MaxSize        string
	Errors         map[string]string
}

func (s *Server) importUploadPage(c *fiber.Ctx) error {
	return s.renderImportUpload(c, importUploadData{OnDuplicate: contacts.OnDuplicateSkip})
}

func (s *Server) renderImportUpload(c *fiber.Ctx, d importUploadData) error {
	d.Step, d.DefaultRegion = 1, s.svc.Region()
	d.MaxSize = strconv.Itoa(importBodyLimit>>20) + " MiB"
	return s.page(c, "import_new", "Import contacts", "imports", d)
}

// importUpload keeps the uploaded file in the data directory and sends
// the browser to the mapping step. A form with problems comes back with
// them, answered 200.
func (s *Server) importUpload(c *fiber.Ctx) error {
	d := importUploadData{
		OnDuplicate:    strings.TrimSpace(c.FormValue("on_duplicate")),
		CustomUnmapped: c.FormValue("custom_unmapped") != "",
		Region:         strings.ToUpper(strings.TrimSpace(c.FormValue("region"))),
		Errors:         map[string]string{},
	}
	switch d.OnDuplicate {
	case contacts.OnDuplicateSkip, contacts.OnDuplicateUpdate, contacts.OnDuplicateCreate:
	default:
		d.Errors["on_duplicate"] = "Choose what to do with rows that match an existing contact."
	}
	if d.Region != "" && !isCountryCode(d.Region) {
		d.Errors["region"] = "Use a two-letter country code, such as US or GB, or leave it empty."
	}
	fh, err := c.FormFile("file")
	switch {
	case err != nil || fh == nil || fh.Filename == "":
		d.Errors["file"] = "Choose a CSV file to upload."
	case fh.Size == 0:
		d.Errors["file"] = "The file is empty: it needs a header row naming its columns."
	}
	if len(d.Errors) > 0 {
		return s.renderImportUpload(c, d)
	}
	path, err := s.saveUpload(fh)
	if err != nil {
		return err
	}
	if _, err := readCSVHead(path, 0); err != nil {
		os.Remove(path)
		var ve *contacts.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		d.Errors = ve.Fields
		return s.renderImportUpload(c, d)
	}
	opts := contacts.ImportOptions{OnDuplicate: d.OnDuplicate, CustomUnmapped: d.CustomUnmapped, Region: d.Region}
	draft, err := s.newImportDraft(path, uiSession(c), uploadName(fh.Filename), opts)
	if err != nil {
		os.Remove(path)
		return err
	}
	s.sweepImportDrafts(time.Now())
	return c.Redirect("/imports/new/"+draft.Token, fiber.StatusSeeOther)
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
