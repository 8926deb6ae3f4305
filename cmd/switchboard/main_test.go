package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// dsns are the databases the end-to-end tests run against.
func dsns(t *testing.T) map[string]string {
	m := map[string]string{"sqlite": filepath.Join(t.TempDir(), "sb.db")}
	if pg := sqlstore.TestPostgresDSN(t); pg != "" {
		m["postgres"] = pg
	}
	return m
}

func TestServeEndToEnd(t *testing.T) {
	for name, dsn := range dsns(t) {
		t.Run(name, func(t *testing.T) {
			addr := freeAddr(t)
			ctx, cancel := context.WithCancel(context.Background())
			var stdout, stderr syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"serve", "--db", dsn, "--addr", addr}, strings.NewReader(""), &stdout, &stderr)
			}()
			base := "http://" + addr
			deadline := time.Now().Add(10 * time.Second)
			for {
				resp, err := http.Get(base + "/healthz")
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == 200 {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("server did not come up: %v\n%s", err, stderr.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			key := regexp.MustCompile(`API key:\s+(sb_\S+)`).FindStringSubmatch(stdout.String())
			pw := regexp.MustCompile(`Password:\s+(\S+)`).FindStringSubmatch(stdout.String())
			if key == nil || pw == nil || !strings.Contains(stdout.String(), "admin@localhost") {
				t.Fatalf("first start did not print the credentials:\n%s", stdout.String())
			}
			req, _ := http.NewRequest("POST", base+"/api/v1/contacts", strings.NewReader(`{"name":"Ann Lee","email":"ann@example.com"}`))
			req.Header.Set("Authorization", "Bearer "+key[1])
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 201 {
				t.Fatalf("create contact: %v %v", err, resp)
			}
			var c struct{ ID int64 }
			json.NewDecoder(resp.Body).Decode(&c)
			resp.Body.Close()

			// A widget visitor's message reaches a contact, and the running
			// worker answers it.
			req, _ = http.NewRequest("POST", base+"/api/v1/channels", strings.NewReader(`{"type": "widget"}`))
			req.Header.Set("Authorization", "Bearer "+key[1])
			resp, err = http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 201 {
				t.Fatalf("create widget channel: %v %v", err, resp)
			}
			var ch struct {
				PublicKey string `json:"public_key"`
			}
			json.NewDecoder(resp.Body).Decode(&ch)
			resp.Body.Close()
			chat := base + "/channels/widget/" + ch.PublicKey + "/messages"
			resp, err = http.Post(chat, "application/json", strings.NewReader(`{"visitor_id": "visitor_e2e_1", "text": "hello", "name": "Eve"}`))
			if err != nil || resp.StatusCode != 201 {
				t.Fatalf("widget message: %v %v", err, resp)
			}
			resp.Body.Close()
			for deadline := time.Now().Add(10 * time.Second); ; {
				resp, err := http.Get(chat + "?visitor_id=visitor_e2e_1")
				if err != nil {
					t.Fatal(err)
				}
				var poll struct{ Messages []struct{ Text string } }
				json.NewDecoder(resp.Body).Decode(&poll)
				resp.Body.Close()
				if len(poll.Messages) == 2 && strings.HasPrefix(poll.Messages[1].Text, "Hi Eve!") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no bot reply: %+v", poll)
				}
				time.Sleep(50 * time.Millisecond)
			}

			// A slow in-flight request still completes during shutdown.
			slow := make(chan int, 1)
			go func() {
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/contacts/%d", base, c.ID), nil)
				req.Header.Set("Authorization", "Bearer "+key[1])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					slow <- 0
					return
				}
				resp.Body.Close()
				slow <- resp.StatusCode
			}()
			time.Sleep(20 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			if code := <-slow; code != 200 {
				t.Errorf("in-flight request got %d", code)
			}
			if !strings.Contains(stderr.String(), "database closed") {
				t.Errorf("no clean close logged:\n%s", stderr.String())
			}
			if name == "sqlite" {
				if fi, err := os.Stat(dsn + "-wal"); err == nil && fi.Size() > 0 {
					t.Errorf("WAL not checkpointed on close: %d bytes", fi.Size())
				}
			}
			// The second start keeps the data and bootstraps nothing.
			out, _, err := runCmd(t, "", "project", "create", "Second", "--db", dsn)
			if err != nil || strings.TrimSpace(out) == "" {
				t.Fatalf("project create: %v %q", err, out)
			}
		})
	}
}

func TestAdminCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "admin.db")
	if _, _, err := runCmd(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "", "project", "create", "Acme", "--db", db)
	if err != nil || !regexp.MustCompile(`^\d+\n$`).MatchString(out) {
		t.Fatalf("project create printed %q (%v)", out, err)
	}
	if _, _, err := runCmd(t, "", "project", "create", "Acme", "--db", db); err == nil {
		t.Error("duplicate project accepted")
	}
	out, _, err = runCmd(t, "", "apikey", "create", "--project", "Acme", "--db", db)
	if err != nil || !regexp.MustCompile(`^sb_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("apikey create printed %q (%v)", out, err)
	}
	if _, _, err := runCmd(t, "", "apikey", "create", "--project", "Nope", "--db", db); err == nil {
		t.Error("key for a missing project")
	}
	out, _, err = runCmd(t, "", "apikey", "list", "--db", db)
	if err != nil || !strings.Contains(out, "active") || strings.Contains(out, "sb_") && strings.Count(out, "\n") != 2 {
		t.Errorf("apikey list: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "", "apikey", "revoke", "1", "--db", db); err != nil {
		t.Error(err)
	}
	out, _, _ = runCmd(t, "", "apikey", "list", "--db", db)
	if !strings.Contains(out, "revoked") {
		t.Errorf("after revoke: %q", out)
	}
	if _, _, err := runCmd(t, "", "apikey", "revoke", "1", "--db", db); err == nil {
		t.Error("revoking twice succeeded")
	}
	out, _, err = runCmd(t, "", "user", "add", "ann@acme.test", "--project", "Acme", "--role", "owner", "--db", db)
	if err != nil || len(strings.TrimSpace(out)) < 16 {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "", "user", "add", "bob@acme.test", "--project", "Acme", "--role", "king", "--db", db); err == nil {
		t.Error("bad role accepted")
	}
	if _, _, err := runCmd(t, "new-password-1\n", "user", "passwd", "ann@acme.test", "--db", db); err != nil {
		t.Error(err)
	}
	if _, _, err := runCmd(t, "short\n", "user", "passwd", "ann@acme.test", "--db", db); err == nil {
		t.Error("short password accepted")
	}
	if _, _, err := runCmd(t, "", "bogus"); err == nil {
		t.Error("unknown command accepted")
	}
	t.Setenv("SWITCHBOARD_DATABASE_URL", db)
	if out, _, err := runCmd(t, "", "project", "create", "FromEnv"); err != nil || out == "" {
		t.Errorf("--db from the environment: %v", err)
	}

	// What the command changed is in the audit log, by "cli".
	store, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries, err := contacts.NewService(contacts.Config{Store: store}).Audit(context.Background(), contacts.AuditQuery{ProjectID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.ActorName+" "+e.Action)
	}
	if strings.Join(got, ", ") != "cli user.add, cli api_key.revoke, cli api_key.create" {
		t.Errorf("audit: %v", got)
	}
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bad.db")
	if _, _, err := runCmd(t, "", "serve", "--db", db, "--conversation-idle", "-5m"); err == nil || !strings.Contains(err.Error(), "conversation-idle") {
		t.Errorf("negative idle: %v", err)
	}
	t.Setenv("SWITCHBOARD_CONVERSATION_IDLE", "half an hour")
	if _, _, err := runCmd(t, "", "serve", "--db", db); err == nil || !strings.Contains(err.Error(), "SWITCHBOARD_CONVERSATION_IDLE") {
		t.Errorf("bad env duration: %v", err)
	}
	if _, _, err := runCmd(t, "", "project", "create", "X", "--db", db, "--default-region", "USA"); err == nil {
		t.Error("bad region accepted")
	}
}
