package webui

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// uiClient is a browser-like client of the admin UI: a cookie jar, no
// automatic redirects (tests check where they go), and the CSRF token of
// the last page it read.
type uiClient struct {
	t    testing.TB
	env  *testEnv
	http *http.Client
	csrf string
}

// page is a UI answer.
type page struct {
	status   int
	location string
	body     string
	header   http.Header
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

func (e *testEnv) uiClient() *uiClient {
	jar, _ := cookiejar.New(nil)
	return &uiClient{t: e.t, env: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// loginAs signs in and fails the test unless it worked.
func (e *testEnv) loginAs(email, password string) *uiClient {
	e.t.Helper()
	c := e.uiClient()
	c.get("/login")
	if p := c.postForm("/login", url.Values{"email": {email}, "password": {password}}); p.status != http.StatusSeeOther {
		e.t.Fatalf("login as %s: %d %s", email, p.status, p.body)
	}
	c.get("/") // picks up the session's CSRF token
	return c
}

// owner is a client signed in as the bootstrapped owner.
func (e *testEnv) owner() *uiClient { return e.loginAs("admin@localhost", e.password) }

func (c *uiClient) do(req *http.Request) page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(raw), header: res.Header}
	if m := csrfInput.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	} else if m := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`).FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	return p
}

func (c *uiClient) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.base+path, nil)
	return c.do(req)
}

// fragment GETs a piece of a page as the UI's scripts do.
func (c *uiClient) fragment(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.env.base+path, nil)
	req.Header.Set("X-Fragment", "1")
	return c.do(req)
}

// postForm posts a form with the current CSRF token (unless form sets one).
func (c *uiClient) postForm(path string, form url.Values) page {
	c.t.Helper()
	if _, ok := form["_csrf"]; !ok {
		form = cloneValues(form)
		form.Set("_csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.env.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// api calls the JSON API with the session cookie, as the UI's scripts do.
func (c *uiClient) api(method, path, body string, withCSRF bool) page {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.env.base+"/api/v1"+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if withCSRF {
		req.Header.Set(csrfHeader, c.csrf)
	}
	return c.do(req)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// mustContain fails unless the page has every one of the strings.
func (p page) mustContain(t testing.TB, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Fatalf("page (status %d) lacks %q:\n%s", p.status, w, p.body)
		}
	}
}
