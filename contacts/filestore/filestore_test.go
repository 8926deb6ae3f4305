package filestore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
	"github.com/switchboard-oss/switchboard/contacts/filestore/s3test"
)

// The examples of AWS's "Signature Calculations for the Authorization
// Header" page (S3 API reference), with its documented signatures.
func TestSignV4AWSExamples(t *testing.T) {
	const access, secret = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

	get, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	get.Header.Set("Range", "bytes=0-9")
	filestore.SignV4(get, access, secret, "us-east-1", "s3", filestore.EmptySHA256, at)
	want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	if got := get.Header.Get("Authorization"); got != want {
		t.Errorf("GET object:\n got %s\nwant %s", got, want)
	}

	body := "Welcome to Amazon S3."
	sum := sha256.Sum256([]byte(body))
	put, _ := http.NewRequest("PUT", "https://examplebucket.s3.amazonaws.com/test$file.text", strings.NewReader(body))
	put.Header.Set("Date", "Fri, 24 May 2013 00:00:00 GMT")
	put.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	filestore.SignV4(put, access, secret, "us-east-1", "s3", hex.EncodeToString(sum[:]), at)
	want = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
		"SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
	if got := put.Header.Get("Authorization"); got != want {
		t.Errorf("PUT object:\n got %s\nwant %s", got, want)
	}
}

// roundTrip puts, opens and deletes a file through a store.
func roundTrip(t *testing.T, st contacts.FileStore) {
	ctx := context.Background()
	data := []byte("id,email\n1,a@example.com\n")
	if err := st.Put(ctx, "7/export-1-ab.csv", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	rc, size, err := st.Open(ctx, "7/export-1-ab.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, data) || size != int64(len(data)) {
		t.Errorf("read back %q (%d bytes)", got, size)
	}
	if err := st.Delete(ctx, "7/export-1-ab.csv"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Open(ctx, "7/export-1-ab.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open after delete: %v, want fs.ErrNotExist", err)
	}
	if err := st.Delete(ctx, "7/export-1-ab.csv"); err != nil {
		t.Errorf("delete of a missing file: %v", err)
	}
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	l := filestore.NewLocal(filepath.Join(dir, "exports"))
	roundTrip(t, l)

	ctx := context.Background()
	for _, key := range []string{"", "../x", "/etc/passwd", "a/../../x"} {
		if err := l.Put(ctx, key, strings.NewReader("x"), 1); err == nil {
			t.Errorf("key %q accepted", key)
		}
		if _, _, err := l.Open(ctx, key); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("open %q: %v", key, err)
		}
	}
	// A short reader is an error and leaves nothing behind.
	if err := l.Put(ctx, "1/short.csv", strings.NewReader("abc"), 10); err == nil {
		t.Error("a short body was accepted")
	}
	if _, _, err := l.Open(ctx, "1/short.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("short put left a file: %v", err)
	}

	// PutFile moves a finished file in.
	src := filepath.Join(dir, "done.part")
	if err := os.WriteFile(src, []byte("moved"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := l.PutFile(ctx, "2/export-9.csv", src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("source still there: %v", err)
	}
	rc, _, err := l.Open(ctx, "2/export-9.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "moved" {
		t.Errorf("moved file holds %q", got)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "exports", "1"))
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

func TestS3(t *testing.T) {
	for _, virtual := range []bool{false, true} {
		fake := s3test.New(t, "s3cr3t")
		cfg := filestore.S3Config{Endpoint: fake.URL, Bucket: "bkt", Region: "eu-central-1", AccessKey: "AK", SecretKey: "s3cr3t", Prefix: "sb/"}
		if virtual {
			// A virtual-host bucket: the client dials the test server
			// whatever the host name says.
			cfg.VirtualHost = true
			cfg.Endpoint = strings.Replace(fake.URL, "127.0.0.1", "localhost", 1)
			tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, fake.Listener)
			}}
			cfg.Client = &http.Client{Transport: tr}
		}
		s3, err := filestore.NewS3(cfg)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, s3)
		wantPath := "/bkt/sb/7/export-1-ab.csv"
		if virtual {
			wantPath = "/sb/7/export-1-ab.csv"
		}
		if reqs := fake.Requests(); len(reqs) == 0 || reqs[0] != "PUT "+wantPath {
			t.Errorf("virtual=%v: requests %v, want a PUT of %s first", virtual, reqs, wantPath)
		}
	}
}

func TestS3Errors(t *testing.T) {
	fake := s3test.New(t, "right")
	s3, err := filestore.NewS3(filestore.S3Config{Endpoint: fake.URL, Bucket: "b", AccessKey: "AK", SecretKey: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	err = s3.Put(context.Background(), "k.csv", strings.NewReader("x"), 1)
	if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Errorf("wrong secret: %v", err)
	}
	if _, _, err := s3.Open(context.Background(), "k.csv"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open with a wrong secret: %v", err)
	}
	for _, cfg := range []filestore.S3Config{
		{Endpoint: "ftp://x", Bucket: "b", AccessKey: "a", SecretKey: "s"},
		{Endpoint: "http://x", Bucket: "", AccessKey: "a", SecretKey: "s"},
		{Endpoint: "http://x", Bucket: "b/c", AccessKey: "a", SecretKey: "s"},
		{Endpoint: "http://x", Bucket: "b"},
		{Endpoint: "not a url", Bucket: "b", AccessKey: "a", SecretKey: "s"},
	} {
		if _, err := filestore.NewS3(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	s3, _ = filestore.NewS3(filestore.S3Config{Endpoint: fake.URL, Bucket: "b", AccessKey: "AK", SecretKey: "right"})
	if err := s3.Put(context.Background(), "../x", strings.NewReader("x"), 1); err == nil {
		t.Error("a key leaving the prefix was accepted")
	}
}
