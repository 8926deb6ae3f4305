package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestExportFlags(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	parse := func(args ...string) (*exportFlags, *common) {
		t.Helper()
		fs, c := newFlags("serve", io.Discard)
		f := addExportFlags(fs, c)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return f, c
	}
	svc := contacts.NewService(contacts.Config{})
	dir := t.TempDir()

	f, _ := parse()
	x, desc, err := f.build(svc, dir, log)
	if err != nil || x == nil || desc != "directory "+filepath.Join(dir, "exports") || x.TTL() != 24*time.Hour {
		t.Errorf("default: %v %q %v", x, desc, err)
	}

	t.Setenv("SWITCHBOARD_EXPORT_TTL", "2h")
	t.Setenv("SWITCHBOARD_EXPORT_S3_ENDPOINT", "http://127.0.0.1:9000")
	t.Setenv("SWITCHBOARD_EXPORT_S3_BUCKET", "exports")
	t.Setenv("SWITCHBOARD_EXPORT_S3_ACCESS_KEY", "AK")
	t.Setenv("SWITCHBOARD_EXPORT_S3_SECRET_KEY", "SK")
	f, c := parse()
	x, desc, err = f.build(svc, dir, log)
	if err != nil || c.envErr() != nil || desc != "s3 bucket exports at http://127.0.0.1:9000" || x.TTL() != 2*time.Hour {
		t.Errorf("s3 from the environment: %q %v %v", desc, err, c.envErr())
	}

	// A bucket without credentials, or a bad TTL, stops serve.
	t.Setenv("SWITCHBOARD_EXPORT_S3_SECRET_KEY", "")
	f, _ = parse()
	if _, _, err := f.build(svc, dir, log); err == nil || !strings.Contains(err.Error(), "--export-s3-") {
		t.Errorf("missing secret: %v", err)
	}
	f, _ = parse("--export-s3-endpoint", "", "--export-s3-bucket", "", "--export-ttl", "-1h")
	if _, _, err := f.build(svc, dir, log); err == nil {
		t.Error("a negative TTL was accepted")
	}
	t.Setenv("SWITCHBOARD_EXPORT_TTL", "forever")
	if _, c = parse(); c.envErr() == nil {
		t.Error("a bad SWITCHBOARD_EXPORT_TTL was accepted")
	}
}
