package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/sqlstore"
	"github.com/switchboard-oss/switchboard/contacts/synth"
)

// search times contact searches and filtered list pages through the service
// (no HTTP), each including its total count.
func search(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("search", flag.ExitOnError)
	dbPath := fs.String("db", "bench.db", "seeded database")
	n := fs.Int("n", 1_000_000, "contacts the database was seeded with")
	rounds := fs.Int("rounds", 500, "queries per kind")
	fs.Parse(args)
	db, err := sqlstore.Open(ctx, *dbPath, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := contacts.NewService(contacts.Config{Store: db})
	p, err := svc.ProjectByName(ctx, "Bench")
	if err != nil {
		return err
	}
	now := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	sample := func() *contacts.Contact { return synth.Contact(p.ID, r.IntN(*n), now) }
	kinds := []struct {
		name string
		q    func() string
	}{
		{"name prefix", func() string { return prefix(sample().LastName, 4) }},
		{"company word", func() string {
			for {
				if c := sample(); c.Company != "" {
					return strings.Fields(c.Company)[0]
				}
			}
		}},
		{"4 phone digits", func() string {
			for {
				if c := sample(); c.Phone != "" {
					k := 2 + r.IntN(len(c.Phone)-5)
					return c.Phone[k : k+4]
				}
			}
		}},
		{"email fragment", func() string {
			for {
				if c := sample(); c.Email != "" {
					at := 0
					for i := range c.Email {
						if c.Email[i] == '@' {
							at = i
						}
					}
					return c.Email[max(0, at-6) : at+4]
				}
			}
		}},
	}
	for _, k := range kinds {
		var lat latencies
		var totals int
		for i := 0; i < *rounds; i++ {
			q := k.q()
			t0 := time.Now()
			res, err := svc.ListContacts(ctx, contacts.ListQuery{ProjectID: p.ID, Q: q})
			if err != nil {
				return fmt.Errorf("q=%q: %w", q, err)
			}
			lat = append(lat, time.Since(t0))
			totals += res.Total
		}
		fmt.Printf("search %-15s %s (mean total %d)\n", k.name, lat, totals / *rounds)
	}
	return nil
}

func prefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}
