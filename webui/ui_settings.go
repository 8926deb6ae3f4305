package webui

// uiSettings registers the settings pages of the admin UI.
func (s *Server) uiSettings(ui uiRoutes) {
}
