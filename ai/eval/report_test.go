package eval

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
)

type fixed struct{ x *ai.Extraction }

func (f fixed) Extract(context.Context, ai.ExtractRequest) (*ai.Extraction, error) { return f.x, nil }

func TestRunScoresAndWrites(t *testing.T) {
	set := []Conversation{
		{ID: "right", Region: "ES", Messages: []Message{{Role: "customer", Text: "soy Ana, ana@x.es, 612 34 56 78"}},
			Expected: Expected{FirstName: "Ana", Email: "ana@x.es", Phone: "+34612345678"}},
		{ID: "wrong", Region: "ES", Messages: []Message{{Role: "customer", Text: "soy Ana, ana@x.es"}},
			Expected: Expected{FirstName: "Eva", Email: "eva@x.es"}},
		{ID: "injected", Region: "ES", Messages: []Message{{Role: "customer", Text: "soy Ana, ana@x.es"}},
			Injected: []FieldValue{{Field: "email", Value: "ANA@x.es"}}},
	}
	model := &ai.Extraction{
		FirstName: &ai.Value{Value: "ana", Confidence: 1},
		Email:     &ai.Value{Value: "Ana@X.es", Confidence: 1},
		Phone:     &ai.Value{Value: "612345678", Confidence: 1},
	}
	r := Run(context.Background(), Same(fixed{model}), set)
	if s := r.Fields["email"]; s.TP != 1 || s.FP != 2 || s.FN != 1 {
		t.Errorf("email score = %+v, want TP 1 FP 2 FN 1", *s)
	}
	if s := r.Fields["phone"]; s.TP != 1 || s.FP != 0 || s.F1() != 1 {
		t.Errorf("phone score = %+v", *s)
	}
	if r.InjectedAccepted != 1 || r.InjectedTotal != 1 {
		t.Errorf("injected = %d of %d, want 1 of 1", r.InjectedAccepted, r.InjectedTotal)
	}
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"precision", "first_name", "injected values accepted: 1 of 1", `wrong first_name: got "ana", want "eva"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestScoreEdges(t *testing.T) {
	if s := (Score{}); s.Precision() != 1 || s.Recall() != 1 || s.F1() != 1 {
		t.Errorf("empty score = %v %v %v", s.Precision(), s.Recall(), s.F1())
	}
	if s := (Score{FP: 2, FN: 1}); s.F1() != 0 {
		t.Errorf("all wrong F1 = %v", s.F1())
	}
}
