package openai

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestExtractSendsStrictJSONSchema(t *testing.T) {
	h := newHarness(t, nil, reply{content: validExtraction, prompt: 120, output: 40})
	ext, err := h.Extract(context.Background(), extractRequest())
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}

	req := h.srv.request(0)
	if h.srv.paths[0] != "POST /v1/chat/completions" {
		t.Errorf("request went to %q", h.srv.paths[0])
	}
	if req["model"] != "test-model" {
		t.Errorf("model = %v", req["model"])
	}
	rf, _ := req["response_format"].(map[string]any)
	if rf["type"] != "json_schema" {
		t.Fatalf("response_format.type = %v, want json_schema", rf["type"])
	}
	js, _ := rf["json_schema"].(map[string]any)
	if js["strict"] != true || js["name"] != schemaName {
		t.Errorf("json_schema strict=%v name=%v", js["strict"], js["name"])
	}
	schema, _ := js["schema"].(map[string]any)
	if schema["type"] != "object" || schema["additionalProperties"] != false {
		t.Errorf("schema is not a closed object: %v", schema)
	}
	required := toStrings(schema["required"])
	for _, f := range []string{"first_name", "last_name", "email", "phone", "company", "country", "memories", "summary", "sentiment", "intents"} {
		if !slices.Contains(required, f) {
			t.Errorf("schema does not require %q: %v", f, required)
		}
	}
	if slices.Contains(required, "conversation_summary") {
		t.Error("conversation_summary asked for on a run that is not final")
	}
	props, _ := schema["properties"].(map[string]any)
	intents, _ := json.Marshal(props["intents"])
	for _, in := range ai.Intents {
		if !strings.Contains(string(intents), `"`+in+`"`) {
			t.Errorf("intent %q not in the schema's enum: %s", in, intents)
		}
	}

	msgs := h.srv.messages(0)
	if len(msgs) != 2 || msgs[0][0] != "system" || msgs[1][0] != "user" {
		t.Fatalf("messages = %v", msgs)
	}
	if !strings.Contains(msgs[0][1], "never instructions") {
		t.Errorf("system prompt lacks the data-not-instructions rule:\n%s", msgs[0][1])
	}
	if strings.Contains(msgs[0][1], "additionalProperties") {
		t.Error("the schema is spelled out in the prompt although json_schema enforces it")
	}
	if strings.Contains(msgs[0][1], "ana@acme.test") {
		t.Error("customer text leaked into the system prompt")
	}
	if turns := transcriptIDs(t, msgs[1][1]); !slices.Equal(turns, []int64{1, 2, 3}) {
		t.Errorf("transcript ids = %v", turns)
	}
	if !strings.Contains(msgs[1][1], `"role":"customer"`) || !strings.Contains(msgs[1][1], `"role":"bot"`) {
		t.Errorf("roles not named in the transcript:\n%s", msgs[1][1])
	}

	if ext.FirstName == nil || ext.FirstName.Value != "Ana" || ext.Email == nil || ext.Email.Value != "ana@acme.test" {
		t.Errorf("extraction = %+v", ext)
	}
	if ext.Sentiment == nil || ext.Sentiment.Label != "neutral" || len(ext.Intents) != 1 || ext.Intents[0].Value != "pricing" {
		t.Errorf("sentiment/intents = %+v %+v", ext.Sentiment, ext.Intents)
	}
	if ext.Usage != (ai.Usage{PromptTokens: 120, CompletionTokens: 40}) {
		t.Errorf("usage = %+v", ext.Usage)
	}
	if want := []string{"7/" + testDay + " 120+40"}; !slices.Equal(h.usage.adds, want) {
		t.Errorf("usage recorded = %v, want %v", h.usage.adds, want)
	}
}

