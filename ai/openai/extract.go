package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	gopenai "github.com/sashabaranov/go-openai"

	"github.com/switchboard-oss/switchboard/ai"
)

// Extract proposes profile values from the newest messages of req.History
// that fit the transcript budget. Values are cleaned of what is malformed
// (confidence clamped to 0..1, unknown message ids, intents and sentiment
// labels dropped) but not guarded: the caller checks them against the
// transcript.
//
// It returns ErrRateLimited or ErrBudgetExceeded without calling the
// server, and an "llm:" error when the server cannot be reached or keeps
// failing; the job queue retries those later. An answer that is not the
// JSON asked for is asked for once more; if it is malformed again the run
// yields an empty Extraction (nothing found, Usage still set, a warning
// logged) and no error, because retrying a model that cannot produce the
// shape would spend tokens forever.
func (c *Client) Extract(ctx context.Context, req ai.ExtractRequest) (*ai.Extraction, error) {
	// Without a word from the customer there is nothing to learn, and
	// nothing worth a request.
	if !hasCustomerTurn(req.History) {
		return nil, nil
	}
	if err := c.admit(ctx, req.ProjectID); err != nil {
		return nil, err
	}
	turns := newestWithin(req.History, c.maxPrompt)
	known := make(map[int64]bool, len(turns))
	for _, t := range turns {
		known[t.ID] = true
	}
	schema, err := extractionSchema(req.Final)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	msgs, err := extractMessages(req.Contact, turns, req.Final)
	if err != nil {
		return nil, fmt.Errorf("llm: building the extraction prompt: %w", err)
	}

	var usage ai.Usage
	var problem error
	for try := 0; try < 2; try++ {
		if problem != nil {
			// The note goes into the system prompt: the user message is
			// data, and a second user message in a row breaks chat
			// templates that want the roles to alternate.
			msgs = slices.Clone(msgs)
			msgs[0].Content += "\n\n" + fmt.Sprintf(retryNote, problem)
		}
		resp, err := c.completeJSON(ctx, req.ProjectID, msgs, schema)
		if err != nil {
			return nil, err
		}
		addUsage(&usage, resp.Usage)
		ext, err := parseExtraction(firstContent(resp), known, req.Final)
		if err == nil {
			ext.Usage = usage
			return ext, nil
		}
		problem = err
		c.log.Debug("llm: malformed extraction", "project_id", req.ProjectID, "model", c.model,
			"try", try+1, "error", err)
	}
	c.log.Warn("llm: extraction dropped: the model's answer was malformed twice", "project_id", req.ProjectID,
		"model", c.model, "error", problem)
	return &ai.Extraction{Usage: usage}, nil
}

// completeJSON asks for JSON matching schema: through json_schema while
// the server accepts it, else through json_object with the schema left to
// the prompt. The switch is remembered only once the plainer mode worked,
// so an unrelated 400 cannot flip the client for good.
func (c *Client) completeJSON(ctx context.Context, projectID int64, msgs []gopenai.ChatCompletionMessage, schema []byte) (gopenai.ChatCompletionResponse, error) {
	req := gopenai.ChatCompletionRequest{Model: c.model, Messages: msgs}
	if !c.jsonMode.Load() {
		req.ResponseFormat = &gopenai.ChatCompletionResponseFormat{
			Type: gopenai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &gopenai.ChatCompletionResponseFormatJSONSchema{
				Name: schemaName, Schema: json.RawMessage(schema), Strict: true,
			},
		}
		resp, err := c.complete(ctx, projectID, req)
		if err == nil || !formatUnsupported(err) {
			return resp, err
		}
		c.log.Warn("llm: server rejected json_schema; trying json_object", "model", c.model, "error", err)
	}
	req.Messages = withSchema(msgs, schema)
	req.ResponseFormat = &gopenai.ChatCompletionResponseFormat{Type: gopenai.ChatCompletionResponseFormatTypeJSONObject}
	resp, err := c.complete(ctx, projectID, req)
	if err == nil && c.jsonMode.CompareAndSwap(false, true) {
		c.log.Info("llm: using json_object mode from now on", "model", c.model)
	}
	return resp, err
}

// formatUnsupported recognises a server refusing the response format
// rather than the request: OpenAI names the param, vLLM, llama.cpp and
// gateways word it in their own ways.
func formatUnsupported(err error) bool {
	switch statusCode(err) {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotImplemented:
	default:
		return false
	}
	var text string
	var apiErr *gopenai.APIError
	var reqErr *gopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		text = apiErr.Message
		if apiErr.Param != nil {
			text += " " + *apiErr.Param
		}
	case errors.As(err, &reqErr):
		text = string(reqErr.Body)
	}
	text = strings.ToLower(text)
	for _, hint := range []string{"response_format", "response format", "json_schema", "schema", "not supported", "unsupported"} {
		if strings.Contains(text, hint) {
			return true
		}
	}
	return false
}
