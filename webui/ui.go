package webui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// The admin UI is server-rendered: html/template pages (which escape every
// value for its context, so a contact named <script> renders as text), a
// stylesheet and small scripts that swap in HTML fragments the server
// renders, embedded in the binary. No front-end build.
//
//go:embed templates static
var uiFS embed.FS

// uiView is what every page template gets: the signed-in user, the project
// switcher, the CSRF token for forms, and the page's own Data.
type uiView struct {
	Title    string
	Nav      string // which navigation entry is current
	Session  *contacts.Session
	Projects []contacts.UserProject
	Project  contacts.Project
	CSRF     string
	Flash    string
	Path     string // the request's path and query, for redirects back
	Data     any
}

// CanManage reports whether the user may delete, merge, export, import and
// change settings (admins and owners).
func (v uiView) CanManage() bool { return v.Session != nil && v.Session.Role != contacts.RoleAgent }

// IsOwner reports whether the user manages users and API keys.
func (v uiView) IsOwner() bool { return v.Session != nil && v.Session.Role == contacts.RoleOwner }

// uiPages are the parsed templates: one set per page, each the layout and
// every partial plus that page, so pages may define blocks of the same name.
// They are parsed on first use (New asks, so a broken template stops the
// server at start): package variables initialise before init functions, and
// area files register their template funcs in init.
var uiPages = sync.OnceValue(mustParsePages)

// uiFuncs are the template functions; area files add theirs with
// registerUIFuncs in an init function.
var uiFuncs = template.FuncMap{}

func registerUIFuncs(m template.FuncMap) {
	for k, v := range m {
		if _, dup := uiFuncs[k]; dup {
			panic("template func " + k + " registered twice")
		}
		uiFuncs[k] = v
	}
}

func mustParsePages() map[string]*template.Template {
	registerUIFuncs(baseUIFuncs())
	base := template.Must(template.New("layout").Funcs(uiFuncs).ParseFS(uiFS, "templates/layout.html", "templates/partials/*.html"))
	names, err := fs.Glob(uiFS, "templates/pages/*.html")
	if err != nil {
		panic(err)
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		t := template.Must(template.Must(base.Clone()).ParseFS(uiFS, name))
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages
}

// render answers with a whole page: the layout around the page's "content".
func (s *Server) render(c *fiber.Ctx, page string, v uiView) error {
	return s.execute(c, page, "layout", v)
}

// renderPartial answers with one named template of a page, for the
// fragments the page's scripts swap in.
func (s *Server) renderPartial(c *fiber.Ctx, page, name string, v uiView) error {
	return s.execute(c, page, name, v)
}

func (s *Server) execute(c *fiber.Ctx, page, name string, v uiView) error {
	t, ok := uiPages()[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, uiCSP)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	return c.Send(buf.Bytes())
}

// uiCSP allows scripts only from this server's files, so even a value that
// slipped past escaping could not run; inline style attributes stay allowed
// for the server-drawn charts.
const uiCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// view builds the common part of a page's view for the signed-in user.
func (s *Server) view(c *fiber.Ctx, title, nav string, data any) (uiView, error) {
	sess := uiSession(c)
	v := uiView{Title: title, Nav: nav, Session: sess, Data: data, Path: c.OriginalURL(), Flash: takeFlash(c)}
	if sess == nil {
		return v, nil
	}
	v.CSRF = sess.CSRF
	projects, err := s.svc.UserProjects(c.UserContext(), sess.UserID)
	if err != nil {
		return v, err
	}
	v.Projects = projects
	for _, p := range projects {
		if p.ID == sess.ProjectID {
			v.Project = p.Project
		}
	}
	return v, nil
}

// page is view plus render, the usual end of a GET handler.
func (s *Server) page(c *fiber.Ctx, page, title, nav string, data any) error {
	v, err := s.view(c, title, nav, data)
	if err != nil {
		return err
	}
	return s.render(c, page, v)
}

// staticAssets maps /static/<name> to its bytes and a content hash, so
// pages link /static/app.css?v=<hash> and the browser caches it for good.
var staticAssets = mustLoadStatic()

type staticAsset struct {
	body    []byte
	version string
	mime    string
}

func mustLoadStatic() map[string]staticAsset {
	out := map[string]staticAsset{}
	err := fs.WalkDir(uiFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := uiFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		out[name] = staticAsset{body: b, version: hex.EncodeToString(sum[:6]), mime: mime.TypeByExtension(path.Ext(p))}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// assetURL is the versioned URL of a static file.
func assetURL(name string) (string, error) {
	a, ok := staticAssets[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + name + "?v=" + a.version, nil
}

func (s *Server) staticFile(c *fiber.Ctx) error {
	a, ok := staticAssets[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	if a.mime != "" {
		c.Set(fiber.HeaderContentType, a.mime)
	}
	if c.Query("v") == a.version {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	return c.Send(a.body)
}

// uiErrors renders a handler's error as a page (or, for a fragment request,
// as the bare message), with the status the API would give it. An expired
// session goes back to the login page.
func (s *Server) uiErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	if errors.Is(err, contacts.ErrUnauthorized) && c.Method() == fiber.MethodGet && !isFragment(c) {
		return c.Redirect("/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	status, body := errorResponse(err)
	if status >= 500 {
		s.logServerError(c, status, err)
	}
	c.Status(status)
	if isFragment(c) {
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(body.Error.Message)
	}
	v, verr := s.view(c, "Error", "", body.Error)
	if verr != nil {
		v = uiView{Title: "Error", Data: body.Error}
	}
	return s.render(c, "error", v)
}

// isFragment reports a request from the UI's scripts for a piece of a page.
func isFragment(c *fiber.Ctx) bool { return c.Get("X-Fragment") != "" }

// wantsPage reports a browser asking for a page outside the API: it gets
// the HTML error page where an API client gets JSON.
func wantsPage(c *fiber.Ctx) bool {
	return !strings.HasPrefix(c.Path(), "/api/") && strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

// notFoundPage renders the HTML 404 for an unknown page.
func (s *Server) notFoundPage(c *fiber.Ctx, body errorBody) error {
	body.Error.Message = "There is no page at this address."
	c.Status(fiber.StatusNotFound)
	return s.render(c, "error", uiView{Title: "Not found", Data: body.Error})
}