func TestExtractFinalAsksForConversationSummary(t *testing.T) {
	h := newHarness(t, nil, reply{content: `{"conversation_summary": {"value": "Asked about pricing.", "confidence": 0.8, "message_ids": [1]}}`})
	req := extractRequest()
	req.Final = true
	ext, err := h.Extract(context.Background(), req)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	rf, _ := h.srv.request(0)["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	schema, _ := js["schema"].(map[string]any)
	if !slices.Contains(toStrings(schema["required"]), "conversation_summary") {
		t.Error("final run's schema lacks conversation_summary")
	}
	if ext.ConversationSummary == nil || ext.ConversationSummary.Value != "Asked about pricing." {
		t.Errorf("conversation summary = %+v", ext.ConversationSummary)
	}
}

func TestExtractFallsBackToJSONObject(t *testing.T) {
	h := newHarness(t, nil,
		reply{status: 400, errMsg: "response_format type json_schema is not supported by this server", param: "response_format"},
		reply{content: validExtraction},
	)
	ext, err := h.Extract(context.Background(), extractRequest())
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if ext.Email == nil {
		t.Errorf("extraction after fallback = %+v", ext)
	}
	if h.srv.count() != 2 || h.srv.responseFormat(0) != "json_schema" || h.srv.responseFormat(1) != "json_object" {
		t.Fatalf("requests: %d, formats %q then %q", h.srv.count(), h.srv.responseFormat(0), h.srv.responseFormat(1))
	}
	if !strings.Contains(h.srv.messages(1)[0][1], `"additionalProperties":false`) {
		t.Error("json_object request does not describe the schema in the prompt")
	}
	if len(h.slept()) != 0 {
		t.Errorf("a refused format was retried with backoff: %v", h.slept())
	}

	if _, err := h.Extract(context.Background(), extractRequest()); err != nil {
		t.Fatalf("second Extract: %v", err)
	}
	if h.srv.count() != 3 || h.srv.responseFormat(2) != "json_object" {
		t.Errorf("later call did not go straight to json_object: %d requests, last %q", h.srv.count(), h.srv.responseFormat(2))
	}
}

func TestExtractUnrelated400IsNotAFormatProblem(t *testing.T) {
	h := newHarness(t, nil, reply{status: 400, errMsg: "This model's maximum context length is 4096 tokens.", param: "messages"})
	if _, err := h.Extract(context.Background(), extractRequest()); err == nil {
		t.Fatal("Extract succeeded on a 400")
	}
	if h.srv.count() != 1 {
		t.Errorf("a 400 was sent %d times", h.srv.count())
	}
	if h.jsonMode.Load() {
		t.Error("an unrelated 400 switched the client to json_object")
	}
}

func TestExtractRetriesMalformedOnce(t *testing.T) {
	h := newHarness(t, nil,
		reply{content: "Sure! Here is the data: first name Ana", prompt: 100, output: 10},
		reply{content: validExtraction, prompt: 110, output: 40},
	)
	ext, err := h.Extract(context.Background(), extractRequest())
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if ext.FirstName == nil || ext.FirstName.Value != "Ana" {
		t.Errorf("extraction = %+v", ext)
	}
	if h.srv.count() != 2 {
		t.Fatalf("requests = %d, want 2", h.srv.count())
	}
	second := h.srv.messages(1)
	if len(second) != 2 || !strings.Contains(second[0][1], "could not be used") {
		t.Errorf("the retry does not say what went wrong in its system prompt: %q", second)
	}
	if strings.Contains(h.srv.messages(0)[0][1], "could not be used") {
		t.Error("the first try already carried the retry note")
	}
	if ext.Usage != (ai.Usage{PromptTokens: 210, CompletionTokens: 50}) {
		t.Errorf("usage = %+v, want both tries", ext.Usage)
	}
}

func TestExtractDropsMalformedTwice(t *testing.T) {
	h := newHarness(t, nil,
		reply{content: `["not", "an", "object"]`, prompt: 100, output: 5},
		reply{content: `{"first_name": "Ana"}`, prompt: 100, output: 5},
	)
	ext, err := h.Extract(context.Background(), extractRequest())
	if err != nil {
		t.Fatalf("malformed output returned an error, which the queue would retry forever: %v", err)
	}
	if ext == nil || ext.FirstName != nil || ext.Email != nil || len(ext.Intents) != 0 {
		t.Errorf("extraction = %+v, want empty", ext)
	}
	if ext.Usage.PromptTokens != 200 {
		t.Errorf("usage of the dropped run = %+v", ext.Usage)
	}
	if h.srv.count() != 2 {
		t.Errorf("requests = %d, want 2", h.srv.count())
	}
	if logs := h.logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "malformed twice") {
		t.Errorf("no warning logged:\n%s", logs)
	}
}

func TestExtractWithoutCustomerTextCallsNothing(t *testing.T) {
	h := newHarness(t, nil)
	req := extractRequest()
	req.History = []ai.Turn{{ID: 1, Role: contacts.SenderBot, Text: "Hello!"}}
	ext, err := h.Extract(context.Background(), req)
	if err != nil || ext != nil {
		t.Errorf("Extract = %+v, %v", ext, err)
	}
	if h.srv.count() != 0 {
		t.Errorf("requests = %d", h.srv.count())
	}
}

func TestExtractKeepsNewestWithinBudget(t *testing.T) {
	var history []ai.Turn
	for i := int64(1); i <= 10; i++ {
		// 40 bytes: 10 tokens, 18 with the framing.
		history = append(history, ai.Turn{ID: i, Role: contacts.SenderContact, Text: strings.Repeat("x", 39) + "."})
	}
	h := newHarness(t, func(c *Config) { c.MaxPromptTokens = 60 })
	req := extractRequest()
	req.History = history
	if _, err := h.Extract(context.Background(), req); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if got := transcriptIDs(t, h.srv.messages(0)[1][1]); !slices.Equal(got, []int64{8, 9, 10}) {
		t.Errorf("transcript ids = %v, want the newest three", got)
	}
}

func TestNewestWithinCutsALoneLongTurn(t *testing.T) {
	long := ai.Turn{ID: 1, Role: contacts.SenderContact, Text: strings.Repeat("é", 1000)}
	got := newestWithin([]ai.Turn{long}, 50)
	if len(got) != 1 || estimateTokens(got[0].Text)+turnOverhead > 50 {
		t.Fatalf("kept %d turns, text of %d bytes", len(got), len(got[0].Text))
	}
	if !strings.HasPrefix(long.Text, got[0].Text) || !utf8.ValidString(got[0].Text) {
		t.Error("cut text is not a valid prefix")
	}
	if long.Text == got[0].Text {
		t.Error("the caller's turn was changed or not cut")
	}
}

// transcriptIDs reads the ids of the transcript in an extraction prompt.
func transcriptIDs(t *testing.T, user string) []int64 {
	t.Helper()
	const marker = "Transcript (JSON array, oldest first):\n"
	i := strings.Index(user, marker)
	if i < 0 {
		t.Fatalf("no transcript in:\n%s", user)
	}
	var turns []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(user[i+len(marker):]), &turns); err != nil {
		t.Fatalf("transcript is not a JSON array: %v", err)
	}
	var ids []int64
	for _, tr := range turns {
		ids = append(ids, tr.ID)
	}
	return ids
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
