// Package s3test is an S3-compatible server in memory for tests: it checks
// every request's AWS Signature Version 4 against the secret it was given
// (and the payload hash against the body), and keeps objects by path.
package s3test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts/filestore"
)

// Server is a running fake; its URL is the endpoint, any bucket name works
// (path style: the bucket is the path's first segment).
type Server struct {
	URL      string
	Listener string // host:port it listens on
	secret   string
	mu       sync.Mutex
	objects  map[string][]byte
	requests []string
}

// New starts a fake closed when the test ends.
func New(t testing.TB, secret string) *Server {
	s := &Server{secret: secret, objects: map[string][]byte{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL, s.Listener = srv.URL, srv.Listener.Addr().String()
	return s
}

// Object returns the object at path (e.g. /bucket/key) and whether it exists.
func (s *Server) Object(path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[path]
	return b, ok
}

// Objects counts the stored objects.
func (s *Server) Objects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objects)
}

// Requests lists the authenticated requests as "METHOD path".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

var authRe = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([\w]+)/(\d{8})/([\w-]+)/s3/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`)

func fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>`+code+`</Code><Message>`+msg+`</Message></Error>`)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m := authRe.FindStringSubmatch(r.Header.Get("Authorization"))
	amzDate, payload := r.Header.Get("X-Amz-Date"), r.Header.Get("X-Amz-Content-Sha256")
	if m == nil || amzDate == "" || payload == "" {
		fail(w, http.StatusForbidden, "AccessDenied", "missing or malformed SigV4 headers")
		return
	}
	sum := sha256.Sum256(body)
	if payload != hex.EncodeToString(sum[:]) {
		fail(w, http.StatusBadRequest, "XAmzContentSHA256Mismatch", "payload hash "+payload)
		return
	}
	at, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, m[2]) {
		fail(w, http.StatusForbidden, "AccessDenied", "bad X-Amz-Date")
		return
	}
	// Sign the request as received, with just the headers it says it signed.
	check, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.EscapedPath(), nil)
	check.Host = r.Host
	for _, h := range strings.Split(m[4], ";") {
		if h != "host" && h != "x-amz-date" && h != "x-amz-content-sha256" {
			check.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	filestore.SignV4(check, m[1], s.secret, m[3], "s3", payload, at)
	if check.Header.Get("Authorization") != r.Header.Get("Authorization") {
		fail(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	switch r.Method {
	case http.MethodPut:
		if r.ContentLength != int64(len(body)) {
			fail(w, http.StatusBadRequest, "IncompleteBody", "Content-Length differs from the body")
			return
		}
		s.objects[r.URL.Path] = body
	case http.MethodGet:
		obj, ok := s.objects[r.URL.Path]
		if !ok {
			fail(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			return
		}
		w.Write(obj)
	case http.MethodDelete:
		delete(s.objects, r.URL.Path)
		w.WriteHeader(http.StatusNoContent)
	default:
		fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", r.Method)
	}
}
