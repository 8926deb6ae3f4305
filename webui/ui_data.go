package webui

// uiData registers the data pages of the admin UI.
func (s *Server) uiData(ui uiRoutes) {
}
