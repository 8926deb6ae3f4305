package webui

// uiContacts registers the contacts pages of the admin UI.
func (s *Server) uiContacts(ui uiRoutes) {
}
