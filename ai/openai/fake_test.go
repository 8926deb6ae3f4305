package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// reply is one scripted answer of the fake server.
type reply struct {
	status  int               // 0 means 200
	header  map[string]string // extra response headers
	content string            // choices[0].message.content on success
	errMsg  string            // error.message on failure
	param   string            // error.param on failure
	delay   time.Duration     // wait before answering
	prompt  int               // usage.prompt_tokens
	output  int               // usage.completion_tokens
}

// fakeServer speaks the chat-completions wire format and records what it
// was sent. Replies are used in order; the last one repeats.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	script   []reply
	requests []map[string]any
	paths    []string
}

func newFakeServer(t *testing.T, script ...reply) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req map[string]any
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("request body is not JSON: %v: %s", err, body)
	}
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	f.requests = append(f.requests, req)
	n := len(f.requests)
	rep := reply{content: "{}"}
	if len(f.script) > 0 {
		rep = f.script[min(n, len(f.script))-1]
	}
	f.mu.Unlock()

	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.status != 0 && rep.status != http.StatusOK {
		w.WriteHeader(rep.status)
		var param any
		if rep.param != "" {
			param = rep.param
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": rep.errMsg, "type": "invalid_request_error", "param": param, "code": nil,
		}})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id":      fmt.Sprintf("chatcmpl-%d", n),
		"object":  "chat.completion",
		"created": 1773500000,
		"model":   req["model"],
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": rep.content},
			"finish_reason": "stop",
		}},
		"usage": map[string]any{
			"prompt_tokens": rep.prompt, "completion_tokens": rep.output, "total_tokens": rep.prompt + rep.output,
		},
	})
}

func (f *fakeServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeServer) request(i int) map[string]any {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.requests) {
		f.t.Fatalf("request %d not sent; %d were", i, len(f.requests))
	}
	return f.requests[i]
}

// messages returns the role and content of each message of request i.
func (f *fakeServer) messages(i int) [][2]string {
	f.t.Helper()
	var out [][2]string
	msgs, _ := f.request(i)["messages"].([]any)
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		role, _ := mm["role"].(string)
		content, _ := mm["content"].(string)
		out = append(out, [2]string{role, content})
	}
	return out
}

// responseFormat returns response_format.type of request i.
func (f *fakeServer) responseFormat(i int) string {
	rf, _ := f.request(i)["response_format"].(map[string]any)
	typ, _ := rf["type"].(string)
	return typ
}

// memUsage is an in-memory UsageRecorder.
type memUsage struct {
	mu     sync.Mutex
	tokens map[string]int
	adds   []string
}

func newMemUsage() *memUsage { return &memUsage{tokens: map[string]int{}} }

func (m *memUsage) AddUsage(_ context.Context, projectID int64, day string, prompt, completion int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := fmt.Sprintf("%d/%s", projectID, day)
	m.tokens[key] += prompt + completion
	m.adds = append(m.adds, fmt.Sprintf("%s %d+%d", key, prompt, completion))
	return nil
}

func (m *memUsage) UsageOn(_ context.Context, projectID int64, day string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens[fmt.Sprintf("%d/%s", projectID, day)], nil
}

// testClock is a settable clock. Its zone is not UTC so that the budget
// day is seen to be the UTC one: 01:30 at +02:00 is the previous UTC day.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 3, 15, 1, 30, 0, 0, time.FixedZone("UTC+2", 2*3600))}
}

const testDay = "2026-03-14"

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// harness is a Client on a fake server whose sleeps are recorded, not slept.
type harness struct {
	*Client
	srv    *fakeServer
	usage  *memUsage
	clock  *testClock
	logs   *syncBuffer
	mu     sync.Mutex
	sleeps []time.Duration
}

func newHarness(t *testing.T, configure func(*Config), script ...reply) *harness {
	t.Helper()
	h := &harness{srv: newFakeServer(t, script...), usage: newMemUsage(), clock: newTestClock(), logs: &syncBuffer{}}
	cfg := Config{
		BaseURL: h.srv.srv.URL,
		APIKey:  "sk-test",
		Model:   "test-model",
		Usage:   h.usage,
		Clock:   h.clock.Now,
		Logger:  slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	if configure != nil {
		configure(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.sleep = func(_ context.Context, d time.Duration) error {
		h.mu.Lock()
		h.sleeps = append(h.sleeps, d)
		h.mu.Unlock()
		return nil
	}
	h.Client = c
	return h
}

func (h *harness) slept() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// conversation is a short transcript with an email in message 2.
func conversation() []ai.Turn {
	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	return []ai.Turn{
		{ID: 1, Role: contacts.SenderContact, Text: "Hi, I'm Ana from Acme. How much is the pro plan?", At: at},
		{ID: 2, Role: contacts.SenderBot, Text: "Hi Ana! Could I have your email?", At: at.Add(time.Minute)},
		{ID: 3, Role: contacts.SenderContact, Text: "ana@acme.test", At: at.Add(2 * time.Minute)},
	}
}

func extractRequest() ai.ExtractRequest {
	return ai.ExtractRequest{ProjectID: 7, Contact: &contacts.Contact{ID: 1, ProjectID: 7}, History: conversation()}
}

// validExtraction is a well-formed answer for conversation().
const validExtraction = `{
  "first_name": {"value": "Ana", "confidence": 0.9, "message_ids": [1]},
  "last_name": null,
  "email": {"value": "ana@acme.test", "confidence": 0.95, "message_ids": [3]},
  "phone": null,
  "company": {"value": "Acme", "confidence": 0.8, "message_ids": [1]},
  "country": null,
  "memories": [],
  "summary": {"value": "Ana works at Acme and is looking at the pro plan.", "confidence": 0.7, "message_ids": [1]},
  "sentiment": {"label": "neutral", "score": 0.1, "message_ids": [1, 3]},
  "intents": [{"value": "pricing", "confidence": 0.9, "message_ids": [1]}]
}`
