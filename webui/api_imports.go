package webui

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/switchboard-oss/switchboard/contacts"
)

// ImportBodyLimit is the largest upload POST /imports accepts (a million
// contacts take about 100 MiB of CSV); other requests keep BodyLimit.
// Uploads are streamed to disk, not held in memory.
const ImportBodyLimit = 512 << 20

// importBodyLimit is ImportBodyLimit, lowered by tests.
var importBodyLimit = ImportBodyLimit

// mountImports registers the imports routes of /api/v1 (issue #5).
func (s *Server) mountImports(api fiber.Router) {
	s.allowLargeUploads()
	api.Get("/imports", s.listImports)
	api.Post("/imports", s.createImport)
	api.Post("/imports/preview", s.previewImport)
	api.Get("/imports/:id", s.getImport)
	api.Get("/imports/:id/errors", s.importErrors)
	api.Post("/imports/:id/cancel", s.cancelImport)
	api.Post("/imports/:id/resume", s.resumeImport)
}

// allowLargeUploads raises the body limit for import uploads only (the
// API's and the UI wizard's), and only for requests that carry credentials
// (a bearer key, a session cookie): a multipart body is spooled to
// temporary files before any handler runs, so the limit is decided from
// the request line and headers; the handler then refuses anyone else.
func (s *Server) allowLargeUploads() {
	srv := s.app.Server()
	prev := srv.HeaderReceived
	srv.HeaderReceived = func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		var conf fasthttp.RequestConfig
		if prev != nil {
			conf = prev(h)
		}
		path := string(h.RequestURI())
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if string(h.Method()) != fiber.MethodPost {
			return conf
		}
		api := (path == "/api/v1/imports" || path == "/api/v1/imports/preview") && len(h.Peek(fiber.HeaderAuthorization)) > 0
		wizard := path == "/imports/new" && len(h.Cookie(sessionCookie)) > 0
		if api || wizard {
			conf.MaxRequestBodySize = importBodyLimit
		}
		return conf
	}
}

// importView is an import's progress.
type importView struct {
	ID         int64                  `json:"id"`
	JobID      int64                  `json:"job_id"`
	Status     string                 `json:"status"`
	FileName   string                 `json:"file_name"`
	Size       int64                  `json:"size"`
	BytesRead  int64                  `json:"bytes_read"`
	Progress   float64                `json:"progress"`
	Options    contacts.ImportOptions `json:"options"`
	Columns    any                    `json:"columns"`
	Encoding   string                 `json:"encoding"`
	Delimiter  string                 `json:"delimiter"`
	Counts     importCountsView       `json:"counts"`
	ErrorRows  int                    `json:"error_rows"`
	ErrorsURL  string                 `json:"errors_url"`
	Error      string                 `json:"error,omitempty"`
	CreatedAt  *time.Time             `json:"created_at"`
	UpdatedAt  *time.Time             `json:"updated_at"`
	FinishedAt *time.Time             `json:"finished_at"`
}

type importCountsView struct {
	contacts.ImportCounts
	Skipped int `json:"skipped"`
}

func importJSON(imp *contacts.Import) importView {
	progress := 1.0
	if imp.Status == contacts.JobRunning {
		progress = 0
		if imp.Size > 0 {
			progress = min(0.99, float64(imp.BytesRead)/float64(imp.Size))
		}
	}
	id := strconv.FormatInt(imp.ID, 10)
	return importView{ID: imp.ID, JobID: imp.ID, Status: imp.Status, FileName: imp.FileName, Size: imp.Size,
		BytesRead: imp.BytesRead, Progress: progress, Options: imp.Options, Columns: imp.Columns, Encoding: imp.Encoding,
		Delimiter: imp.Delimiter, Counts: importCountsView{imp.Counts, imp.Counts.Skipped()}, ErrorRows: imp.ErrorRows,
		ErrorsURL: "/api/v1/imports/" + id + "/errors", Error: imp.Error,
		CreatedAt: timeJSON(imp.CreatedAt), UpdatedAt: timeJSON(imp.UpdatedAt), FinishedAt: timeJSON(imp.FinishedAt)}
}

