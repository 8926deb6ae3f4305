package webui

import (
	wastore "go.mau.fi/whatsmeow/store/sqlstore"

	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/channels/messenger"
	"github.com/switchboard-oss/switchboard/channels/telegram"
	"github.com/switchboard-oss/switchboard/channels/whatsapp"
	"github.com/switchboard-oss/switchboard/channels/whatsappcloud"
	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/gateway"
)

// testEnv is a real server on a free port over a migrated temp SQLite
// store, with a bootstrapped project and API key.
type testEnv struct {
	t    testing.TB
	db   *sqlstore.DB
	svc  *contacts.Service
	srv  *Server
	base string
	key  string
	// password is the bootstrapped owner's (admin@localhost).
	password string
	project  *contacts.Project
	logs     *syncBuffer
}

// testTrustedProxies configures the next newEnv's trusted proxies.
var testTrustedProxies []string

// newEnv starts a server; setup runs before it listens (to add test routes).
func newEnv(t testing.TB, setup ...func(*Server)) *testEnv {
	t.Helper()
	ctx := context.Background()
	db := sqlstore.OpenTest(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := contacts.NewService(contacts.Config{Store: db, Logger: logger})
	t.Cleanup(svc.Close)
	boot, err := svc.Bootstrap(ctx)
	if err != nil || boot == nil {
		t.Fatalf("bootstrap: %v (%v)", err, boot)
	}
	router := gateway.New(gateway.Config{Service: svc, Queue: db, Logger: logger,
		Senders: map[string]channels.Sender{string(contacts.ChannelTelegram): telegram.NewSender(svc.ChannelByID),
			"messenger": messenger.NewSender(svc.ChannelByID), whatsappcloud.Type: whatsappcloud.NewSender(svc.ChannelByID)}})
	kinds := map[string]contacts.ChannelKind{"widget": widget.Kind{}, "livechat": widget.Kind{}, "telegram": telegram.Kind{},
		"messenger": messenger.Kind{}, whatsappcloud.Type: whatsappcloud.Kind{}}
	kinds[whatsapp.Type] = whatsapp.Kind{}
	pool, dialect, closeIt, err := db.SideDB()
	if err != nil {
		t.Fatal(err)
	}
	if closeIt {
		t.Cleanup(func() { pool.Close() })
	}
	container := wastore.NewWithDB(pool, dialect, nil)
	if err := container.Upgrade(ctx); err != nil {
		t.Fatalf("whatsmeow store: %v", err)
	}
	wa := whatsapp.NewManager(whatsapp.ManagerConfig{Container: container, Channels: svc.ChannelsOfType, Logger: logger})
	srv := New(Config{Service: svc, Router: router, Kinds: kinds, Logger: logger, TrustedProxies: testTrustedProxies, WhatsApp: wa})
	for _, f := range setup {
		f(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Listen(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx) // a test may have shut it down already
		if err := <-done; err != nil {
			t.Errorf("listen: %v", err)
		}
	})
	return &testEnv{t: t, db: db, svc: svc, srv: srv, base: "http://" + ln.Addr().String(),
		key: boot.APIKey, password: boot.Password, project: boot.Project, logs: logs}
}

// newProject makes another project with its own key.
func (e *testEnv) newProject(name string) (int64, string) {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.svc.CreateProject(ctx, name)
	if err != nil {
		e.t.Fatal(err)
	}
	_, secret, err := e.svc.CreateAPIKey(ctx, p.ID, name+" key")
	if err != nil {
		e.t.Fatal(err)
	}
	return p.ID, secret
}

// response is a finished request, with its body decoded when it is JSON.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// errCode is the error code of an error body.
func (r *response) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// errFields is the fields map of an error body.
func (r *response) errFields() map[string]any {
	e, _ := r.body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func (r *response) id() int64 { return int64(r.body["id"].(float64)) }

// list returns the JSON array under key as objects.
func (r *response) list(key string) []map[string]any {
	arr, ok := r.body[key].([]any)
	if !ok {
		return nil
	}
	out := make([]map[string]any, len(arr))
	for i, x := range arr {
		out[i], _ = x.(map[string]any)
	}
	return out
}

// do sends a request with the env's key.
func (e *testEnv) do(method, path string, body any) *response {
	e.t.Helper()
	return e.doAs(e.key, method, path, body)
}

// doAs sends a request with key ("" sends no Authorization). body is sent
// as is when it is a string or []byte, else as JSON.
func (e *testEnv) doAs(key, method, path string, body any) *response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.send(req)
}

// send sends a request and records its answer for the OpenAPI check.
func (e *testEnv) send(req *http.Request) *response {
	e.t.Helper()
	method, path := req.Method, req.URL.Path
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &response{status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	record(method, req.URL.Path, res.StatusCode)
	return r
}

// must asserts the status, printing the body when it differs.
func (r *response) must(t testing.TB, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// mustError asserts an error answer with status and code.
func (r *response) mustError(t testing.TB, status int, code string) *response {
	t.Helper()
	r.must(t, status)
	if got := r.errCode(); got != code {
		t.Fatalf("error code %q, want %q: %s", got, code, r.raw)
	}
	if msg, _ := r.body["error"].(map[string]any)["message"].(string); msg == "" {
		t.Fatalf("error without a message: %s", r.raw)
	}
	return r
}

// createContact makes a contact through the API and returns its JSON.
func (e *testEnv) createContact(in map[string]any) map[string]any {
	e.t.Helper()
	return e.do("POST", "/api/v1/contacts", in).must(e.t, http.StatusCreated).body
}

func idOf(c map[string]any) int64 { return int64(c["id"].(float64)) }

func idStr(c map[string]any) string { return strconv.FormatInt(idOf(c), 10) }

// Every request the tests make is recorded, so TestMain can check that its
// status is documented in openapi.json for that operation.
var (
	recordMu sync.Mutex
	records  []requestRecord
)

type requestRecord struct {
	method, path string
	status       int
}

func record(method, path string, status int) {
	recordMu.Lock()
	records = append(records, requestRecord{method, path, status})
	recordMu.Unlock()
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
