package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
)

// Limits past which a value is not what was asked for. A "first name" of
// 300 characters is the model rambling, not a name; summaries are cut
// rather than dropped because their start is still useful.
const (
	maxFieldRunes   = 200
	maxMemoryRunes  = 300
	maxSummaryRunes = 1000
	maxMemories     = 10
)

// wireExtraction is the model's answer as the schema describes it.
type wireExtraction struct {
	FirstName           *wireValue     `json:"first_name"`
	LastName            *wireValue     `json:"last_name"`
	Email               *wireValue     `json:"email"`
	Phone               *wireValue     `json:"phone"`
	Company             *wireValue     `json:"company"`
	Country             *wireValue     `json:"country"`
	Memories            []wireValue    `json:"memories"`
	Summary             *wireValue     `json:"summary"`
	Sentiment           *wireSentiment `json:"sentiment"`
	Intents             []wireValue    `json:"intents"`
	ConversationSummary *wireValue     `json:"conversation_summary"`
}

type wireValue struct {
	Value      looseString `json:"value"`
	Confidence float64     `json:"confidence"`
	MessageIDs []looseID   `json:"message_ids"`
}

type wireSentiment struct {
	Label      string    `json:"label"`
	Score      float64   `json:"score"`
	MessageIDs []looseID `json:"message_ids"`
}

// looseString takes a number where a string was asked for: small models
// in plain JSON mode write phone numbers unquoted.
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("value: want a string, got %s", b)
	}
	*s = looseString(n.String())
	return nil
}

// looseID takes a message id written as a string ("12"), another habit of
// small models.
type looseID int64

func (id *looseID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("message id: want an integer, got %s", b)
	}
	*id = looseID(n)
	return nil
}

var errNotObject = errors.New("not a JSON object")

// parseExtraction decodes the model's content and keeps what is well
// formed. known are the ids of the messages the model was shown; citations
// of others are dropped. It does not judge whether values are true: that
// is the guard's job, downstream.
func parseExtraction(content string, known map[int64]bool, final bool) (*ai.Extraction, error) {
	raw := []byte(stripFence(content))
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("empty answer")
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return nil, errNotObject
	}
	var w wireExtraction
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	ext := &ai.Extraction{
		FirstName: cleanValue(w.FirstName, known, maxFieldRunes),
		LastName:  cleanValue(w.LastName, known, maxFieldRunes),
		Email:     cleanValue(w.Email, known, maxFieldRunes),
		Phone:     cleanValue(w.Phone, known, maxFieldRunes),
		Company:   cleanValue(w.Company, known, maxFieldRunes),
		Country:   cleanCountry(w.Country, known),
		Summary:   cutValue(cleanValue(w.Summary, known, -1), maxSummaryRunes),
		Sentiment: cleanSentiment(w.Sentiment, known),
		Intents:   cleanIntents(w.Intents, known),
	}
	for i := range w.Memories {
		if len(ext.Memories) == maxMemories {
			break
		}
		if v := cleanValue(&w.Memories[i], known, maxMemoryRunes); v != nil {
			ext.Memories = append(ext.Memories, *v)
		}
	}
	if final {
		ext.ConversationSummary = cutValue(cleanValue(w.ConversationSummary, known, -1), maxSummaryRunes)
	}
	return ext, nil
}

// stripFence removes a ```json fence, which models add in plain JSON mode
// although asked not to.
func stripFence(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "```") {
		return s
	}
	s = strings.TrimPrefix(s, "```")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "```"))
}

// cleanValue trims the value, clamps the confidence to 0..1 and keeps the
// citations of shown messages; it drops an empty value, or one over
// maxRunes (negative: no limit).
func cleanValue(w *wireValue, known map[int64]bool, maxRunes int) *ai.Value {
	if w == nil {
		return nil
	}
	v := strings.TrimSpace(string(w.Value))
	if v == "" || (maxRunes >= 0 && utf8.RuneCountInString(v) > maxRunes) {
		return nil
	}
	return &ai.Value{Value: v, Confidence: clamp(w.Confidence, 0, 1), MessageIDs: cleanIDs(w.MessageIDs, known)}
}

func cutValue(v *ai.Value, maxRunes int) *ai.Value {
	if v == nil {
		return nil
	}
	if r := []rune(v.Value); len(r) > maxRunes {
		v.Value = strings.TrimSpace(string(r[:maxRunes]))
	}
	return v
}

// cleanCountry keeps a country only as an ISO 3166-1 alpha-2 code.
func cleanCountry(w *wireValue, known map[int64]bool) *ai.Value {
	v := cleanValue(w, known, 2)
	if v == nil {
		return nil
	}
	v.Value = strings.ToUpper(v.Value)
	if len(v.Value) != 2 || v.Value[0] < 'A' || v.Value[0] > 'Z' || v.Value[1] < 'A' || v.Value[1] > 'Z' {
		return nil
	}
	return v
}

func cleanSentiment(w *wireSentiment, known map[int64]bool) *ai.Sentiment {
	if w == nil {
		return nil
	}
	label := strings.ToLower(strings.TrimSpace(w.Label))
	if !slices.Contains(sentimentLabels, label) {
		return nil
	}
	return &ai.Sentiment{Label: label, Score: clamp(w.Score, -1, 1), MessageIDs: cleanIDs(w.MessageIDs, known)}
}

// cleanIntents keeps known intents, once each, with the highest confidence
// the model gave.
func cleanIntents(ws []wireValue, known map[int64]bool) []ai.Value {
	var out []ai.Value
	for i := range ws {
		v := cleanValue(&ws[i], known, maxFieldRunes)
		if v == nil {
			continue
		}
		v.Value = strings.ToLower(v.Value)
		if !slices.Contains(ai.Intents, v.Value) {
			continue
		}
		j := slices.IndexFunc(out, func(o ai.Value) bool { return o.Value == v.Value })
		switch {
		case j < 0:
			out = append(out, *v)
		case v.Confidence > out[j].Confidence:
			out[j] = *v
		}
	}
	return out
}

func cleanIDs(ids []looseID, known map[int64]bool) []int64 {
	var out []int64
	for _, id := range ids {
		if n := int64(id); known[n] && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func clamp(v, lo, hi float64) float64 {
	return min(hi, max(lo, v))
}
