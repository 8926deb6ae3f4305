package webui

import (
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkGetContact measures GET /api/v1/contacts/:id through the whole
// Fiber stack (auth, store, JSON) without the network.
func BenchmarkGetContact(b *testing.B) {
	e := newEnv(b)
	id := idOf(e.createContact(map[string]any{
		"name": "Bench Mark", "email": "bench@example.com", "phone": "+14155552671", "company": "Acme",
		"tags": []string{"vip", "lead"}, "telegram_id": "12345", "custom": map[string]any{"plan": "pro"},
	}))
	uri := fmt.Sprintf("/api/v1/contacts/%d", id)
	auth := "Bearer " + e.key
	h := e.srv.App().Handler()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var ctx fasthttp.RequestCtx
		for pb.Next() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.ResetUserValues()
			ctx.Request.Header.SetMethod("GET")
			ctx.Request.SetRequestURI(uri)
			ctx.Request.Header.Set("Authorization", auth)
			h(&ctx)
			if ctx.Response.StatusCode() != 200 {
				b.Fatalf("status %d: %s\n%s", ctx.Response.StatusCode(), ctx.Response.Body(), e.logs.String())
			}
		}
	})
}

// BenchmarkGetContactHTTP is the same over real keep-alive connections;
// the client shares the CPUs, so it understates the server.
func BenchmarkGetContactHTTP(b *testing.B) {
	e := newEnv(b)
	id := idOf(e.createContact(map[string]any{"name": "Bench Mark", "email": "bench@example.com", "tags": []string{"vip"}}))
	url := fmt.Sprintf("%s/api/v1/contacts/%d", e.base, id)
	auth := "Bearer " + e.key
	client := &fasthttp.Client{MaxConnsPerHost: 64}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(res)
		req.SetRequestURI(url)
		req.Header.Set("Authorization", auth)
		for pb.Next() {
			if err := client.Do(req, res); err != nil {
				b.Fatal(err)
			}
			if res.StatusCode() != 200 {
				b.Fatalf("status %d", res.StatusCode())
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
