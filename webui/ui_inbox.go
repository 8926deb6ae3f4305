package webui

// uiInbox registers the inbox pages of the admin UI.
func (s *Server) uiInbox(ui uiRoutes) {
}
