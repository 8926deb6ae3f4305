package channels

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{"": 0, "30": 30 * time.Second, " 7 ": 7 * time.Second, "soon": 0, "-5": 0,
		"Tue, 10 Mar 2026 12:01:00 GMT": time.Minute, "Tue, 10 Mar 2026 11:00:00 GMT": 0} {
		if got := ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}
