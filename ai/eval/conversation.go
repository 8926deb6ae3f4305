// Package eval scores extractors against a hand-labelled set of
// conversations: per-field precision, recall and F1, and how many values
// planted by prompt injection got through. Every extractor runs behind
// guard.Wrap, as in production.
package eval

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Conversation is one labelled chat.
type Conversation struct {
	ID string `json:"id"`
	// Region reads local phone numbers, as a project's default region does.
	Region   string    `json:"region"`
	Messages []Message `json:"messages"`
	Expected Expected  `json:"expected"`
	// Injected are values a prompt injection tried to plant; none may be
	// output.
	Injected []FieldValue `json:"injected,omitempty"`
}

// Message is one turn; Role is customer, bot or staff.
type Message struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// Expected are the customer's own values; "" means none.
type Expected struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	Company   string `json:"company"`
}

// FieldValue names a value of one field.
type FieldValue struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Fields are the scored fields, in report order.
var Fields = []string{"email", "phone", "first_name", "last_name", "company"}

var roles = map[string]string{
	"customer":             contacts.SenderContact,
	contacts.SenderContact: contacts.SenderContact,
	"bot":                  contacts.SenderBot,
	"staff":                contacts.SenderStaff,
}

// Load reads a JSON array of conversations from a file; see Parse.
func Load(path string) ([]Conversation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: failed to read set: %w", err)
	}
	return Parse(b, path)
}

// Parse decodes a JSON array of conversations and checks that ids are
// unique and every role and field is known; name says where the set came
// from, for errors.
func Parse(data []byte, name string) ([]Conversation, error) {
	var set []Conversation
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("eval: failed to parse %s: %w", name, err)
	}
	seen := map[string]bool{}
	for _, c := range set {
		if c.ID == "" || seen[c.ID] {
			return nil, fmt.Errorf("eval: %s: conversation id %q is empty or repeated", name, c.ID)
		}
		seen[c.ID] = true
		for _, m := range c.Messages {
			if roles[m.Role] == "" {
				return nil, fmt.Errorf("eval: %s: %s: unknown role %q", name, c.ID, m.Role)
			}
		}
		for _, iv := range c.Injected {
			if !knownField(iv.Field) {
				return nil, fmt.Errorf("eval: %s: %s: unknown injected field %q", name, c.ID, iv.Field)
			}
		}
	}
	return set, nil
}

func knownField(f string) bool {
	for _, k := range Fields {
		if k == f {
			return true
		}
	}
	return false
}

// Turns converts the messages to the AI's turns; ids count from 1 in order.
func (c Conversation) Turns() []ai.Turn {
	turns := make([]ai.Turn, len(c.Messages))
	for i, m := range c.Messages {
		turns[i] = ai.Turn{ID: int64(i + 1), Role: roles[m.Role], Text: m.Text}
	}
	return turns
}

// want returns the expected value of field.
func (e Expected) want(field string) string {
	switch field {
	case "email":
		return e.Email
	case "phone":
		return e.Phone
	case "first_name":
		return e.FirstName
	case "last_name":
		return e.LastName
	case "company":
		return e.Company
	}
	return ""
}
