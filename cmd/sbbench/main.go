// Command sbbench measures Switchboard's figures on this machine: bulk
// seeding against a bare INSERT, search and list latency at scale, and HTTP
// throughput against a bare Fiber handler. docs/benchmarks.md lists the
// commands and what they printed.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sbbench seed|search|load|bare [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(ctx, os.Args[2:])
	case "search":
		err = search(ctx, os.Args[2:])
	case "load":
		err = load(ctx, os.Args[2:])
	case "bare":
		err = bare(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sbbench:", err)
		os.Exit(1)
	}
}

// latencies summarises a sample of durations.
type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append(latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p / 100 * float64(len(s)))
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

func (l latencies) String() string {
	return fmt.Sprintf("n=%d p50=%s p90=%s p99=%s max=%s", len(l), ms(l.pct(50)), ms(l.pct(90)), ms(l.pct(99)), ms(l.pct(100)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
