// Package metatest is a fake Graph API for tests: a local httptest server
// that accepts Send API and WhatsApp Cloud message posts in their documented
// shape, records them, and can answer with Graph errors.
package metatest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Post is one request the fake received.
type Post struct {
	Path  string
	Token string
	Body  map[string]any
}

// FakeGraph records posts; FailNext answers that many with a rate-limit error.
type FakeGraph struct {
	*httptest.Server
	mu       sync.Mutex
	posts    []Post
	FailNext int
	// Profiles answers the profile API: id -> {first name, last name}.
	Profiles map[string][2]string
	stall    bool // see StallProfiles
	profiled int  // profile requests received
	stop     chan struct{}
}

// NewFakeGraph starts a fake, closed when the test ends.
func NewFakeGraph(t testing.TB) *FakeGraph {
	f := &FakeGraph{stop: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet { // the profile API
			f.mu.Lock()
			f.profiled++
			stall := f.stall
			f.mu.Unlock()
			if stall {
				select {
				case <-r.Context().Done():
				case <-f.stop:
				}
				return
			}
			w.Header().Set("Content-Type", "application/json")
			if name, ok := f.Profiles[strings.TrimPrefix(r.URL.Path[strings.LastIndex(r.URL.Path, "/"):], "/")]; ok {
				json.NewEncoder(w).Encode(map[string]string{"first_name": name[0], "last_name": name[1]})
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"message":"Unsupported get request","type":"GraphMethodException","code":100}}`))
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		w.Header().Set("Content-Type", "application/json")
		if err := json.Unmarshal(raw, &body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"message":"Invalid JSON","type":"OAuthException","code":100}}`))
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.FailNext > 0 {
			f.FailNext--
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4}}`))
			return
		}
		f.posts = append(f.posts, Post{Path: r.URL.Path, Token: r.Header.Get("Authorization"), Body: body})
		if _, ok := body["messaging_product"]; ok {
			w.Write([]byte(`{"messaging_product":"whatsapp","contacts":[{"input":"x","wa_id":"x"}],"messages":[{"id":"wamid.SENT1"}]}`))
			return
		}
		w.Write([]byte(`{"recipient_id":"x","message_id":"m_sent1"}`))
	}))
	t.Cleanup(f.Close)
	t.Cleanup(func() { close(f.stop) }) // runs first: Close waits for stalled handlers
	return f
}

// StallProfiles makes the profile API hang until the caller gives up (or
// the test ends): a Graph API that accepts and never answers.
func (f *FakeGraph) StallProfiles() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stall = true
}

// ProfileRequests returns how many profile lookups the fake received.
func (f *FakeGraph) ProfileRequests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.profiled
}

// Posts returns what the fake received so far.
func (f *FakeGraph) Posts() []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Post(nil), f.posts...)
}
