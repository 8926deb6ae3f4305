package openai

import (
	"errors"
	"fmt"

	"github.com/switchboard-oss/switchboard/ai"
)

// Errors a call returns before reaching the server. The job queue retries
// both later; a responder's caller falls back to the heuristic meanwhile.
var (
	// ErrRateLimited: the project used its requests for now.
	ErrRateLimited = errors.New("llm: project rate limit reached")
	// ErrBudgetExceeded: the project used its tokens for the UTC day. It
	// is an ai.ErrUnavailable, so callers that know only the ai contracts
	// stop waiting for the model until the day turns.
	ErrBudgetExceeded = fmt.Errorf("llm: project daily token budget exceeded: %w", ai.ErrUnavailable)
)
