package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeModel speaks the chat-completions wire format: a reply in plain text,
// an extraction when asked for JSON.
func fakeModel(t *testing.T, calls *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer test-key" {
			http.Error(w, `{"error":{"message":"unexpected request"}}`, http.StatusNotFound)
			return
		}
		calls.Add(1)
		var req struct {
			ResponseFormat *struct{ Type string } `json:"response_format"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		content := "Hello from the model!"
		if req.ResponseFormat != nil {
			content = `{"first_name":{"value":"Eve","confidence":0.9,"message_ids":[]},"company":{"value":"Hooli","confidence":0.8,"message_ids":[]}}`
		}
		json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": "fake",
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}},
			"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestServeWithAModel(t *testing.T) {
	var calls atomic.Int32
	model := fakeModel(t, &calls)
	dsn := filepath.Join(t.TempDir(), "llm.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", dsn, "--addr", addr, "--llm-base-url", model.URL, "--llm-api-key", "test-key",
			"--llm-model", "fake"}, strings.NewReader(""), &stdout, &stderr)
	}()
	defer func() {
		cancel()
		<-done
	}()
	base := "http://" + addr
	waitHealthy(t, base)
	key := regexp.MustCompile(`API key:\s+(sb_\S+)`).FindStringSubmatch(stdout.String())[1]
	api := func(method, path, body string, out any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %v %v", method, path, err, resp)
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
	}
	var ch struct {
		PublicKey string `json:"public_key"`
	}
	api("POST", "/api/v1/channels", `{"type": "widget"}`, &ch)
	chat := base + "/channels/widget/" + ch.PublicKey + "/messages"
	resp, err := http.Post(chat, "application/json", strings.NewReader(`{"visitor_id": "visitor_llm_1", "text": "hi, I'm Eve from Hooli"}`))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("widget message: %v %v", err, resp)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		var poll struct{ Messages []struct{ Text string } }
		r, err := http.Get(chat + "?visitor_id=visitor_llm_1")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(r.Body).Decode(&poll)
		r.Body.Close()
		if len(poll.Messages) == 2 && poll.Messages[1].Text == "Hello from the model!" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reply from the model: %+v\n%s", poll, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var stats struct {
		Today struct{ Requests int } `json:"ai_usage_today"`
	}
	api("GET", "/api/v1/stats", "", &stats)
	if stats.Today.Requests < 1 || calls.Load() < 1 {
		t.Fatalf("model usage not counted: %+v, %d calls", stats, calls.Load())
	}
	if !strings.Contains(stderr.String(), "fake at "+model.URL) {
		t.Errorf("the start-up log names the model:\n%s", stderr.String())
	}
}

func TestEvalAI(t *testing.T) {
	out, _, err := runCmd(t, "", "eval-ai")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"heuristic", "email", "first_name", "injected values accepted: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval-ai output lacks %q:\n%s", want, out)
		}
	}
	var calls atomic.Int32
	model := fakeModel(t, &calls)
	out, _, err = runCmd(t, "", "eval-ai", "--llm-base-url", model.URL, "--llm-api-key", "test-key", "--llm-model", "fake",
		"--llm-requests-per-minute", "-1")
	if err != nil || !strings.Contains(out, "fake at") || calls.Load() == 0 {
		t.Fatalf("eval-ai with a model: %v, %d calls\n%s", err, calls.Load(), out)
	}
}
