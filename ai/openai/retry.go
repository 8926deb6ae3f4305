package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	gopenai "github.com/sashabaranov/go-openai"
)

const (
	firstBackoff = 500 * time.Millisecond
	maxBackoff   = 8 * time.Second
	// maxRetryAfter is the longest wait a server may ask for inside one
	// call. Beyond it the call fails and the job queue comes back later,
	// rather than holding a worker for minutes.
	maxRetryAfter = 30 * time.Second
)

// complete sends one chat completion, retrying 429s, 5xx, network
// failures and timeouts with exponential backoff or the server's
// Retry-After. It books the usage of a successful response. Errors start
// with "llm:" and wrap go-openai's, so a status can still be read.
func (c *Client) complete(ctx context.Context, projectID int64, req gopenai.ChatCompletionRequest) (gopenai.ChatCompletionResponse, error) {
	for attempt := 0; ; attempt++ {
		hint := &retryAfterHint{}
		resp, err := c.api.CreateChatCompletion(withRetryAfterHint(ctx, hint), req)
		if err == nil {
			c.record(ctx, projectID, resp.Usage)
			return resp, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			if errors.Is(err, cerr) {
				return resp, fmt.Errorf("llm: chat completion: %w", err)
			}
			return resp, fmt.Errorf("llm: chat completion: %w: %w", cerr, err)
		}
		if !retryable(err) {
			return resp, fmt.Errorf("llm: chat completion: %w", err)
		}
		if attempt >= c.maxRetries {
			return resp, fmt.Errorf("llm: chat completion failed after %d attempts: %w", attempt+1, err)
		}
		wait := backoff(attempt)
		if d, ok := parseRetryAfter(hint.get(), c.now()); ok {
			if d > maxRetryAfter {
				return resp, fmt.Errorf("llm: chat completion: server asks to retry after %s: %w", d, err)
			}
			wait = d
		}
		c.log.Debug("llm: retrying chat completion", "project_id", projectID, "model", c.model,
			"attempt", attempt+1, "wait", wait, "error", err)
		if err := c.sleep(ctx, wait); err != nil {
			return resp, fmt.Errorf("llm: chat completion: waiting to retry: %w", err)
		}
	}
}

// retryable reports whether the same request may succeed if sent again:
// throttling, server failures and transport trouble, but never a request
// the server refused (400, 401, 403, 404), a feature it lacks (501), nor
// go-openai's own validation.
func retryable(err error) bool {
	if code := statusCode(err); code != 0 {
		return code == http.StatusRequestTimeout || code == http.StatusConflict ||
			code == http.StatusTooManyRequests || (code >= 500 && code != http.StatusNotImplemented)
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// statusCode is the HTTP status behind a go-openai error, or 0.
func statusCode(err error) int {
	var apiErr *gopenai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *gopenai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// backoff is 500ms, 1s, 2s, ... up to maxBackoff. No jitter: calls are
// already spread out by the job queue, and tests stay exact.
func backoff(attempt int) time.Duration {
	if attempt >= 5 {
		return maxBackoff
	}
	return min(maxBackoff, firstBackoff<<attempt)
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(0, at.Sub(now)), true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfterTransport hands the Retry-After header of a response to the
// hint carried in its request's context: go-openai's errors keep the
// status but drop the headers.
type retryAfterTransport struct {
	base http.RoundTripper
}

func (t *retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if resp != nil {
		if h, ok := req.Context().Value(retryAfterKey{}).(*retryAfterHint); ok {
			h.set(resp.Header.Get("Retry-After"))
		}
	}
	return resp, err
}

type retryAfterKey struct{}

// retryAfterHint holds the last Retry-After seen for one attempt.
type retryAfterHint struct {
	mu sync.Mutex
	v  string
}

func withRetryAfterHint(ctx context.Context, h *retryAfterHint) context.Context {
	return context.WithValue(ctx, retryAfterKey{}, h)
}

func (h *retryAfterHint) set(v string) {
	h.mu.Lock()
	h.v = v
	h.mu.Unlock()
}

func (h *retryAfterHint) get() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.v
}
