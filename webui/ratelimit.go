package webui

import (
	"sync"
	"time"
)

// windowLimiter allows max events per key per window (a fixed window,
// counted in memory per process). The widget counts messages with it per
// visitor, so one chatty tab cannot flood a conversation, and per client
// address, for HTTP posts and WebSocket frames alike, so rotating visitor
// ids or switching transports buys nothing.
type windowLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	counts map[string]*windowCount
	swept  time.Time
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindowLimiter(max int, window time.Duration) *windowLimiter {
	return &windowLimiter{max: max, window: window, now: time.Now, counts: map[string]*windowCount{}}
}

// allow counts an event for key and reports whether it is within the limit.
func (l *windowLimiter) allow(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window {
		for k, c := range l.counts {
			if now.Sub(c.start) >= l.window {
				delete(l.counts, k)
			}
		}
		l.swept = now
	}
	c := l.counts[key]
	if c == nil || now.Sub(c.start) >= l.window {
		c = &windowCount{start: now}
		l.counts[key] = c
	}
	c.n++
	return c.n <= l.max
}
