package openai

import (
	"sync"
	"time"
)

// limiter is a token bucket per project. A call takes one token however
// many HTTP requests its retries and fallbacks need: those are bounded, and
// stopping a call halfway would waste what it already spent.
type limiter struct {
	perSecond float64
	burst     float64
	now       func() time.Time

	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newLimiter allows perMinute calls a minute per project, all of them at
// once if they come in a burst; a negative perMinute allows everything.
func newLimiter(perMinute int, now func() time.Time) *limiter {
	if perMinute < 0 {
		return nil
	}
	return &limiter{
		perSecond: float64(perMinute) / 60,
		burst:     float64(perMinute),
		now:       now,
		buckets:   map[int64]*bucket{},
	}
}

// allow takes a token from the project's bucket, or reports that it is
// empty. A nil limiter is unlimited.
func (l *limiter) allow(projectID int64) bool {
	if l == nil {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[projectID]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[projectID] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed*l.perSecond)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
