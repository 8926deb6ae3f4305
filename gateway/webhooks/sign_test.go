package webhooks

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"contact.created"}`)
	header := SignatureHeader([]string{"whsec_new", "whsec_old"}, now.Unix(), body)
	cases := []struct {
		name   string
		header string
		body   []byte
		secret string
		at     time.Time
		want   error
	}{
		{"current secret", header, body, "whsec_new", now, nil},
		{"previous secret", header, body, "whsec_old", now, nil},
		{"4 minutes late", header, body, "whsec_new", now.Add(4 * time.Minute), nil},
		{"6 minutes late: a replay", header, body, "whsec_new", now.Add(6 * time.Minute), ErrStale},
		{"from the future", header, body, "whsec_new", now.Add(-6 * time.Minute), ErrStale},
		{"wrong secret", header, body, "whsec_other", now, ErrNoSignature},
		{"tampered body", header, []byte(`{"id":"evt_2"}`), "whsec_new", now, ErrNoSignature},
		{"new timestamp on an old signature", "t=1780000300" + header[len("t=1780000000"):], body, "whsec_new", now.Add(5 * time.Minute), ErrNoSignature},
		{"no signature", "t=1780000000", body, "whsec_new", now, ErrBadHeader},
		{"no timestamp", "v1=abc", body, "whsec_new", now, ErrBadHeader},
		{"garbage", "nonsense", body, "whsec_new", now, ErrBadHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(tc.header, tc.body, tc.secret, tc.at, Tolerance); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	cases := []struct {
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{1, 0, 10 * time.Second},
		{2, 0, 30 * time.Second},
		{9, 0, 8 * time.Hour},
		{15, 0, 8 * time.Hour},
		{1, 2 * time.Minute, 2 * time.Minute},
		{5, time.Minute, 30 * time.Minute},
		{1, 48 * time.Hour, maxRetryAfter},
	}
	for _, tc := range cases {
		if got := retryDelay(tc.attempt, tc.retryAfter); got != tc.want {
			t.Errorf("retryDelay(%d, %s) = %s, want %s", tc.attempt, tc.retryAfter, got, tc.want)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1::1": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.9": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "0.1.2.3": false, "fc00::1": false,
		"fe80::1": false, "224.0.0.1": false, "::ffff:127.0.0.1": false, "::ffff:93.184.216.34": true,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}
