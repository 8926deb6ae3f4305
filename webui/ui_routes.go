package webui

import "github.com/gofiber/fiber/v2"

// uiRoutes registers admin UI pages: each behind the HTML error page and
// the session check (which also checks CSRF on POST). Routes are registered
// one by one rather than under a "/" group, whose middleware would also
// catch the API's unknown paths.
type uiRoutes struct{ s *Server }

func (r uiRoutes) get(path string, h fiber.Handler) {
	r.s.app.Get(path, r.s.uiErrors, r.s.requireSession, h)
}

func (r uiRoutes) post(path string, h fiber.Handler) {
	r.s.app.Post(path, r.s.uiErrors, r.s.requireSession, h)
}

// mountUI registers the admin UI. Each area of it lives in its own file.
func (s *Server) mountUI() {
	uiPages() // parse the templates now: a broken one stops the start
	s.app.Get("/static/*", s.staticFile)
	s.app.Get("/login", s.uiErrors, s.loginPage)
	s.app.Post("/login", s.uiErrors, s.login)

	ui := uiRoutes{s}
	ui.post("/logout", s.logout)
	ui.post("/project", s.switchProject)
	ui.get("/account", s.accountPage)
	ui.post("/account/password", s.changePassword)

	s.uiDashboard(ui)
	s.uiContacts(ui)
	s.uiProfile(ui)
	s.uiInbox(ui)
	s.uiData(ui)
	s.uiSettings(ui)
}
