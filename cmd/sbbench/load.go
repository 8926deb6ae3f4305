package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// load drives an HTTP endpoint with closed-loop concurrent clients for a
// fixed time and prints throughput and latency. In URLs and bodies, {id}
// becomes a random number in [1, --ids] and {n} a unique sequence number.
func load(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	url := fs.String("url", "http://127.0.0.1:8080/api/v1/contacts/{id}", "URL template")
	method := fs.String("method", "GET", "HTTP method")
	body := fs.String("body", "", "body template")
	key := fs.String("key", os.Getenv("SWITCHBOARD_API_KEY"), "API key")
	conc := fs.Int("c", 50, "concurrent connections")
	dur := fs.Duration("d", 10*time.Second, "duration")
	ids := fs.Int("ids", 1_000_000, "range of {id}")
	seq0 := fs.Int("seq", 0, "first {n}")
	header := fs.String("header", "", "an extra request header, Name: value")
	fs.Parse(args)

	client := &fasthttp.Client{MaxConnsPerHost: *conc, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var mu sync.Mutex
	var all latencies
	codes := map[int]int{}
	var seq struct {
		sync.Mutex
		n int
	}
	seq.n = *seq0
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var lat latencies
			mine := map[int]int{}
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				seq.Lock()
				n := seq.n
				seq.n++
				seq.Unlock()
				fill := func(s string) string {
					s = strings.ReplaceAll(s, "{id}", strconv.Itoa(1+r.IntN(*ids)))
					return strings.ReplaceAll(s, "{n}", strconv.Itoa(n))
				}
				req.Reset()
				req.SetRequestURI(fill(*url))
				req.Header.SetMethod(*method)
				if *key != "" {
					req.Header.Set("Authorization", "Bearer "+*key)
				}
				if name, value, ok := strings.Cut(*header, ":"); ok {
					req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
				}
				if *body != "" {
					req.Header.SetContentType("application/json")
					req.SetBodyString(fill(*body))
				}
				t0 := time.Now()
				err := client.Do(req, resp)
				lat = append(lat, time.Since(t0))
				if err != nil {
					mine[-1]++
				} else {
					mine[resp.StatusCode()]++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			for k, v := range mine {
				codes[k] += v
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	fmt.Printf("%s %s c=%d: %.0f req/s, %s, status %v\n", *method, *url, *conc, float64(len(all))/dur.Seconds(), all, codes)
	return nil
}
