package webui

// uiProfile registers the profile pages of the admin UI.
func (s *Server) uiProfile(ui uiRoutes) {
}
