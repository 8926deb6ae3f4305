package openai

import (
	"strings"

	gopenai "github.com/sashabaranov/go-openai"
)

// firstContent reads the one choice asked for, minus any reasoning preamble.
func firstContent(resp gopenai.ChatCompletionResponse) string {
	if len(resp.Choices) == 0 {
		return ""
	}
	return stripThinking(resp.Choices[0].Message.Content)
}

// stripThinking drops the <think>...</think> block reasoning models served
// by Ollama or llama.cpp put before their answer.
func stripThinking(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "<think>") {
		return s
	}
	if i := strings.Index(t, "</think>"); i >= 0 {
		return strings.TrimSpace(t[i+len("</think>"):])
	}
	return ""
}
