package webui

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// exportsList is the exports page's data.
type exportsList struct {
	Exports []exportRowView
}

// Running reports whether any export is still being written, so the page
// keeps refreshing its table.
func (d exportsList) Running() bool {
	for _, e := range d.Exports {
		if e.Running() {
			return true
		}
	}
	return false
}

// exportRowView is one export as the page shows it.
type exportRowView struct {
	contacts.Export
	Status string // queued, running, done, failed or expired
	Expiry string // when the file goes or went
}

func (e exportRowView) Running() bool {
	return e.Status == contacts.JobQueued || e.Status == contacts.JobRunning
}

// Percent is the progress of a running export.
func (e exportRowView) Percent() int {
	if e.Job.Total <= 0 {
		return 0
	}
	return min(100, e.Job.Done*100/e.Job.Total)
}

// DownloadURL is the file's link while it can be downloaded.
func (e exportRowView) DownloadURL() string {
	if e.Status != contacts.JobDone {
		return ""
	}
	return "/api/v1/exports/" + strconv.FormatInt(e.ID, 10) + "/download"
}

// ViewURL opens the contact list the export was taken from.
func (e exportRowView) ViewURL() string {
	if e.Query == "" {
		return "/contacts"
	}
	return "/contacts?" + e.Query
}

// ColumnsText names the chosen columns, or says all.
func (e exportRowView) ColumnsText() string {
	if len(e.Columns) == 0 {
		return "all columns"
	}
	return strings.Join(e.Columns, ", ")
}

// StatusBadge is the badge class of the status.
func (e exportRowView) StatusBadge() string {
	switch e.Status {
	case contacts.JobDone:
		return "ok"
	case contacts.JobFailed:
		return "danger"
	case contacts.ExportExpired:
		return ""
	}
	return "warn"
}

// exportsPage lists the project's exports: status, rows, when it was made
// and until when it can be downloaded. Agents may not see it (the exporter
// refuses them). Its script reloads the table (X-Fragment) while one runs.
func (s *Server) exportsPage(c *fiber.Ctx) error {
	list, err := s.exports.List(c.UserContext(), uiActor(c), uiSession(c).ProjectID, contacts.MaxExportList)
	if err != nil {
		return err
	}
	now := s.exports.Now()
	d := exportsList{Exports: make([]exportRowView, len(list))}
	for i := range list {
		row := exportRowView{Export: list[i], Status: list[i].Status(now)}
		row.Expiry = exportExpiry(row, now)
		d.Exports[i] = row
	}
	if isFragment(c) {
		return s.renderPartial(c, "exports", "exports_table", s.fragmentView(c, d))
	}
	return s.page(c, "exports", "Exports", "exports", d)
}

// exportExpiry says when a finished export's file goes, for the table.
func exportExpiry(e exportRowView, now time.Time) string {
	switch {
	case e.Status == contacts.ExportExpired:
		return "expired " + formatOr(e.ExpiresAt, "2006-01-02 15:04")
	case e.ExpiresAt.IsZero():
		return ""
	default:
		return formatOr(e.ExpiresAt, "2006-01-02 15:04") + " (in " + coarse(e.ExpiresAt.Sub(now)) + ")"
	}
}

// coarse writes a duration to come as hours or minutes.
func coarse(d time.Duration) string {
	switch {
	case d >= 2*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	case d >= time.Minute:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	default:
		return "under a minute"
	}
}