func (s *Server) createImport(c *fiber.Ctx) error {
	fh, opts, err := importRequest(c)
	if err != nil {
		return err
	}
	path, err := s.saveUpload(fh)
	if err != nil {
		return err
	}
	p := who(c)
	imp, err := s.svc.StartImport(c.UserContext(), p.Actor, p.ProjectID,
		contacts.ImportFile{Name: uploadName(fh.Filename), Path: path, Owned: true}, opts)
	if err != nil {
		os.Remove(path)
		return err
	}
	c.Location("/api/v1/imports/" + strconv.FormatInt(imp.ID, 10))
	return c.Status(fiber.StatusAccepted).JSON(importJSON(imp))
}

// previewView is a preview with contacts in their API shape.
type previewView struct {
	Columns   any               `json:"columns"`
	Encoding  string            `json:"encoding"`
	Delimiter string            `json:"delimiter"`
	Rows      []previewRowsView `json:"rows"`
}

type previewRowsView struct {
	Row        int                       `json:"row"`
	Line       int                       `json:"line"`
	Action     string                    `json:"action"`
	ExistingID int64                     `json:"existing_id,omitempty"`
	Contact    *contactView              `json:"contact"`
	Errors     []contacts.ImportRowError `json:"errors"`
}

func (s *Server) previewImport(c *fiber.Ctx) error {
	fh, opts, err := importRequest(c)
	if err != nil {
		return err
	}
	path, err := s.saveUpload(fh)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	p := who(c)
	pv, err := s.svc.PreviewImport(c.UserContext(), p.Actor, p.ProjectID, path, opts)
	if err != nil {
		return err
	}
	out := previewView{Columns: pv.Columns, Encoding: pv.Encoding, Delimiter: pv.Delimiter, Rows: make([]previewRowsView, len(pv.Rows))}
	for i, r := range pv.Rows {
		out.Rows[i] = previewRowsView{Row: r.Row, Line: r.Line, Action: r.Action, ExistingID: r.ExistingID, Errors: r.Errors}
		if r.Contact != nil {
			out.Rows[i].Contact = contactJSON(r.Contact)
		}
	}
	return c.JSON(out)
}

func (s *Server) listImports(c *fiber.Ctx) error {
	v := &contacts.ValidationError{}
	limit := queryInt(c, "limit", 50, 1, 100, v)
	if err := v.Err(); err != nil {
		return err
	}
	imps, err := s.svc.ListImports(c.UserContext(), who(c).ProjectID, limit)
	if err != nil {
		return err
	}
	out := make([]importView, len(imps))
	for i := range imps {
		out[i] = importJSON(&imps[i])
	}
	return c.JSON(fiber.Map{"imports": out})
}

