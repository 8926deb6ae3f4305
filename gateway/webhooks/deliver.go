package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// UserAgent names Switchboard to receivers.
const UserAgent = "Switchboard-Webhooks/1"

// retrySchedule is the wait after each failed attempt: about 16 hours
// over the worker's default 10 attempts, so a receiver down overnight still
// gets its events. Each step is longer than the worker's own backoff, so
// these are the waits that apply.
var retrySchedule = []time.Duration{10 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour}

// maxRetryAfter caps how long a receiver's Retry-After may postpone a delivery.
const maxRetryAfter = 6 * time.Hour

// responseExcerpt is how much of a receiver's answer the log keeps.
const responseExcerpt = 1024

// deliver is the JobWebhookDelivery handler: one attempt, logged. It
// returns an error (so the worker retries) only for failures worth
// retrying: timeouts, connection errors, 408, 429 and 5xx.
func (d *Dispatcher) deliver(ctx context.Context, job *contacts.QueuedJob) error {
	var p contacts.WebhookJob
	if err := json.Unmarshal(job.Payload, &p); err != nil {
		return fmt.Errorf("decode webhook job: %w", err)
	}
	ep, err := d.svc.Webhook(ctx, contacts.SystemActor, job.ProjectID, p.EndpointID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil // deleted since the event was queued
	}
	if err != nil {
		return err
	}
	if !ep.Active {
		return nil // switched off: it gets nothing, not even later
	}
	now := d.now()
	rec := &contacts.WebhookDelivery{ProjectID: job.ProjectID, EndpointID: ep.ID, Event: p.Event, Attempt: job.Attempts,
		Manual: p.Manual, At: now}
	body, err := d.body(ctx, job.ProjectID, p.Event)
	if errors.Is(err, errGone) {
		rec.Outcome, rec.Error = contacts.DeliverySkipped, err.Error()
		return d.svc.RecordWebhookDelivery(ctx, rec)
	}
	if err != nil {
		return fmt.Errorf("render webhook event %s: %w", p.Event.ID, err)
	}
	res := d.post(ctx, ep, p.Event, body, now)
	rec.StatusCode, rec.Response, rec.Duration = res.status, res.excerpt, res.took
	if res.err != nil {
		rec.Error = res.err.Error()
	}
	switch {
	case res.err == nil:
		rec.Outcome = contacts.DeliveryDelivered
	case !res.retryable:
		rec.Outcome = contacts.DeliveryFailed
	case job.Attempts >= d.worker.MaxAttempts:
		rec.Outcome = contacts.DeliveryFailed
		rec.Error += fmt.Sprintf(" (gave up after %d attempts)", job.Attempts)
	default:
		delay := retryDelay(job.Attempts, res.retryAfter)
		rec.Outcome, rec.RetryAt = contacts.DeliveryRetrying, now.Add(delay)
		if err := d.svc.RecordWebhookDelivery(ctx, rec); err != nil {
			return err
		}
		return &channels.RetryableError{Err: res.err, After: delay}
	}
	if rec.Outcome == contacts.DeliveryFailed {
		d.log.Warn("webhook delivery failed", "endpoint_id", ep.ID, "event_id", p.Event.ID, "status", res.status, "error", rec.Error)
	}
	return d.svc.RecordWebhookDelivery(ctx, rec)
}

// retryDelay is the wait after attempt n, or the receiver's Retry-After
// when that is longer.
func retryDelay(attempt int, retryAfter time.Duration) time.Duration {
	d := retrySchedule[min(max(attempt, 1), len(retrySchedule))-1]
	return max(d, min(retryAfter, maxRetryAfter))
}

// result is one attempt's outcome.
type result struct {
	status     int
	excerpt    string
	took       time.Duration
	err        error
	retryable  bool
	retryAfter time.Duration
}

// post sends the signed body to the endpoint.
func (d *Dispatcher) post(ctx context.Context, ep *contacts.WebhookEndpoint, ev contacts.WebhookEvent, body []byte, now time.Time) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: fmt.Errorf("build request: %w", err)}
	}
	t := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderEvent, ev.Type)
	req.Header.Set(HeaderEventID, ev.ID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(t, 10))
	req.Header.Set(HeaderSignature, SignatureHeader(ep.Secrets(now), t, body))
	start := time.Now()
	resp, err := d.client.Do(req)
	if err != nil {
		took := time.Since(start)
		if errors.Is(err, ErrPrivateAddress) {
			return result{took: took, err: ErrPrivateAddress}
		}
		return result{took: took, err: fmt.Errorf("send: %w", err), retryable: true}
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, responseExcerpt))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	r := result{status: resp.StatusCode, excerpt: excerpt(head), took: time.Since(start)}
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
	case code >= 300 && code < 400:
		r.err = fmt.Errorf("receiver answered %s; redirects are not followed: configure the final URL", resp.Status)
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		r.err, r.retryable = fmt.Errorf("receiver answered %s", resp.Status), true
		r.retryAfter = channels.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	default:
		r.err = fmt.Errorf("receiver answered %s", resp.Status)
	}
	return r
}

// excerpt keeps a response's start as valid UTF-8 (the cut may split a
// character; a binary answer loses its invalid bytes).
func excerpt(b []byte) string { return strings.ToValidUTF8(string(b), "") }
