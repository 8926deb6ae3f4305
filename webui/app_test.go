package webui

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	r := e.doAs("", "GET", "/healthz", nil).must(t, http.StatusOK)
	if r.body["status"] != "ok" {
		t.Errorf("healthz: %s", r.raw)
	}
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	r = e.doAs("", "GET", "/healthz", nil).must(t, http.StatusServiceUnavailable)
	if r.body["status"] != "unavailable" {
		t.Errorf("healthz down: %s", r.raw)
	}
}

func TestRoutingErrors(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/nope", nil).mustError(t, 404, "not_found")
	e.doAs("", "GET", "/nope", nil).mustError(t, 404, "not_found")
	e.do("PUT", "/api/v1/contacts/1", map[string]any{}).mustError(t, 405, "method_not_allowed")
	e.do("DELETE", "/api/v1/contacts", nil).mustError(t, 405, "method_not_allowed")
}

func TestPanicAndInternalErrors(t *testing.T) {
	e := newEnv(t, func(s *Server) {
		s.App().Get("/test/panic", func(*fiber.Ctx) error { panic("boom at the secret place") })
		s.App().Get("/test/error", func(*fiber.Ctx) error { return errors.New("db password is hunter2") })
	})
	r := e.doAs("", "GET", "/test/panic", nil).mustError(t, 500, "internal")
	if strings.Contains(string(r.raw), "boom") || strings.Contains(string(r.raw), "goroutine") {
		t.Errorf("panic leaks into the body: %s", r.raw)
	}
	r = e.doAs("", "GET", "/test/error", nil).mustError(t, 500, "internal")
	if strings.Contains(string(r.raw), "hunter2") {
		t.Errorf("internal error leaks into the body: %s", r.raw)
	}
	logs := e.logs.String()
	for _, want := range []string{"boom at the secret place", "goroutine", "path=/test/panic", "method=GET", "hunter2", "status=500"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	// 4xx answers are not logged.
	before := e.logs.String()
	e.do("GET", "/api/v1/contacts/999999", nil).mustError(t, 404, "not_found")
	e.doAs("", "GET", "/api/v1/contacts", nil).mustError(t, 401, "unauthorized")
	if after := e.logs.String(); after != before {
		t.Errorf("4xx logged: %s", strings.TrimPrefix(after, before))
	}
	// The server keeps serving.
	e.do("GET", "/api/v1/stats", nil).must(t, 200)
}

func TestShutdownFinishesInFlight(t *testing.T) {
	started := make(chan struct{})
	e := newEnv(t, func(s *Server) {
		s.App().Get("/test/slow", func(c *fiber.Ctx) error {
			close(started)
			time.Sleep(300 * time.Millisecond)
			return c.SendString("done")
		})
	})
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get(e.base + "/test/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		res.Body.Close()
		got <- result{status: res.StatusCode}
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r.err != nil || r.status != 200 {
		t.Errorf("in-flight request: %+v", r)
	}
	if _, err := http.Get(e.base + "/healthz"); err == nil {
		t.Errorf("the server still accepts requests after shutdown")
	}
}
