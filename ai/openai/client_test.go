package openai

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
)

func TestNormaliseBaseURL(t *testing.T) {
	cases := map[string]string{
		"":                                   DefaultBaseURL,
		"http://localhost:11434":             "http://localhost:11434/v1",
		"http://localhost:11434/":            "http://localhost:11434/v1",
		"http://localhost:11434/v1":          "http://localhost:11434/v1",
		"http://localhost:11434/v1/":         "http://localhost:11434/v1",
		" https://api.openai.com/v1 ":        "https://api.openai.com/v1",
		"https://gw.example.com/acct/openai": "https://gw.example.com/acct/openai",
	}
	for in, want := range cases {
		got, err := normaliseBaseURL(in)
		if err != nil || got != want {
			t.Errorf("normaliseBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"localhost:11434", "ftp://host", "http://", "http://host/v1?api-version=1"} {
		if _, err := normaliseBaseURL(bad); err == nil {
			t.Errorf("normaliseBaseURL(%q) accepted", bad)
		}
	}
}

func TestBaseURLWithAndWithoutV1ReachTheServer(t *testing.T) {
	for _, suffix := range []string{"", "/", "/v1", "/v1/"} {
		h := newHarness(t, nil, reply{content: validExtraction})
		h2 := newHarness(t, func(c *Config) { c.BaseURL = h.srv.srv.URL + suffix })
		if _, err := h2.Extract(context.Background(), extractRequest()); err != nil {
			t.Fatalf("%q: %v", suffix, err)
		}
		if h.srv.count() != 1 || h.srv.paths[0] != "POST /v1/chat/completions" {
			t.Errorf("%q: requests %v", suffix, h.srv.paths)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("no model accepted")
	}
	if _, err := New(Config{Model: "m", DailyTokenBudget: 1000}); err == nil {
		t.Error("a budget without a usage recorder accepted")
	}
	if _, err := New(Config{Model: "m", BaseURL: "not a url"}); err == nil {
		t.Error("a bad base url accepted")
	}
}

func TestRateLimitPerProject(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RatePerMinute = 2 }, reply{content: validExtraction})
	ctx := context.Background()
	for i := range 2 {
		if _, err := h.Extract(ctx, extractRequest()); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	_, err := h.Extract(ctx, extractRequest())
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("third call: err = %v, want ErrRateLimited", err)
	}
	if _, err := h.Respond(ctx, replyRequest()); !errors.Is(err, ErrRateLimited) {
		t.Errorf("Respond shares the bucket: err = %v", err)
	}
	if h.srv.count() != 2 {
		t.Errorf("requests = %d: a limited call reached the server", h.srv.count())
	}

	other := extractRequest()
	other.ProjectID = 8
	if _, err := h.Extract(ctx, other); err != nil {
		t.Errorf("another project was limited: %v", err)
	}

	h.clock.Add(30 * time.Second) // one token back at 2 a minute
	if _, err := h.Extract(ctx, extractRequest()); err != nil {
		t.Errorf("after 30s: %v", err)
	}
	if _, err := h.Extract(ctx, extractRequest()); !errors.Is(err, ErrRateLimited) {
		t.Errorf("bucket refilled beyond the rate: %v", err)
	}
}

func TestUnlimitedRate(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RatePerMinute = -1 }, reply{content: "{}"})
	for i := range 100 {
		if _, err := h.Extract(context.Background(), extractRequest()); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

func TestDailyBudget(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DailyTokenBudget = 1000 }, reply{content: validExtraction, prompt: 600, output: 100})
	ctx := context.Background()
	if _, err := h.Extract(ctx, extractRequest()); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if _, err := h.Extract(ctx, extractRequest()); err != nil {
		t.Fatalf("second call (700 of 1000 used): %v", err)
	}
	_, err := h.Extract(ctx, extractRequest())
	if !errors.Is(err, ErrBudgetExceeded) || !errors.Is(err, ai.ErrUnavailable) {
		t.Fatalf("third call: err = %v, want ErrBudgetExceeded and ai.ErrUnavailable", err)
	}
	if _, err := h.Respond(ctx, replyRequest()); !errors.Is(err, ErrBudgetExceeded) {
		t.Errorf("Respond: err = %v, want ErrBudgetExceeded", err)
	}
	if h.srv.count() != 2 {
		t.Errorf("requests = %d: a call over budget reached the server", h.srv.count())
	}
	if got, _ := h.usage.UsageOn(ctx, 7, testDay); got != 1400 {
		t.Errorf("usage on %s = %d", testDay, got)
	}

	h.clock.Add(24 * time.Hour)
	if _, err := h.Extract(ctx, extractRequest()); err != nil {
		t.Errorf("a new UTC day is still over budget: %v", err)
	}
}
