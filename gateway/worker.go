package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Handler runs one kind of queued job. An error retries it with backoff.
type Handler func(ctx context.Context, job *contacts.QueuedJob) error

// Worker runs queued jobs: it claims one at a time with a lease, so a job
// whose worker died runs again once the lease ends, and any number of
// workers (in any number of processes) can share a queue.
type Worker struct {
	queue       contacts.Queue
	handlers    map[string]Handler
	kinds       contacts.JobKinds
	now         func() time.Time
	log         *slog.Logger
	wake        chan struct{}
	Lease       time.Duration // how long a claimed job is ours; default 1 min
	Poll        time.Duration // idle wait between claims when not woken; default 1 s
	MaxAttempts int           // attempts before a job is abandoned; default 10
}

// NewWorker builds a worker over a queue.
func NewWorker(q contacts.Queue, now func() time.Time, log *slog.Logger) *Worker {
	if now == nil {
		now = contacts.SystemClock
	}
	if log == nil {
		log = slog.Default()
	}
	return &Worker{queue: q, handlers: map[string]Handler{}, now: now, log: log.With("component", "worker"),
		wake: make(chan struct{}, 1), Lease: time.Minute, Poll: time.Second, MaxAttempts: 10}
}

// Only makes the worker claim just these kinds of job.
func (w *Worker) Only(kinds ...string) *Worker { w.kinds = contacts.JobKinds{Only: kinds}; return w }

// Except makes the worker leave these kinds of job to another worker.
func (w *Worker) Except(kinds ...string) *Worker {
	w.kinds = contacts.JobKinds{Except: kinds}
	return w
}

// Handle registers the handler of a job kind.
func (w *Worker) Handle(kind string, h Handler) { w.handlers[kind] = h }

// Notify wakes an idle worker: a job was just queued.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run claims and runs jobs until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for ctx.Err() == nil {
		ran, err := w.RunOne(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("claim job", "error", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-time.After(w.Poll):
		}
	}
}

// RunOne claims and runs one due job; it reports whether there was one.
func (w *Worker) RunOne(ctx context.Context) (bool, error) {
	job, err := w.queue.Claim(ctx, w.now(), w.Lease, w.kinds)
	if err != nil || job == nil {
		return false, err
	}
	log := w.log.With("job_id", job.ID, "kind", job.Kind, "attempt", job.Attempts)
	// The job must finish well inside its lease, or another worker may
	// claim it while it still runs.
	jctx, cancel := context.WithTimeout(ctx, w.Lease/2)
	defer cancel()
	h, ok := w.handlers[job.Kind]
	if !ok {
		err = fmt.Errorf("no handler for job kind %q", job.Kind)
	} else {
		err = safely(jctx, h, job)
	}
	// Bookkeeping survives a shutdown that cancelled the job itself.
	bctx := context.WithoutCancel(ctx)
	now := w.now()
	switch {
	case err == nil:
		return true, w.queue.Complete(bctx, job.ID, now)
	case !ok || job.Attempts >= w.MaxAttempts:
		log.Error("job abandoned", "error", err)
		return true, w.queue.Abandon(bctx, job.ID, now, err.Error())
	default:
		delay := backoff(job.Attempts)
		if after, retryable := channels.IsRetryable(err); retryable && after > delay {
			delay = min(after, maxRetryAfter)
		}
		log.Warn("job failed; will retry", "error", err, "retry_in", delay.String())
		return true, w.queue.Retry(bctx, job.ID, now.Add(delay), err.Error())
	}
}

// maxRetryAfter caps how long a peer's Retry-After may hold a job back: a
// peer asking for a day would otherwise park a customer's reply for a day.
const maxRetryAfter = time.Hour

// backoff doubles from one second to at most ten minutes.
func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 10)
	return min(d, 10*time.Minute)
}

func safely(ctx context.Context, h Handler, job *contacts.QueuedJob) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job panicked: %v", r)
		}
	}()
	return h(ctx, job)
}
