package webui

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"
)

// A secret the server makes (an API key, a webhook signing secret, a new
// user's password) is shown once, on the page the form's redirect leads
// to. It crosses the redirect in a short-lived HttpOnly cookie scoped to
// /settings, which that page deletes as it reads it: a reload shows it no
// more, and nothing is kept in the server's memory, so the page works
// whichever server process answers it.
const (
	revealCookie = "sb_reveal"
	revealPath   = "/settings"
	revealTTL    = 2 * time.Minute
)

// reveal is one secret to show once.
type reveal struct {
	Kind   string `json:"k"` // api_key, webhook_secret, password
	ID     int64  `json:"i"` // what it belongs to
	Label  string `json:"l"` // a name or email, for the page
	Secret string `json:"s"`
}

func (s *Server) setReveal(c *fiber.Ctx, r reveal) {
	raw, _ := json.Marshal(r)
	c.Cookie(&fiber.Cookie{Name: revealCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: revealPath,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https",
		MaxAge: int(revealTTL / time.Second), Expires: time.Now().Add(revealTTL)})
}

// takeReveal returns the secret of kind for id and deletes the cookie;
// nil once it was shown (or for another secret).
func takeReveal(c *fiber.Ctx, kind string, id int64) *reveal {
	v := c.Cookies(revealCookie)
	if v == "" {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: revealCookie, Path: revealPath, HTTPOnly: true, Expires: time.Unix(1, 0), MaxAge: -1})
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil
	}
	var r reveal
	if json.Unmarshal(raw, &r) != nil || r.Kind != kind || r.ID != id {
		return nil
	}
	return &r
}
