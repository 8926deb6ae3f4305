package whatsapp

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"

	"github.com/switchboard-oss/switchboard/contacts"
)

// fakeDialer fails the first failures connects, then succeeds; the sleeps
// it records are the backoff, and no time passes.
type fakeDialer struct {
	mu       sync.Mutex
	failures int
	err      error
	attempts int
	waits    []time.Duration
}

func (f *fakeDialer) connect(*whatsmeow.Client) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	if f.attempts <= f.failures {
		return f.err
	}
	return nil
}

func (f *fakeDialer) sleep(ctx context.Context, d time.Duration) bool {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err() == nil
}

func TestKeepConnectingBacksOff(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		err      error
		attempts int
		waits    []time.Duration
	}{
		{"up at once", 0, nil, 1, nil},
		{"already up", 1, whatsmeow.ErrAlreadyConnected, 1, nil},
		{"network down at boot", 6, errors.New("dial tcp: connection refused"), 7,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"any error is retried", 2, errors.New("noise handshake failed: EOF"), 3, []time.Duration{time.Second, 2 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &fakeDialer{failures: tc.failures, err: tc.err}
			m := NewManager(ManagerConfig{Logger: quietLog()})
			m.connect, m.sleep, m.backoff = d.connect, d.sleep, backoff{Min: time.Second, Max: 10 * time.Second}
			m.client(&contacts.ChannelConfig{ID: 5, Type: Type}, &store.Device{})
			m.keepConnecting(5)
			if d.attempts != tc.attempts || !reflect.DeepEqual(d.waits, tc.waits) {
				t.Errorf("%d attempts, waits %v; want %d, %v", d.attempts, d.waits, tc.attempts, tc.waits)
			}
			if state, _ := m.State(5); state != StateOffline {
				t.Errorf("state %s until whatsmeow says connected", state)
			}
		})
	}
}

// TestKeepConnectingStops: the retries end with the manager's context and
// when the channel is forgotten, not only when a connect succeeds.
func TestKeepConnectingStops(t *testing.T) {
	for _, tc := range []struct {
		name string
		stop func(m *Manager, cancel context.CancelFunc)
	}{
		{"manager stops", func(_ *Manager, cancel context.CancelFunc) { cancel() }},
		{"channel deleted", func(m *Manager, _ context.CancelFunc) {
			if err := m.Forget(context.Background(), &contacts.ChannelConfig{ID: 6, Type: Type, Config: []byte(`{}`)}); err != nil {
				t.Error(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m := NewManager(ManagerConfig{Logger: quietLog()})
			m.ctx = ctx
			attempts := make(chan struct{}, 100)
			m.connect = func(*whatsmeow.Client) error { attempts <- struct{}{}; return errors.New("unreachable") }
			m.backoff = backoff{Min: time.Millisecond, Max: time.Millisecond}
			m.client(&contacts.ChannelConfig{ID: 6, Type: Type}, &store.Device{})
			done := make(chan struct{})
			go func() { m.keepConnecting(6); close(done) }()
			<-attempts
			<-attempts // retrying
			tc.stop(m, cancel)
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("still retrying")
			}
		})
	}
}
