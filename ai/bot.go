package ai

import (
	"fmt"
	"strconv"
	"strings"
)

// BotSettings is a project's bot configuration (GET/PUT /api/v1/bot).
type BotSettings struct {
	Enabled bool `json:"enabled"`
	// Persona is the system prompt's voice ("You are Ana, the friendly
	// assistant of Acme Dental...").
	Persona string `json:"persona"`
	// Knowledge is FAQ text the bot may answer from, and nothing else.
	Knowledge string `json:"knowledge"`
	// CollectEmail: "off", "start" (ask in the first reply) or "after:N"
	// (ask after N customer messages) when no email is known.
	CollectEmail string `json:"collect_email"`
	// Collect lists other fields to ask for: "name", "phone".
	Collect []string `json:"collect"`
	// HandoffKeywords hand the conversation to staff when a customer
	// message contains one (case-insensitive), besides the built-in
	// "talk to a person" phrases.
	HandoffKeywords []string `json:"handoff_keywords"`
}

// DefaultBotSettings is what a project starts with: the bot on, asking for
// an email after the first message.
func DefaultBotSettings() BotSettings {
	return BotSettings{Enabled: true, CollectEmail: "after:1", Collect: []string{}, HandoffKeywords: []string{}}
}

// CollectableFields are the fields a bot may ask for besides email.
var CollectableFields = []string{"name", "phone"}

// EmailAfter reports when the bot asks for an email: ask is false for
// "off"; after is 0 for "start", N for "after:N".
func (b BotSettings) EmailAfter() (after int, ask bool) {
	switch s := strings.TrimSpace(b.CollectEmail); {
	case s == "" || s == "off":
		return 0, false
	case s == "start":
		return 0, true
	case strings.HasPrefix(s, "after:"):
		n, err := strconv.Atoi(strings.TrimPrefix(s, "after:"))
		if err != nil || n < 0 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// Validate checks settings a client sent; the error names the field.
func (b BotSettings) Validate() (field string, err error) {
	switch s := strings.TrimSpace(b.CollectEmail); {
	case s == "off" || s == "start":
	case strings.HasPrefix(s, "after:"):
		n, err := strconv.Atoi(strings.TrimPrefix(s, "after:"))
		if err != nil || n < 1 || n > 100 {
			return "collect_email", fmt.Errorf(`"after:N" needs N from 1 to 100`)
		}
	default:
		return "collect_email", fmt.Errorf(`must be "off", "start" or "after:N"`)
	}
	for _, f := range b.Collect {
		if f != "name" && f != "phone" {
			return "collect", fmt.Errorf("%q cannot be collected; use name or phone", f)
		}
	}
	if len([]rune(b.Persona)) > 4000 {
		return "persona", fmt.Errorf("at most 4000 characters")
	}
	if len([]rune(b.Knowledge)) > 100000 {
		return "knowledge", fmt.Errorf("at most 100000 characters")
	}
	if len(b.HandoffKeywords) > 50 {
		return "handoff_keywords", fmt.Errorf("at most 50 keywords")
	}
	for _, k := range b.HandoffKeywords {
		if strings.TrimSpace(k) == "" || len([]rune(k)) > 100 {
			return "handoff_keywords", fmt.Errorf("each keyword must be 1 to 100 characters")
		}
	}
	return "", nil
}

// BotState is a conversation's collection state, kept with the
// conversation so each field is asked for politely once (and once more
// after an invalid answer), never after the customer declined.
type BotState struct {
	// Asked counts the times the bot asked for a field (email, name, phone).
	Asked map[string]int `json:"asked,omitempty"`
	// Pending is the field the bot's last message asked for, so the next
	// customer message is read as the answer.
	Pending string `json:"pending,omitempty"`
	// Waited: the pending question already let one unrelated customer
	// message pass; the next one drops it rather than nag.
	Waited bool `json:"waited,omitempty"`
	// Declined fields are not asked for again in this conversation.
	Declined map[string]bool `json:"declined,omitempty"`
}
