package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	HeaderSignature = "X-Switchboard-Signature"
	HeaderTimestamp = "X-Switchboard-Timestamp"
	HeaderEvent     = "X-Switchboard-Event"
	HeaderEventID   = "X-Switchboard-Event-Id"
)

// Tolerance is how far a delivery's timestamp may be from a receiver's
// clock before Verify refuses it as a possible replay.
const Tolerance = 5 * time.Minute

// Sign returns the hex HMAC-SHA256, keyed with secret, of "<t>.<body>".
// Signing the timestamp with the body stops an old delivery from being
// replayed with a fresh timestamp.
func Sign(secret string, t int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(t, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignatureHeader is the X-Switchboard-Signature value: "t=<unix>" then a
// "v1=<hex>" for each secret (two while a rotated-out secret is honoured).
func SignatureHeader(secrets []string, t int64, body []byte) string {
	var b strings.Builder
	b.WriteString("t=")
	b.WriteString(strconv.FormatInt(t, 10))
	for _, s := range secrets {
		b.WriteString(",v1=")
		b.WriteString(Sign(s, t, body))
	}
	return b.String()
}

// Errors of Verify.
var (
	ErrNoSignature = errors.New("webhooks: no valid signature for this secret")
	ErrStale       = errors.New("webhooks: timestamp outside the tolerance (a replay?)")
	ErrBadHeader   = errors.New("webhooks: malformed signature header")
)

// Verify checks a delivery as a Go receiver would: the header's timestamp
// must be within tolerance of now, and one of its v1 signatures must match
// the body signed with secret (compared in constant time).
func Verify(header string, body []byte, secret string, now time.Time, tolerance time.Duration) error {
	var t int64 = -1
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrBadHeader
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return ErrBadHeader
			}
			t = n
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if t < 0 || len(sigs) == 0 {
		return ErrBadHeader
	}
	if d := now.Sub(time.Unix(t, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := []byte(Sign(secret, t, body))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return ErrNoSignature
}
