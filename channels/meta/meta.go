// Package meta holds what Meta's channels (Messenger, Instagram messaging,
// WhatsApp Cloud) share: the webhook verification handshake, the
// X-Hub-Signature-256 check, and a small Graph API client that takes a base
// URL and classifies errors for retry.
package meta

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
)

// DefaultGraphURL and DefaultVersion address Meta's Graph API.
const (
	DefaultGraphURL = "https://graph.facebook.com"
	DefaultVersion  = "v21.0"
	SignatureHeader = "X-Hub-Signature-256"
)

// ErrBadSignature: the body is not signed with the app secret.
var ErrBadSignature = errors.New("missing or wrong " + SignatureHeader)

// Verify answers Meta's subscription handshake: it returns the challenge
// to echo when mode is "subscribe" and the token matches.
func Verify(mode, token, challenge, want string) (string, bool) {
	if mode != "subscribe" || want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return "", false
	}
	return challenge, true
}

// CheckSignature checks "sha256=<hex HMAC-SHA256(app secret, raw body)>"
// over the exact bytes received.
func CheckSignature(body []byte, header, appSecret string) error {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || appSecret == "" {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return ErrBadSignature
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrBadSignature
	}
	return nil
}

// Sign makes the signature header value for body (for tests and tools).
func Sign(body []byte, appSecret string) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// AppConfig is what every Meta channel is configured with besides its token.
type AppConfig struct {
	AppSecret    string `json:"app_secret"`   // signs webhook bodies
	VerifyToken  string `json:"verify_token"` // answers the subscription handshake
	GraphURL     string `json:"graph_url"`    // base URL of the Graph API
	GraphVersion string `json:"graph_version"`
}

// Check validates the shared settings and fills the defaults.
func (a *AppConfig) Check(add func(field, msg string)) {
	if len(a.AppSecret) < 8 {
		add("config.app_secret", "is required: the app secret from the Meta app dashboard")
	}
	if len(a.VerifyToken) < 8 {
		add("config.verify_token", "is required: at least 8 characters, also entered in the Meta dashboard")
	}
	a.GraphURL = strings.TrimRight(strings.TrimSpace(a.GraphURL), "/")
	if a.GraphURL == "" {
		a.GraphURL = DefaultGraphURL
	}
	if !strings.HasPrefix(a.GraphURL, "https://") && !strings.HasPrefix(a.GraphURL, "http://") {
		add("config.graph_url", "must be an http(s) URL")
	}
	if a.GraphVersion == "" {
		a.GraphVersion = DefaultVersion
	}
}

// Client posts to the Graph API.
type Client struct {
	HTTP *http.Client
}

// NewClient builds a client with a timeout.
func NewClient() *Client { return &Client{HTTP: &http.Client{Timeout: 15 * time.Second}} }

// graphError is the Graph API's error body.
type graphError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    int    `json:"code"`
	} `json:"error"`
}

// rateLimitCodes are Graph error codes that mean "slow down, try later".
var rateLimitCodes = map[int]bool{4: true, 17: true, 32: true, 613: true, 80007: true, 130429: true, 131056: true}

// Get fetches a Graph object with a bearer token into out, classifying
// errors like Post.
func (c *Client) Get(ctx context.Context, url, token string, out any) error {
	return c.do(ctx, http.MethodGet, url, token, nil, out)
}

// Post sends a JSON body with a bearer token and decodes the answer into out.
// 429, 5xx, rate-limit error codes and network failures come back as
// channels.RetryableError (honouring Retry-After); other errors are final.
func (c *Client) Post(ctx context.Context, url, token string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, url, token, raw, out)
}

func (c *Client) do(ctx context.Context, method, url, token string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return &channels.RetryableError{Err: fmt.Errorf("graph api: %w", err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return &channels.RetryableError{Err: fmt.Errorf("graph api: %w", err)}
	}
	if resp.StatusCode/100 == 2 {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("graph api answer: %w", err)
		}
		return nil
	}
	var ge graphError
	_ = json.Unmarshal(data, &ge)
	err = fmt.Errorf("graph api %d: %s (code %d)", resp.StatusCode, ge.Error.Message, ge.Error.Code)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || rateLimitCodes[ge.Error.Code] {
		return &channels.RetryableError{After: channels.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), Err: err}
	}
	return err
}

// GraphBase joins a base URL and version, defaulting both.
func GraphBase(graphURL, version string) string {
	if graphURL == "" {
		graphURL = DefaultGraphURL
	}
	if version == "" {
		version = DefaultVersion
	}
	return strings.TrimRight(graphURL, "/") + "/" + version
}
