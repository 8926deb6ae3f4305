package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// seed fills a database with n synthetic contacts through the store's bulk
// path (the one imports use), and with --bare-db also runs the raw limit: the
// same rows as plain batched INSERTs into the same tables and indexes.
func seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	dbPath := fs.String("db", "bench.db", "database to fill (SQLite path or postgres:// URL)")
	bareDB := fs.String("bare-db", "", "also time a bare batched INSERT into this fresh SQLite file")
	n := fs.Int("n", 1_000_000, "contacts")
	chunk := fs.Int("chunk", 10_000, "contacts generated per BulkInsertContacts call")
	fs.Parse(args)

	now := time.Now().UTC().Truncate(time.Millisecond)
	if *bareDB != "" {
		if err := seedBare(ctx, *bareDB, *n, now); err != nil {
			return err
		}
	}
	db, err := sqlstore.Open(ctx, *dbPath, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := contacts.NewService(contacts.Config{Store: db})
	p, err := svc.ProjectByName(ctx, "Bench")
	if err != nil {
		if p, err = svc.CreateProject(ctx, "Bench"); err != nil {
			return err
		}
	}
	var spent time.Duration
	for start := 0; start < *n; start += *chunk {
		batch := make([]*contacts.Contact, 0, *chunk)
		for i := start; i < min(start+*chunk, *n); i++ {
			batch = append(batch, synth.Contact(p.ID, i, now))
		}
		t0 := time.Now()
		if err := db.BulkInsertContacts(ctx, batch); err != nil {
			return err
		}
		spent += time.Since(t0)
		if (start/(*chunk))%20 == 0 {
			fmt.Fprintf(os.Stderr, "store: %d contacts, %.0f/s\n", start+len(batch), float64(start+len(batch))/spent.Seconds())
		}
	}
	fmt.Printf("store bulk path: %d contacts in %.1fs = %.0f contacts/s (project id %d)\n", *n, spent.Seconds(), float64(*n)/spent.Seconds(), p.ID)
	return nil
}
