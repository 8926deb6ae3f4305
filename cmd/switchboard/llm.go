package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/openai"
)

// llmFlags configure the OpenAI-compatible model. With no base URL and no
// key the AI is the heuristic one: no network, no account.
type llmFlags struct {
	baseURL, apiKey, model *string
	timeout                *time.Duration
	dailyTokens, perMinute *int
}

func addLLMFlags(fs *flag.FlagSet, c *common) *llmFlags {
	return &llmFlags{
		baseURL: fs.String("llm-base-url", envOr("SWITCHBOARD_LLM_BASE_URL", ""),
			"OpenAI-compatible server, e.g. https://api.openai.com/v1 or http://localhost:11434 for Ollama; empty with no key: the heuristic AI (env SWITCHBOARD_LLM_BASE_URL)"),
		apiKey: fs.String("llm-api-key", envOr("SWITCHBOARD_LLM_API_KEY", ""), "the model server's API key (env SWITCHBOARD_LLM_API_KEY)"),
		model:  fs.String("llm-model", envOr("SWITCHBOARD_LLM_MODEL", "gpt-4o-mini"), "model name (env SWITCHBOARD_LLM_MODEL)"),
		timeout: fs.Duration("llm-timeout", c.envDuration("SWITCHBOARD_LLM_TIMEOUT", openai.DefaultTimeout),
			"how long one model request may take (env SWITCHBOARD_LLM_TIMEOUT)"),
		dailyTokens: fs.Int("llm-daily-tokens", envInt("SWITCHBOARD_LLM_DAILY_TOKENS", 0),
			"tokens a project may use per UTC day, 0 for no limit; past it the heuristic AI stands in (env SWITCHBOARD_LLM_DAILY_TOKENS)"),
		perMinute: fs.Int("llm-requests-per-minute", envInt("SWITCHBOARD_LLM_REQUESTS_PER_MINUTE", openai.DefaultRatePerMinute),
			"model requests a project may make per minute (env SWITCHBOARD_LLM_REQUESTS_PER_MINUTE)"),
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// configured reports whether a model server was named.
func (f *llmFlags) configured() bool { return *f.baseURL != "" || *f.apiKey != "" }

// build returns the model's extractor and responder, or nils for the
// heuristic AI.
func (f *llmFlags) build(usage openai.UsageRecorder, log *slog.Logger) (ai.Extractor, ai.Responder, error) {
	if !f.configured() {
		return nil, nil, nil
	}
	if *f.dailyTokens < 0 {
		return nil, nil, fmt.Errorf("--llm-daily-tokens must not be negative")
	}
	client, err := openai.New(openai.Config{BaseURL: *f.baseURL, APIKey: *f.apiKey, Model: *f.model, Timeout: *f.timeout,
		RatePerMinute: *f.perMinute, DailyTokenBudget: *f.dailyTokens, Usage: usage, Logger: log})
	if err != nil {
		return nil, nil, fmt.Errorf("--llm-*: %w", err)
	}
	return client, client, nil
}

// describe names the AI in use for the start-up log line.
func (f *llmFlags) describe() string {
	if !f.configured() {
		return "heuristic (no model configured)"
	}
	base := *f.baseURL
	if base == "" {
		base = openai.DefaultBaseURL
	}
	return *f.model + " at " + base
}
