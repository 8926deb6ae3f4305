package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// S3Config names an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2,
// Backblaze B2, Wasabi...).
type S3Config struct {
	// Endpoint is the service's base URL, e.g. https://s3.eu-west-1.amazonaws.com
	// or http://127.0.0.1:9000.
	Endpoint  string
	Bucket    string
	Region    string // "" is us-east-1
	AccessKey string
	SecretKey string
	// VirtualHost addresses the bucket as a host name (bucket.endpoint-host)
	// instead of a path (endpoint/bucket); path style is the default, since
	// every S3-compatible server understands it.
	VirtualHost bool
	// Prefix goes before every key, e.g. "switchboard/".
	Prefix string
	// Client sends the requests; nil is one with connection timeouts and no
	// overall one (a download may take a while; contexts bound it).
	Client *http.Client
	Now    func() time.Time // signing clock; nil is the wall clock
}

// S3 keeps files as objects in an S3-compatible bucket, with requests
// signed by AWS Signature Version 4. Whole objects only: a file is one PUT
// (at most 5 GiB, S3's single-upload limit).
type S3 struct {
	cfg  S3Config
	base *url.URL
}

var _ contacts.FileStore = (*S3)(nil)

// maxPut is S3's largest single PUT.
const maxPut = 5 << 30

// NewS3 checks cfg and returns the store; it sends nothing.
func NewS3(cfg S3Config) (*S3, error) {
	u, err := url.Parse(strings.TrimRight(cfg.Endpoint, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("s3 endpoint %q: want an http:// or https:// URL", cfg.Endpoint)
	}
	if cfg.Bucket == "" || strings.ContainsAny(cfg.Bucket, "/ ") {
		return nil, fmt.Errorf("s3 bucket %q: want a bucket name", cfg.Bucket)
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("s3: an access key and a secret key are needed")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = time.Minute
		cfg.Client = &http.Client{Transport: t}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &S3{cfg: cfg, base: u}, nil
}

// objectURL is the URL of key's object.
func (s *S3) objectURL(key string) (string, error) {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains("/"+key+"/", "/../") {
		return "", fmt.Errorf("file key %q: not a relative path", key)
	}
	u := *s.base
	path := "/" + s.cfg.Prefix + key
	if s.cfg.VirtualHost {
		u.Host = s.cfg.Bucket + "." + u.Host
	} else {
		path = "/" + s.cfg.Bucket + path
	}
	return u.Scheme + "://" + u.Host + awsEscape(strings.TrimRight(u.Path, "/")+path, false), nil
}

// do signs and sends one request.
func (s *S3) do(ctx context.Context, method, key string, body io.Reader, size int64, payloadHash string) (*http.Response, error) {
	target, err := s.objectURL(key)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return nil, fmt.Errorf("s3 %s %s: %w", method, key, err)
	}
	if body != nil {
		req.Body, req.ContentLength = io.NopCloser(body), size
		if size == 0 {
			req.Body = http.NoBody
		}
	}
	SignV4(req, s.cfg.AccessKey, s.cfg.SecretKey, s.cfg.Region, "s3", payloadHash, s.cfg.Now())
	res, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("s3 %s %s: %w", method, key, err)
	}
	return res, nil
}

// Put uploads r as key's object. The payload is hashed first (it is signed
// too), then read again to send it.
func (s *S3) Put(ctx context.Context, key string, r io.ReadSeeker, size int64) error {
	if size > maxPut {
		return fmt.Errorf("s3 put %s: %d bytes is over S3's 5 GiB single upload", key, size)
	}
	h := sha256.New()
	if n, err := io.Copy(h, r); err != nil || n != size {
		return fmt.Errorf("s3 put %s: read %d of %d bytes: %v", key, n, size, err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("s3 put %s: %w", key, err)
	}
	res, err := s.do(ctx, http.MethodPut, key, r, size, hex.EncodeToString(h.Sum(nil)))
	if err != nil {
		return err
	}
	defer drain(res)
	if res.StatusCode/100 != 2 {
		return s3Error("put", key, res)
	}
	return nil
}

// Open downloads key's object; the body streams as it is read.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	res, err := s.do(ctx, http.MethodGet, key, nil, 0, EmptySHA256)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case res.StatusCode == http.StatusNotFound:
		drain(res)
		return nil, 0, fmt.Errorf("s3 get %s: %w", key, fs.ErrNotExist)
	case res.StatusCode/100 != 2:
		defer drain(res)
		return nil, 0, s3Error("get", key, res)
	}
	return res.Body, res.ContentLength, nil
}

// Delete removes key's object; S3 answers 204 whether or not it existed.
func (s *S3) Delete(ctx context.Context, key string) error {
	res, err := s.do(ctx, http.MethodDelete, key, nil, 0, EmptySHA256)
	if err != nil {
		return err
	}
	defer drain(res)
	if res.StatusCode/100 != 2 && res.StatusCode != http.StatusNotFound {
		return s3Error("delete", key, res)
	}
	return nil
}

// s3Error reads S3's XML error body (<Error><Code>...</Code><Message>...).
func s3Error(op, key string, res *http.Response) error {
	var body struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 8<<10))
	if xml.Unmarshal(raw, &body) == nil && body.Code != "" {
		return fmt.Errorf("s3 %s %s: %s: %s: %s", op, key, res.Status, body.Code, body.Message)
	}
	return fmt.Errorf("s3 %s %s: %s", op, key, res.Status)
}

// drain reads a little of what is left so the connection can be reused.
func drain(res *http.Response) {
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
}
