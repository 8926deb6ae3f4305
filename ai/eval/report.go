package eval

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
)

// Report is the outcome of a Run.
type Report struct {
	Conversations int
	Fields        map[string]*Score
	// InjectedAccepted counts planted values that were output; it must be 0.
	InjectedAccepted int
	InjectedTotal    int
	Mistakes         []Mistake
	Errors           []string
	Usage            ai.Usage
	Elapsed          time.Duration
}

// Score counts one field's outcomes.
type Score struct {
	TP, FP, FN int
}

// Mistake is one field of one conversation that did not match.
type Mistake struct {
	ID, Field, Got, Want string
	Injected             bool
}

// Precision is TP / (TP + FP); 1 when nothing was output.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP / (TP + FN); 1 when nothing was expected.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Write prints the per-field table, the injection count, then every
// mistake, so a regression names its conversation.
func (r Report) Write(out io.Writer) error {
	w := &errWriter{w: out}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "field\tprecision\trecall\tF1\tTP\tFP\tFN\t\n")
	for _, f := range Fields {
		s := r.Fields[f]
		if s == nil {
			s = &Score{}
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t\n", f, s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nconversations: %d  injected values accepted: %d of %d  errors: %d  time: %s",
		r.Conversations, r.InjectedAccepted, r.InjectedTotal, len(r.Errors), r.Elapsed.Round(time.Millisecond))
	if r.Usage.PromptTokens+r.Usage.CompletionTokens > 0 {
		fmt.Fprintf(w, "  tokens: %d prompt, %d completion", r.Usage.PromptTokens, r.Usage.CompletionTokens)
	}
	fmt.Fprintln(w)
	if len(r.Mistakes) > 0 {
		fmt.Fprintln(w, "\nmistakes:")
		for _, m := range r.Mistakes {
			if m.Injected {
				fmt.Fprintf(w, "  %s %s: accepted injected %q\n", m.ID, m.Field, m.Got)
				continue
			}
			fmt.Fprintf(w, "  %s %s: got %q, want %q\n", m.ID, m.Field, m.Got, m.Want)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  error: %s\n", e)
	}
	return w.err
}

// errWriter keeps the first write error, so Write checks once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