func (s *Server) getImport(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.svc.GetImport(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(importJSON(imp))
}

func (s *Server) cancelImport(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	imp, err := s.svc.CancelImport(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(importJSON(imp))
}

func (s *Server) resumeImport(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := who(c)
	imp, err := s.svc.ResumeImport(c.UserContext(), p.Actor, p.ProjectID, id)
	if err != nil {
		return err
	}
	c.Location("/api/v1/imports/" + strconv.FormatInt(imp.ID, 10))
	return c.Status(fiber.StatusAccepted).JSON(importJSON(imp))
}

// importErrors downloads an import's error report as CSV, streamed page
// by page (a report may hold a line per row of a large file).
func (s *Server) importErrors(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	projectID := who(c).ProjectID
	if _, err := s.svc.GetImport(c.UserContext(), projectID, id); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="import-%d-errors.csv"`, id))
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		// The request's context ends with the handler; the stream runs after.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := s.svc.WriteImportErrors(ctx, projectID, id, w); err != nil {
			log.Warn("stream import error report", "import_id", id, "error", err)
		}
		w.Flush()
	})
	return nil
}

// importRequest reads the upload and the options of a multipart request:
// the CSV in field file; options as a JSON object in field options
// ({"on_duplicate", "map", "custom_unmapped", "dry_run", "region"}) and/or
// as fields of their own (on_duplicate, custom_unmapped, dry_run, region,
// mapping as a JSON object of column to field, map as column=field, once
// per column).
func importRequest(c *fiber.Ctx) (*multipart.FileHeader, contacts.ImportOptions, error) {
	var opts contacts.ImportOptions
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		return nil, opts, badRequest("send multipart/form-data with the CSV file in the field \"file\"")
	}
	form, err := c.MultipartForm()
	if err != nil {
		return nil, opts, badRequest("malformed multipart body: " + err.Error())
	}
	files := form.File["file"]
	if len(files) == 0 {
		return nil, opts, badRequest("the field \"file\" is missing: attach the CSV file as it")
	}
	if len(files) > 1 {
		return nil, opts, badRequest("send one file per import")
	}
	val := func(name string) (string, bool) {
		vs := form.Value[name]
		if len(vs) == 0 {
			return "", false
		}
		return vs[0], true
	}
	if raw, ok := val("options"); ok && strings.TrimSpace(raw) != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&opts); err != nil {
			return nil, opts, badRequest("field options: " + describeJSONError(err))
		}
	}
	if v, ok := val("on_duplicate"); ok {
		opts.OnDuplicate = strings.TrimSpace(v)
	}
	if v, ok := val("region"); ok {
		opts.Region = v
	}
	for name, dst := range map[string]*bool{"custom_unmapped": &opts.CustomUnmapped, "dry_run": &opts.DryRun} {
		if v, ok := val(name); ok {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return nil, opts, badRequest(fmt.Sprintf("field %s must be true or false", name))
			}
			*dst = b
		}
	}
	if raw, ok := val("mapping"); ok && strings.TrimSpace(raw) != "" {
		var m map[string]string
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, opts, badRequest("field mapping must be a JSON object of column name to field, e.g. {\"E-mail\": \"email\"}")
		}
		opts.Map = mergeMap(opts.Map, m)
	}
	for _, spec := range form.Value["map"] {
		col, field, ok := strings.Cut(spec, "=")
		if !ok || strings.TrimSpace(col) == "" {
			return nil, opts, badRequest(fmt.Sprintf("map %q must be column=field", spec))
		}
		opts.Map = mergeMap(opts.Map, map[string]string{strings.TrimSpace(col): strings.TrimSpace(field)})
	}
	return files[0], opts, nil
}

func mergeMap(dst, src map[string]string) map[string]string {
	if dst == nil {
		dst = map[string]string{}
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// uploadName keeps the base name of an upload, for display.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "")
	if name == "." || name == "/" || name == "" {
		return "upload.csv"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return strings.ToValidUTF8(name, "")
}

// saveUpload copies an upload into the data directory, where the import
// reads it (and a resume reads it again).
func (s *Server) saveUpload(fh *multipart.FileHeader) (string, error) {
	dir, err := s.importDir()
	if err != nil {
		return "", err
	}
	var rnd [12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	path := filepath.Join(dir, time.Now().UTC().Format("20060102-150405")+"-"+hex.EncodeToString(rnd[:])+".csv")
	in, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("open upload: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("keep upload: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(path)
		return "", fmt.Errorf("keep upload: %w", err)
	}
	if err := out.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("keep upload: %w", err)
	}
	return path, nil
}

// fallbackDataDir is the data directory of servers configured without one
// (tests): one temporary directory per process.
var fallbackDataDir struct {
	once sync.Once
	dir  string
	err  error
}

// importDir is where uploads are kept: <data dir>/imports.
func (s *Server) importDir() (string, error) {
	base := s.dataDir
	if base == "" {
		fallbackDataDir.once.Do(func() {
			fallbackDataDir.dir, fallbackDataDir.err = os.MkdirTemp("", "switchboard-data-")
		})
		if fallbackDataDir.err != nil {
			return "", fallbackDataDir.err
		}
		base = fallbackDataDir.dir
	}
	dir := filepath.Join(base, "imports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("data directory: %w", err)
	}
	return dir, nil
}
