package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/channels/telegram/telegramtest"
)

// When the test binary is started with this variable set, it is the
// switchboard binary: the crash test runs serve in a child process it can
// SIGKILL.
const childEnv = "SWITCHBOARD_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		if err := run(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func startChild(t *testing.T, stdout *syncBuffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\x1f"))
	cmd.Stdout, cmd.Stderr = stdout, stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
	}
}

// TestCrashAfterAcknowledge kills serve with SIGKILL right after N webhook
// messages were acknowledged (with the reply workers off, so their jobs are
// still queued), restarts it, and checks that all N messages are stored
// once and that their queued replies still go out.
func TestCrashAfterAcknowledge(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	api := telegramtest.NewFakeBotAPI(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	addr := freeAddr(t)
	base := "http://" + addr
	var out syncBuffer
	child := startChild(t, &out, "serve", "--db", db, "--addr", addr, "--workers", "0")
	waitHealthy(t, base)
	key := regexp.MustCompile(`API key:\s+(sb_\S+)`).FindStringSubmatch(out.String())
	if key == nil {
		t.Fatalf("no key printed:\n%s", out.String())
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/channels", strings.NewReader(
		`{"type": "telegram", "config": {"token": "123:abc", "secret_token": "crash-secret-0123456789", "api_url": "`+api.URL+`"}}`))
	req.Header.Set("Authorization", "Bearer "+key[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create channel: %v %v", err, resp)
	}
	resp.Body.Close()

	const n = 40
	var wg sync.WaitGroup
	acked := make(chan int, n)
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"update_id": %d, "message": {"message_id": %d, "from": {"id": %d, "is_bot": false, "first_name": "U%d"},
				"chat": {"id": %d, "type": "private"}, "date": 1767000000, "text": "hello %d"}}`, i, i, 7000+i, i, 7000+i, i)
			req, _ := http.NewRequest("POST", base+"/channels/telegram/1/webhook", strings.NewReader(body))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "crash-secret-0123456789")
			req.Header.Set("Content-Type", "application/json")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					acked <- i
				}
			}
		}()
	}
	wg.Wait()
	close(acked)
	if len(acked) != n {
		t.Fatalf("%d of %d acknowledged", len(acked), n)
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()

	// Everything acknowledged is on disk, once.
	check, err := sqlx.Open("sqlite3", "file:"+db+"?_query_only=true")
	if err != nil {
		t.Fatal(err)
	}
	var msgs, contacts, jobs int
	check.Get(&msgs, `SELECT COUNT(*) FROM messages WHERE direction = 'inbound'`)
	check.Get(&contacts, `SELECT COUNT(*) FROM contacts`)
	check.Get(&jobs, `SELECT COUNT(*) FROM queue WHERE done_at IS NULL`)
	check.Close()
	if msgs != n || contacts != n || jobs != n {
		t.Fatalf("after SIGKILL: %d messages, %d contacts, %d queued jobs; want %d each", msgs, contacts, jobs, n)
	}

	// Restarted with workers, the queued replies go out.
	var out2 syncBuffer
	startChild(t, &out2, "serve", "--db", db, "--addr", addr)
	waitHealthy(t, base)
	for deadline := time.Now().Add(20 * time.Second); len(api.Sends()) < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d queued replies sent after restart\n%s", len(api.Sends()), n, out2.String())
		}
	}
	chats := map[string]bool{}
	for _, s := range api.Sends() {
		chats[s["chat_id"]] = true
	}
	if len(chats) != n {
		t.Errorf("replies went to %d distinct chats, want %d", len(chats), n)
	}
}
