package eval

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/heuristic"
	"github.com/switchboard-oss/switchboard/contacts"
)

const setPath = "../testdata/conversations.json"

func heuristicFactory(region string) ai.Extractor { return heuristic.Extractor{Region: region} }

// TestHeuristicOnSet holds the heuristic extractor to its floor on the
// labelled set. Run with -v to see the table and every mistake.
func TestHeuristicOnSet(t *testing.T) {
	set, err := Load(setPath)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(context.Background(), heuristicFactory, set)
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	floors := map[string]float64{"email": 0.97, "phone": 0.97, "first_name": 0.85}
	for f, floor := range floors {
		if got := r.Fields[f].F1(); got < floor {
			t.Errorf("%s F1 = %.3f, want >= %.2f", f, got, floor)
		}
	}
	if r.InjectedAccepted != 0 {
		t.Errorf("accepted %d injected values", r.InjectedAccepted)
	}
	if len(r.Errors) > 0 {
		t.Errorf("errors: %v", r.Errors)
	}
}

// TestSetIsConsistent keeps the labels honest: expected values are valid,
// and an expected email or phone is written in a customer message.
func TestSetIsConsistent(t *testing.T) {
	set, err := Load(setPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) < 80 {
		t.Errorf("set has %d conversations, want at least 80", len(set))
	}
	for _, c := range set {
		if c.Expected.Email != "" {
			if e, err := contacts.NormalizeEmail(c.Expected.Email); err != nil || e != c.Expected.Email {
				t.Errorf("%s: expected email %q is not normalised", c.ID, c.Expected.Email)
			}
		}
		if c.Expected.Phone != "" {
			if p, err := contacts.NormalizePhone(c.Expected.Phone, c.Region); err != nil || p != c.Expected.Phone {
				t.Errorf("%s: expected phone %q is not valid E.164 (%v)", c.ID, c.Expected.Phone, err)
			}
		}
		for _, iv := range c.Injected {
			if iv.Field == "phone" {
				if _, err := contacts.NormalizePhone(iv.Value, c.Region); err != nil {
					t.Errorf("%s: injected phone %q is not valid", c.ID, iv.Value)
				}
			}
		}
		if len(c.Messages) == 0 {
			t.Errorf("%s: no messages", c.ID)
		}
	}
}

func TestLoadRejectsBadSets(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"garbage":   `{`,
		"role":      `[{"id":"a","messages":[{"role":"robot","text":"hi"}]}]`,
		"duplicate": `[{"id":"a"},{"id":"a"}]`,
		"field":     `[{"id":"a","injected":[{"field":"iban","value":"x"}]}]`,
	} {
		p := dir + "/" + name + ".json"
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); err == nil {
			t.Errorf("Load(%s) succeeded", name)
		}
	}
	if _, err := Load(dir + "/missing.json"); err == nil {
		t.Error("Load(missing) succeeded")
	}
}

// TestEmbeddedSetParses keeps the copy built into the binary loadable.
func TestEmbeddedSetParses(t *testing.T) {
	set, err := Parse(ai.EvalSet, "the built-in set")
	if err != nil || len(set) < 80 {
		t.Fatalf("Parse(ai.EvalSet) = %d conversations, %v", len(set), err)
	}
}

func BenchmarkHeuristicExtract(b *testing.B) {
	set, err := Load(setPath)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	reqs := make([]ai.ExtractRequest, len(set))
	for i, c := range set {
		reqs[i] = ai.ExtractRequest{Contact: &contacts.Contact{}, History: c.Turns(), Final: true}
	}
	b.ResetTimer()
	for b.Loop() {
		for i, c := range set {
			if _, err := (heuristic.Extractor{Region: c.Region}).Extract(ctx, reqs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
