package webui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uiData registers the data pages of the admin UI: the import wizard and
// the list of imports. They are for admins and owners only: agents are
// refused here, on the server, whatever links they see.
//
// The wizard: upload (/imports/new) → review the column mapping
// (/imports/new/{token}) → preview the first rows (/imports/new/{token}/preview)
// → start, which leads to the import's page (/imports/{id}): its progress
// while it runs, its summary once done.
func (s *Server) uiData(ui uiRoutes) {
	ui.get("/imports", managersOnly(s.importsPage))
	ui.get("/imports/new", managersOnly(s.importUploadPage))
	ui.post("/imports/new", managersOnly(s.importUpload))
	ui.get("/imports/new/:token", managersOnly(s.importMappingPage))
	ui.post("/imports/new/:token", managersOnly(s.importSaveMapping))
	ui.get("/imports/new/:token/preview", managersOnly(s.importPreviewPage))
	ui.post("/imports/new/:token/start", managersOnly(s.importStart))
	ui.post("/imports/new/:token/discard", managersOnly(s.importDiscard))
	ui.get("/imports/:id", managersOnly(s.importStatusPage))
	ui.post("/imports/:id/cancel", managersOnly(s.importCancel))
	ui.post("/imports/:id/resume", managersOnly(s.importResume))
}

// managersOnly refuses agents: they may not import contacts.
func managersOnly(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if sess := uiSession(c); sess == nil || sess.Role == contacts.RoleAgent {
			return fmt.Errorf("agents cannot import contacts: %w", contacts.ErrForbidden)
		}
		return h(c)
	}
}
