package gateway

import "sync"

// projectBuffer is how many events a project subscriber may fall behind
// before it is closed.
const projectBuffer = 256

// ProjectSubscription receives every event of one project (the staff
// inbox) until closed. A subscriber that falls projectBuffer events behind
// is closed by the hub, so the router never waits for it: C closes with
// Lagged true, and the reader resubscribes and reloads what it shows.
type ProjectSubscription struct {
	C       chan Event
	hub     *Hub
	project int64
	once    sync.Once
	lagged  bool // set under hub.mu before C closes
}

// SubscribeProject follows every event of a project.
func (h *Hub) SubscribeProject(projectID int64) *ProjectSubscription {
	s := &ProjectSubscription{C: make(chan Event, projectBuffer), hub: h, project: projectID}
	h.mu.Lock()
	if h.projects[projectID] == nil {
		h.projects[projectID] = map[*ProjectSubscription]struct{}{}
	}
	h.projects[projectID][s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Lagged reports, once C is closed, that the hub closed it because the
// subscriber fell behind (events were lost), rather than Close.
func (s *ProjectSubscription) Lagged() bool {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.lagged
}

// Close stops the subscription and closes its channel.
func (s *ProjectSubscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.closeLocked()
}

func (s *ProjectSubscription) closeLocked() {
	s.once.Do(func() {
		h := s.hub
		delete(h.projects[s.project], s)
		if len(h.projects[s.project]) == 0 {
			delete(h.projects, s.project)
		}
		close(s.C)
	})
}

// fanOutProject hands ev to the project's subscribers; h.mu is held.
func (h *Hub) fanOutProject(ev Event) {
	for s := range h.projects[ev.ProjectID] {
		select {
		case s.C <- ev:
		default:
			s.lagged = true
			s.closeLocked()
		}
	}
}
