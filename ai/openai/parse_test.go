package openai

import (
	"slices"
	"testing"
)

func TestParseExtractionDropsMalformedFields(t *testing.T) {
	known := map[int64]bool{1: true, 2: true}
	content := "```json\n" + `{
	  "first_name": {"value": "  Ana ", "confidence": 1.7, "message_ids": [1, 1, 99]},
	  "last_name": {"value": "", "confidence": 0.5, "message_ids": [1]},
	  "phone": {"value": 4915112345678, "confidence": -0.2, "message_ids": ["2"]},
	  "country": {"value": "Germany", "confidence": 0.9, "message_ids": [1]},
	  "company": {"value": "acme", "confidence": 0.9, "message_ids": [1]},
	  "sentiment": {"label": "furious", "score": -3, "message_ids": [1]},
	  "intents": [
	    {"value": "Pricing", "confidence": 0.4, "message_ids": [1]},
	    {"value": "pricing", "confidence": 0.8, "message_ids": [2]},
	    {"value": "world domination", "confidence": 1, "message_ids": [1]}
	  ],
	  "conversation_summary": {"value": "not final", "confidence": 1, "message_ids": [1]}
	}` + "\n```"
	ext, err := parseExtraction(content, known, false)
	if err != nil {
		t.Fatalf("parseExtraction: %v", err)
	}
	if ext.FirstName == nil || ext.FirstName.Value != "Ana" || ext.FirstName.Confidence != 1 || !slices.Equal(ext.FirstName.MessageIDs, []int64{1}) {
		t.Errorf("first name = %+v", ext.FirstName)
	}
	if ext.LastName != nil {
		t.Errorf("empty last name kept: %+v", ext.LastName)
	}
	if ext.Phone == nil || ext.Phone.Value != "4915112345678" || ext.Phone.Confidence != 0 || !slices.Equal(ext.Phone.MessageIDs, []int64{2}) {
		t.Errorf("phone = %+v", ext.Phone)
	}
	if ext.Country != nil {
		t.Errorf("country that is no ISO code kept: %+v", ext.Country)
	}
	if ext.Sentiment != nil {
		t.Errorf("unknown sentiment label kept: %+v", ext.Sentiment)
	}
	if len(ext.Intents) != 1 || ext.Intents[0].Value != "pricing" || ext.Intents[0].Confidence != 0.8 {
		t.Errorf("intents = %+v", ext.Intents)
	}
	if ext.ConversationSummary != nil {
		t.Error("conversation summary kept on a run that is not final")
	}
}

func TestParseExtractionNormalisesCountryAndScore(t *testing.T) {
	ext, err := parseExtraction(`{"country": {"value": "de", "confidence": 0.9, "message_ids": []},
		"sentiment": {"label": "Negative", "score": -2, "message_ids": []}}`, nil, false)
	if err != nil {
		t.Fatalf("parseExtraction: %v", err)
	}
	if ext.Country == nil || ext.Country.Value != "DE" {
		t.Errorf("country = %+v", ext.Country)
	}
	if ext.Sentiment == nil || ext.Sentiment.Label != "negative" || ext.Sentiment.Score != -1 {
		t.Errorf("sentiment = %+v", ext.Sentiment)
	}
}

func TestParseExtractionRejectsWhatIsNotTheShape(t *testing.T) {
	for _, content := range []string{"", "Ana, ana@acme.test", `[1, 2]`, `{"first_name": "Ana"}`, `{"email": {"value": "a@b.c"`} {
		if _, err := parseExtraction(content, nil, false); err == nil {
			t.Errorf("%q accepted", content)
		}
	}
}

func TestStripThinking(t *testing.T) {
	if got := stripThinking("<think>\nthe user wants...\n</think>\n\n{\"a\":1}"); got != `{"a":1}` {
		t.Errorf("got %q", got)
	}
	if got := stripThinking("plain"); got != "plain" {
		t.Errorf("got %q", got)
	}
}
