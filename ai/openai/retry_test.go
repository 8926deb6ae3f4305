package openai

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gopenai "github.com/sashabaranov/go-openai"
)

func TestRetryHonoursRetryAfter(t *testing.T) {
	h := newHarness(t, nil,
		reply{status: 429, errMsg: "Rate limit reached", header: map[string]string{"Retry-After": "2"}},
		reply{content: validExtraction},
	)
	if _, err := h.Extract(context.Background(), extractRequest()); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if h.srv.count() != 2 {
		t.Errorf("requests = %d, want 2", h.srv.count())
	}
	if s := h.slept(); len(s) != 1 || s[0] < 2*time.Second {
		t.Errorf("slept %v, want one wait of at least 2s", s)
	}
}

func TestRetryAfterTooLongGivesUp(t *testing.T) {
	h := newHarness(t, nil, reply{status: 429, errMsg: "slow down", header: map[string]string{"Retry-After": "3600"}})
	_, err := h.Extract(context.Background(), extractRequest())
	if err == nil || !strings.HasPrefix(err.Error(), "llm:") {
		t.Fatalf("err = %v", err)
	}
	if h.srv.count() != 1 || len(h.slept()) != 0 {
		t.Errorf("requests %d, sleeps %v: an hour's wait was not left to the job queue", h.srv.count(), h.slept())
	}
}

func TestRetry500ThenSuccess(t *testing.T) {
	h := newHarness(t, nil, reply{status: 500, errMsg: "boom"}, reply{content: validExtraction})
	ext, err := h.Extract(context.Background(), extractRequest())
	if err != nil || ext.Email == nil {
		t.Fatalf("Extract = %+v, %v", ext, err)
	}
	if s := h.slept(); !slices.Equal(s, []time.Duration{500 * time.Millisecond}) {
		t.Errorf("slept %v", s)
	}
}

func TestRetryPersistent500(t *testing.T) {
	h := newHarness(t, nil, reply{status: 503, errMsg: "overloaded"})
	_, err := h.Extract(context.Background(), extractRequest())
	if err == nil {
		t.Fatal("Extract succeeded")
	}
	if !strings.HasPrefix(err.Error(), "llm:") {
		t.Errorf("error %q lacks the llm prefix", err)
	}
	var apiErr *gopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 503 {
		t.Errorf("status not readable from %v", err)
	}
	if h.srv.count() != DefaultMaxRetries+1 {
		t.Errorf("requests = %d, want %d", h.srv.count(), DefaultMaxRetries+1)
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if s := h.slept(); !slices.Equal(s, want) {
		t.Errorf("slept %v, want %v", s, want)
	}
}

func TestRetryTimeout(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Timeout = 100 * time.Millisecond
		c.MaxRetries = 1
	}, reply{delay: 5 * time.Second, content: validExtraction})
	start := time.Now()
	_, err := h.Extract(context.Background(), extractRequest())
	if err == nil {
		t.Fatal("Extract succeeded past the timeout")
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %s; the timeout did not cut the request", elapsed)
	}
	if h.srv.count() != 2 {
		t.Errorf("requests = %d, want a timeout retried once", h.srv.count())
	}
}

func TestNoRetryOnRefusals(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound} {
		h := newHarness(t, nil, reply{status: status, errMsg: "no"})
		_, err := h.Extract(context.Background(), extractRequest())
		if err == nil {
			t.Errorf("%d: Extract succeeded", status)
		}
		if h.srv.count() != 1 || len(h.slept()) != 0 {
			t.Errorf("%d: sent %d times, slept %v", status, h.srv.count(), h.slept())
		}
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	h := newHarness(t, nil, reply{status: 500, errMsg: "boom"})
	ctx, cancel := context.WithCancel(context.Background())
	h.sleep = func(context.Context, time.Duration) error {
		cancel()
		return context.Canceled
	}
	_, err := h.Extract(ctx, extractRequest())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if h.srv.count() != 1 {
		t.Errorf("requests = %d", h.srv.count())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{" 0 ", 0, true},
		{"Sat, 14 Mar 2026 12:00:05 GMT", 5 * time.Second, true},
		{"Sat, 14 Mar 2026 11:00:00 GMT", 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoffIsCapped(t *testing.T) {
	for i, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		if got := backoff(i); got != want {
			t.Errorf("backoff(%d) = %s, want %s", i, got, want)
		}
	}
	if got := backoff(100); got != maxBackoff {
		t.Errorf("backoff(100) = %s", got)
	}
}
