// Package openai is Switchboard's Extractor and Responder over any
// OpenAI-compatible chat-completions server: OpenAI itself, gateways that
// speak its API, Ollama, vLLM and llama.cpp. It owns what makes a paid or
// shared model safe to call from a busy gateway: retries with backoff,
// a per-project request rate and daily token budget, usage accounting, and
// prompts that keep customer text in the role of data.
package openai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	gopenai "github.com/sashabaranov/go-openai"

	"github.com/switchboard-oss/switchboard/ai"
)

// Defaults for the zero values of Config.
const (
	DefaultBaseURL         = "https://api.openai.com/v1"
	DefaultTimeout         = 30 * time.Second
	DefaultMaxRetries      = 3
	DefaultRatePerMinute   = 60
	DefaultMaxPromptTokens = 3000
)

// Config configures a Client. Only Model is required.
type Config struct {
	// BaseURL of the server. "http://host:port" gets "/v1" appended;
	// a URL with a path ("http://host:port/v1", a gateway's
	// ".../openai") is used as given. Empty means OpenAI.
	BaseURL string
	// APIKey is sent as a bearer token; local servers need none.
	APIKey string
	Model  string
	// Timeout bounds one HTTP request, including reading its body.
	Timeout time.Duration
	// MaxRetries is how many times a call is retried after a 429, a 5xx,
	// a network failure or a timeout. Zero means DefaultMaxRetries;
	// negative means never retry.
	MaxRetries int
	// RatePerMinute is each project's request rate (a token bucket with a
	// minute's worth of burst). Zero means DefaultRatePerMinute; negative
	// means unlimited.
	RatePerMinute int
	// DailyTokenBudget caps each project's tokens per UTC day; 0 means
	// unlimited. It needs Usage to count against.
	DailyTokenBudget int
	// MaxPromptTokens is the budget of the transcript in a prompt (persona,
	// knowledge and instructions come on top). Tokens are estimated as
	// bytes/4 rounded up, which is close for English and generous for
	// most other languages; it is an estimate, not the model's tokenizer.
	MaxPromptTokens int
	// Usage records tokens spent; nil records nothing.
	Usage UsageRecorder
	// Clock is the time source of the rate limiter and the budget day.
	Clock  func() time.Time
	Logger *slog.Logger
}

// UsageRecorder keeps each project's token counts per UTC day.
type UsageRecorder interface {
	// AddUsage adds tokens to the project's count for day (YYYY-MM-DD, UTC).
	AddUsage(ctx context.Context, projectID int64, day string, promptTokens, completionTokens int) error
	// UsageOn returns the project's total tokens (prompt and completion) on day.
	UsageOn(ctx context.Context, projectID int64, day string) (tokens int, err error)
}

// Client extracts profile values and answers customers through one model.
// It is safe for concurrent use.
type Client struct {
	api        *gopenai.Client
	model      string
	maxRetries int
	budget     int
	maxPrompt  int
	usage      UsageRecorder
	now        func() time.Time
	log        *slog.Logger
	limiter    *limiter

	// sleep waits between retries; tests replace it to run fast.
	sleep func(ctx context.Context, d time.Duration) error
	// jsonMode is set once the server rejected json_schema, so later
	// extractions skip the request that is bound to fail.
	jsonMode atomic.Bool
}

var (
	_ ai.Extractor = (*Client)(nil)
	_ ai.Responder = (*Client)(nil)
)

// New returns a Client for cfg, filling in defaults. It fails on a missing
// model, an unusable base URL, or a token budget with nowhere to count.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("llm: config: model is required")
	}
	base, err := normaliseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("llm: config: %w", err)
	}
	if cfg.DailyTokenBudget > 0 && cfg.Usage == nil {
		return nil, errors.New("llm: config: a daily token budget needs a usage recorder")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = DefaultRatePerMinute
	}
	if cfg.MaxPromptTokens <= 0 {
		cfg.MaxPromptTokens = DefaultMaxPromptTokens
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	oc := gopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = base
	oc.HTTPClient = &http.Client{
		Timeout:   cfg.Timeout,
		Transport: &retryAfterTransport{base: http.DefaultTransport},
	}
	return &Client{
		api:        gopenai.NewClientWithConfig(oc),
		model:      cfg.Model,
		maxRetries: cfg.MaxRetries,
		budget:     cfg.DailyTokenBudget,
		maxPrompt:  cfg.MaxPromptTokens,
		usage:      cfg.Usage,
		now:        cfg.Clock,
		log:        cfg.Logger,
		limiter:    newLimiter(cfg.RatePerMinute, cfg.Clock),
		sleep:      sleepCtx,
	}, nil
}

// normaliseBaseURL accepts what users paste: go-openai appends
// "/chat/completions" to the base, so a bare host needs "/v1", while a
// gateway's own path prefix must be kept as it is.
func normaliseBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base url %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base url %q: want http(s)://host[:port][/path]", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		// go-openai appends the endpoint to the base as a string, so a
		// query would end up in the middle of the URL.
		return "", fmt.Errorf("base url %q: a query or fragment is not supported", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.Path == "" {
		u.Path = "/v1"
	}
	return u.String(), nil
}

// admit decides whether a call may reach the server at all. The rate comes
// first because it costs no database read, which matters during a flood.
func (c *Client) admit(ctx context.Context, projectID int64) error {
	if !c.limiter.allow(projectID) {
		return fmt.Errorf("%w (project %d)", ErrRateLimited, projectID)
	}
	if c.budget <= 0 {
		return nil
	}
	used, err := c.usage.UsageOn(ctx, projectID, c.day())
	if err != nil {
		return fmt.Errorf("llm: reading usage of project %d: %w", projectID, err)
	}
	if used >= c.budget {
		return fmt.Errorf("%w (project %d: %d of %d tokens)", ErrBudgetExceeded, projectID, used, c.budget)
	}
	return nil
}

// record books tokens the server reported. A failure is only logged: the
// answer is already paid for, and failing the call would make the queue
// pay for it again.
func (c *Client) record(ctx context.Context, projectID int64, u gopenai.Usage) {
	if c.usage == nil || (u.PromptTokens == 0 && u.CompletionTokens == 0) {
		return
	}
	// The tokens are spent even if the caller gave up meanwhile.
	if err := c.usage.AddUsage(context.WithoutCancel(ctx), projectID, c.day(), u.PromptTokens, u.CompletionTokens); err != nil {
		c.log.Warn("llm: recording usage failed", "project_id", projectID,
			"prompt_tokens", u.PromptTokens, "completion_tokens", u.CompletionTokens, "error", err)
	}
}

// day is the UTC date budgets are counted on.
func (c *Client) day() string {
	return c.now().UTC().Format(time.DateOnly)
}

func addUsage(sum *ai.Usage, u gopenai.Usage) {
	sum.PromptTokens += u.PromptTokens
	sum.CompletionTokens += u.CompletionTokens
}
