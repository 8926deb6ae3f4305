package webui

import "github.com/gofiber/fiber/v2"

// uiDashboard registers the dashboard, the UI's start page.
func (s *Server) uiDashboard(ui uiRoutes) {
	ui.get("/", s.dashboardPage)
}

func (s *Server) dashboardPage(c *fiber.Ctx) error {
	return s.page(c, "dashboard", "Dashboard", "dashboard", nil)
}
