package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/filestore"
)

// exportFlags configure where contact exports are kept and for how long:
// the data directory by default, an S3-compatible bucket when an endpoint
// and bucket are named.
type exportFlags struct {
	ttl                                      *time.Duration
	endpoint, bucket, region, access, secret *string
	prefix                                   *string
	virtualHost                              *bool
}

func addExportFlags(fs *flag.FlagSet, c *common) *exportFlags {
	return &exportFlags{
		ttl: fs.Duration("export-ttl", c.envDuration("SWITCHBOARD_EXPORT_TTL", contacts.DefaultExportTTL),
			"how long a finished contact export can be downloaded before its file is deleted (env SWITCHBOARD_EXPORT_TTL)"),
		endpoint: fs.String("export-s3-endpoint", envOr("SWITCHBOARD_EXPORT_S3_ENDPOINT", ""),
			"keep exports in an S3-compatible bucket at this URL, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000; empty: in --data-dir (env SWITCHBOARD_EXPORT_S3_ENDPOINT)"),
		bucket: fs.String("export-s3-bucket", envOr("SWITCHBOARD_EXPORT_S3_BUCKET", ""), "the exports bucket (env SWITCHBOARD_EXPORT_S3_BUCKET)"),
		region: fs.String("export-s3-region", envOr("SWITCHBOARD_EXPORT_S3_REGION", "us-east-1"), "the bucket's region (env SWITCHBOARD_EXPORT_S3_REGION)"),
		access: fs.String("export-s3-access-key", envOr("SWITCHBOARD_EXPORT_S3_ACCESS_KEY", ""), "access key id (env SWITCHBOARD_EXPORT_S3_ACCESS_KEY)"),
		secret: fs.String("export-s3-secret-key", envOr("SWITCHBOARD_EXPORT_S3_SECRET_KEY", ""),
			"secret access key; prefer the environment, flags show in process lists (env SWITCHBOARD_EXPORT_S3_SECRET_KEY)"),
		prefix: fs.String("export-s3-prefix", envOr("SWITCHBOARD_EXPORT_S3_PREFIX", ""),
			"put before every object name, e.g. switchboard/ (env SWITCHBOARD_EXPORT_S3_PREFIX)"),
		virtualHost: fs.Bool("export-s3-virtual-host", envOr("SWITCHBOARD_EXPORT_S3_VIRTUAL_HOST", "") == "true",
			"address the bucket as bucket.endpoint-host rather than endpoint/bucket (env SWITCHBOARD_EXPORT_S3_VIRTUAL_HOST=true)"),
	}
}

// build returns the exporter serve hands to the web server and whose
// PurgeExpired the scheduler runs, and a description for the log. Files
// are written in dataDir first either way.
func (f *exportFlags) build(svc *contacts.Service, dataDir string, log *slog.Logger) (*contacts.Exporter, string, error) {
	local := filepath.Join(dataDir, "exports")
	cfg := contacts.ExporterConfig{Service: svc, TTL: *f.ttl, TempDir: filepath.Join(local, ".tmp"), Logger: log}
	if *f.ttl <= 0 {
		return nil, "", errors.New("--export-ttl must be positive")
	}
	if *f.endpoint == "" && *f.bucket == "" {
		cfg.Files = filestore.NewLocal(local)
		return contacts.NewExporter(cfg), "directory " + local, nil
	}
	s3, err := filestore.NewS3(filestore.S3Config{Endpoint: *f.endpoint, Bucket: *f.bucket, Region: *f.region,
		AccessKey: *f.access, SecretKey: *f.secret, Prefix: *f.prefix, VirtualHost: *f.virtualHost})
	if err != nil {
		return nil, "", fmt.Errorf("--export-s3-*: %w", err)
	}
	cfg.Files = s3
	return contacts.NewExporter(cfg), fmt.Sprintf("s3 bucket %s at %s", *f.bucket, *f.endpoint), nil
}
