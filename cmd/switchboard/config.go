package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
)

// common are the flags every command takes. Each flag has a SWITCHBOARD_*
// environment twin; an explicit flag wins over the environment.
type common struct {
	envErrs  []error
	db       string
	region   string
	logLevel string
	logJSON  bool
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envDuration reads a duration's environment twin; a value that does not
// parse is reported by envErr after the flags are parsed.
func (c *common) envDuration(name string, def time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q: want a positive duration such as 30m", name, v))
		return def
	}
	return d
}

func (c *common) envErr() error { return errors.Join(c.envErrs...) }

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("switchboard "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	fs.StringVar(&c.db, "db", envOr("SWITCHBOARD_DATABASE_URL", "switchboard.db"),
		"database: a SQLite path or sqlite://path, or a postgres:// URL (env SWITCHBOARD_DATABASE_URL)")
	fs.StringVar(&c.region, "default-region", envOr("SWITCHBOARD_DEFAULT_REGION", "US"),
		"region for phone numbers written without +, ISO 3166 alpha-2 (env SWITCHBOARD_DEFAULT_REGION)")
	fs.StringVar(&c.logLevel, "log-level", envOr("SWITCHBOARD_LOG_LEVEL", "info"), "debug, info, warn or error (env SWITCHBOARD_LOG_LEVEL)")
	fs.BoolVar(&c.logJSON, "log-json", envOr("SWITCHBOARD_LOG_JSON", "") == "true", "log as JSON lines (env SWITCHBOARD_LOG_JSON=true)")
	return fs, c
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// open builds the logger, connects to and migrates the database, and builds
// the service: what every command does after parsing its flags.
func (c *common) open(ctx context.Context, logTo io.Writer) (*slog.Logger, *sqlstore.DB, *contacts.Service, error) {
	log, err := c.logger(logTo)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(c.region) != 2 {
		return nil, nil, nil, fmt.Errorf("--default-region %q: want a two-letter country code", c.region)
	}
	db, err := sqlstore.Open(ctx, c.db, sqlstore.Options{})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database %s: %w", redactDSN(c.db), err)
	}
	svc := contacts.NewService(contacts.Config{Store: db, DefaultRegion: strings.ToUpper(c.region), Logger: log})
	return log, db, svc, nil
}

// redactDSN hides a password in a database URL before it is printed.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.Index(dsn[i+3:], "@"); at >= 0 {
			cred := dsn[i+3 : i+3+at]
			if colon := strings.Index(cred, ":"); colon >= 0 {
				return dsn[:i+3] + cred[:colon] + ":***" + dsn[i+3+at:]
			}
		}
	}
	return dsn
}
