package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gopenai "github.com/sashabaranov/go-openai"

	"github.com/switchboard-oss/switchboard/ai"
)

// errEmptyHandoff: the model said nothing on a turn that must hand off.
// Staying silent would lose the handoff, so the caller gets an error and
// falls back to a responder that hands off for sure.
var errEmptyHandoff = errors.New("llm: the model returned no text for a handoff")

// Respond answers the customer's last message, carrying out req.Plan, from
// the newest messages that fit the transcript budget. It returns nil when
// the model has nothing to say, and the same errors as Extract: the
// sentinels before any request, "llm:" errors when the server fails.
// Reply.Handoff is the plan's, whatever the model wrote.
func (c *Client) Respond(ctx context.Context, req ai.ReplyRequest) (*ai.Reply, error) {
	if len(req.History) == 0 {
		return nil, nil
	}
	if err := c.admit(ctx, req.ProjectID); err != nil {
		return nil, err
	}
	system, err := respondSystem(req)
	if err != nil {
		return nil, fmt.Errorf("llm: building the reply prompt: %w", err)
	}
	msgs := append([]gopenai.ChatCompletionMessage{{Role: gopenai.ChatMessageRoleSystem, Content: system}},
		historyMessages(newestWithin(req.History, c.maxPrompt))...)
	resp, err := c.complete(ctx, req.ProjectID, gopenai.ChatCompletionRequest{Model: c.model, Messages: msgs})
	if err != nil {
		return nil, err
	}
	text := cleanReply(firstContent(resp))
	if text == "" {
		if req.Plan.Handoff {
			return nil, errEmptyHandoff
		}
		return nil, nil
	}
	return &ai.Reply{Text: text, Handoff: req.Plan.Handoff}, nil
}

// historyMessages turns the transcript into chat messages. Customer text
// goes verbatim into user messages, never into the system prompt. Staff
// messages speak for the business, so they are the assistant's, marked so
// the model knows a person wrote them. Consecutive messages of one role
// are joined because some chat templates (Mistral's, in llama.cpp) reject
// two in a row.
func historyMessages(turns []ai.Turn) []gopenai.ChatCompletionMessage {
	var out []gopenai.ChatCompletionMessage
	for _, t := range turns {
		var role, text string
		switch speaker(t.Role) {
		case speakerCustomer:
			role, text = gopenai.ChatMessageRoleUser, t.Text
		case speakerBot:
			role, text = gopenai.ChatMessageRoleAssistant, t.Text
		case speakerStaff:
			role, text = gopenai.ChatMessageRoleAssistant, staffPrefix+t.Text
		default:
			continue
		}
		if n := len(out); n > 0 && out[n-1].Role == role {
			out[n-1].Content += "\n\n" + text
			continue
		}
		out = append(out, gopenai.ChatCompletionMessage{Role: role, Content: text})
	}
	return out
}

const staffPrefix = "[staff] "

// cleanReply trims the reply and the role marker a model may copy from
// the history.
func cleanReply(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{strings.TrimSpace(staffPrefix), "[bot]", "[assistant]"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	return s
}
