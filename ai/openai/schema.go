package openai

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/switchboard-oss/switchboard/ai"
)

// schemaName names the response format; OpenAI wants [a-zA-Z0-9_-].
const schemaName = "contact_extraction"

// Sentiment labels the schema allows.
var sentimentLabels = []string{"negative", "neutral", "positive"}

// profileFields are the single-valued fields of an extraction, in the
// order the prompt lists them.
var profileFields = []string{"first_name", "last_name", "email", "phone", "company", "country"}

// extractionSchema is the output schema, hand-written because OpenAI's
// strict mode wants every property required and absent values as null,
// which go-openai's schema generator cannot express (see FACTS.md). Nothing
// is referenced through $defs: local servers' grammar compilers differ in
// how much of JSON Schema they follow, and inline objects work in all.
func extractionSchema(final bool) (json.RawMessage, error) {
	props := map[string]any{}
	for _, f := range profileFields {
		props[f] = nullable(valueSchema(stringSchema()))
	}
	props["memories"] = arraySchema(valueSchema(stringSchema()))
	props["summary"] = nullable(valueSchema(stringSchema()))
	props["sentiment"] = nullable(objectSchema(map[string]any{
		"label":       enumSchema(sentimentLabels),
		"score":       map[string]any{"type": "number"},
		"message_ids": arraySchema(map[string]any{"type": "integer"}),
	}))
	props["intents"] = arraySchema(valueSchema(enumSchema(ai.Intents)))
	if final {
		props["conversation_summary"] = nullable(valueSchema(stringSchema()))
	}
	b, err := json.Marshal(objectSchema(props))
	if err != nil {
		return nil, fmt.Errorf("encoding the extraction schema: %w", err)
	}
	return b, nil
}

// valueSchema is an ai.Value whose value follows v.
func valueSchema(v map[string]any) map[string]any {
	return objectSchema(map[string]any{
		"value":       v,
		"confidence":  map[string]any{"type": "number"},
		"message_ids": arraySchema(map[string]any{"type": "integer"}),
	})
}

// objectSchema requires every property and forbids others, as strict
// mode demands.
func objectSchema(props map[string]any) map[string]any {
	required := make([]string, 0, len(props))
	for k := range props {
		required = append(required, k)
	}
	slices.Sort(required)
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

func nullable(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

func arraySchema(items map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": items}
}

func stringSchema() map[string]any { return map[string]any{"type": "string"} }

func enumSchema(values []string) map[string]any {
	return map[string]any{"type": "string", "enum": values}
}
