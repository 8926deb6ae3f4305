package webui

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
)

// mountExports registers the exports routes of /api/v1 (issue #5).
func (s *Server) mountExports(api fiber.Router) {
	if s.exports == nil {
		s.exports = s.defaultExporter()
	}
	api.Post("/exports", s.createExport)
	api.Get("/exports/:id", s.getExport)
	api.Get("/exports/:id/download", s.downloadExport)
}

// defaultExporter keeps export files in the data directory (a fixed
// directory under the system's temp directory when none is configured).
// Nothing is created until the first export runs.
func (s *Server) defaultExporter() *contacts.Exporter {
	dir := s.dataDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "switchboard-data")
	}
	dir = filepath.Join(dir, "exports")
	return contacts.NewExporter(contacts.ExporterConfig{Service: s.svc, Files: filestore.NewLocal(dir),
		TempDir: filepath.Join(dir, ".tmp"), Logger: s.log})
}

// exportBody asks for an export of the contacts a contact-list query
// matches. query is the list URL's query string (q and filters; paging and
// sort are ignored); format is csv (the default), ndjson or xlsx; columns
// default to all.
type exportBody struct {
	Query   string   `json:"query"`
	Format  string   `json:"format"`
	Columns []string `json:"columns"`
}

// exportFileView is an export's state; download_url is set once it is done and
// until it expires.
type exportFileView struct {
	ID          int64      `json:"id"`
	JobID       int64      `json:"job_id"`
	Status      string     `json:"status"`
	Format      string     `json:"format"`
	Query       string     `json:"query"`
	Columns     []string   `json:"columns"`
	Total       int        `json:"total"`
	Done        int        `json:"done"`
	Progress    float64    `json:"progress"`
	Rows        int        `json:"rows"`
	Size        int64      `json:"size"`
	Error       string     `json:"error,omitempty"`
	CreatedAt   *time.Time `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	DownloadURL *string    `json:"download_url"`
}

func exportFileJSON(e *contacts.Export, now time.Time) exportFileView {
	v := exportFileView{ID: e.ID, JobID: e.Job.ID, Status: e.Status(now), Format: e.Format, Query: e.Query,
		Columns: orEmpty(e.Columns), Total: e.Job.Total, Done: e.Job.Done, Rows: e.Rows, Size: e.Size,
		Error: e.Job.Error, CreatedAt: timeJSON(e.CreatedAt), FinishedAt: timeJSON(e.FinishedAt), ExpiresAt: timeJSON(e.ExpiresAt)}
	switch {
	case v.Status == contacts.JobDone:
		v.Progress = 1
		url := "/api/v1/exports/" + strconv.FormatInt(e.ID, 10) + "/download"
		v.DownloadURL = &url
	case v.Status == contacts.ExportExpired:
		v.Progress = 1
	case e.Job.Total > 0:
		v.Progress = min(1, float64(e.Job.Done)/float64(e.Job.Total))
	}
	return v
}

func (s *Server) createExport(c *fiber.Ctx) error {
	var body exportBody
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	q, err := s.parseQueryString(body.Query, "query")
	if err != nil {
		return err
	}
	p := who(c)
	e, err := s.exports.Start(c.UserContext(), p.Actor, p.ProjectID,
		contacts.ExportRequest{Query: q, RawQuery: body.Query, Format: body.Format, Columns: body.Columns})
	if err != nil {
		return err
	}
	c.Location("/api/v1/exports/" + strconv.FormatInt(e.ID, 10))
	return c.Status(fiber.StatusAccepted).JSON(exportFileJSON(e, s.exports.Now()))
}

func (s *Server) getExport(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	e, err := s.exports.Get(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(exportFileJSON(e, s.exports.Now()))
}

// downloadTimeout bounds how long one download may stream.
const downloadTimeout = 2 * time.Hour

// downloadExport streams the finished file through the server (from the
// local directory or the bucket), so a download needs the same credentials
// as the API and the bucket never has to be reachable by clients.
func (s *Server) downloadExport(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	// The body streams after the handler returns, past the request's own
	// deadline: it gets its own, ended when the stream is closed.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), downloadTimeout)
	e, rc, size, err := s.exports.Open(ctx, p.Actor, p.ProjectID, id)
	if err != nil {
		cancel()
		return err
	}
	c.Set(fiber.HeaderContentType, exportContentTypes[e.Format])
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, s.exports.FileName(e)))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Content-Type-Options", "nosniff")
	return c.SendStream(&cancelOnClose{ReadCloser: rc, cancel: cancel}, int(size))
}

var exportContentTypes = map[string]string{
	contacts.FormatCSV:    "text/csv; charset=utf-8",
	contacts.FormatNDJSON: "application/x-ndjson",
	contacts.FormatXLSX:   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// cancelOnClose ends a download's context when the server is done with its
// stream (fasthttp closes a body stream that is an io.Closer).
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (r *cancelOnClose) Close() error {
	err := r.ReadCloser.Close()
	r.cancel()
	return err
}
