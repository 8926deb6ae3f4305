package webui

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Cookie names. The session cookie is HttpOnly and SameSite=Lax; forms and
// the UI's own API calls also carry the session's CSRF token, so a request
// another site makes with the cookie is still refused.
const (
	sessionCookie   = "sb_session"
	loginCSRFCookie = "sb_login_csrf"
	flashCookie     = "sb_flash"
	csrfHeader      = "X-CSRF-Token"
	csrfField       = "_csrf"
)

// Login attempts allowed per client address and per email in loginWindow.
const (
	loginAttempts = 10
	loginWindow   = 15 * time.Minute
)

const sessionKey localsKey = 100

// uiSession is the request's session, nil before requireSession.
func uiSession(c *fiber.Ctx) *contacts.Session {
	sess, _ := c.Locals(sessionKey).(*contacts.Session)
	return sess
}

// uiActor is who the UI request acts as.
func uiActor(c *fiber.Ctx) contacts.Actor { return uiSession(c).Actor() }

func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration, httpOnly bool) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: httpOnly, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"}
	if maxAge > 0 {
		ck.Expires = time.Now().Add(maxAge)
		ck.MaxAge = int(maxAge / time.Second)
	} else if maxAge < 0 {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	}
	c.Cookie(ck)
}

// setFlash leaves a one-line message for the next page the user sees.
func (s *Server) setFlash(c *fiber.Ctx, msg string) {
	s.setCookie(c, flashCookie, url.QueryEscape(msg), time.Minute, true)
}

func takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(flashCookie)
	if v == "" {
		return ""
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Path: "/", Expires: time.Unix(1, 0), MaxAge: -1})
	msg, err := url.QueryUnescape(v)
	if err != nil {
		return ""
	}
	return msg
}

// requireSession admits a request with a live session cookie (else sends
// the browser to the login page), checks the CSRF token on every request
// that changes something, and bounds the request's work.
func (s *Server) requireSession(c *fiber.Ctx) error {
	sess, err := s.svc.SessionBySecret(c.UserContext(), c.Cookies(sessionCookie))
	if err != nil {
		if errors.Is(err, contacts.ErrUnauthorized) {
			if c.Method() == fiber.MethodGet && !isFragment(c) {
				return c.Redirect("/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
			}
			return contacts.ErrUnauthorized
		}
		return err
	}
	if !safeMethod(c.Method()) && !validCSRF(c, sess.CSRF) {
		return &requestError{fiber.StatusForbidden, "the form has expired or came from another site: reload the page and try again"}
	}
	c.Locals(sessionKey, sess)
	ctx, cancel := context.WithTimeout(c.UserContext(), requestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

func validCSRF(c *fiber.Ctx, want string) bool {
	got := c.Get(csrfHeader)
	if got == "" {
		got = c.FormValue(csrfField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// sessionAuth lets the UI's scripts call the JSON API with the session
// cookie. Only a request carrying the CSRF header counts, so a form another
// site posts with the cookie gets no further than 401.
func (s *Server) sessionAuth(c *fiber.Ctx) (*principal, error) {
	secret := c.Cookies(sessionCookie)
	if secret == "" {
		return nil, nil
	}
	sess, err := s.svc.SessionBySecret(c.UserContext(), secret)
	if err != nil {
		if errors.Is(err, contacts.ErrUnauthorized) {
			return nil, nil
		}
		return nil, err
	}
	if !safeMethod(c.Method()) && !validCSRF(c, sess.CSRF) {
		return nil, &requestError{fiber.StatusForbidden, "missing or wrong " + csrfHeader + " header"}
	}
	c.Locals(sessionKey, sess)
	return &principal{Actor: sess.Actor(), ProjectID: sess.ProjectID}, nil
}

type loginData struct {
	Email string
	Next  string
	Error string
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	return s.renderLogin(c, fiber.StatusOK, loginData{Next: safeNext(c.Query("next"))})
}

// Forms re-rendered with their errors answer 200, as HTML forms do: the
// page is a good answer, and the browser logs no failed load.

// renderLogin shows the login form with a fresh double-submit CSRF token:
// there is no session yet to hold one.
func (s *Server) renderLogin(c *fiber.Ctx, status int, d loginData) error {
	token, err := contacts.RandomPassword()
	if err != nil {
		return err
	}
	s.setCookie(c, loginCSRFCookie, token, time.Hour, true)
	c.Status(status)
	return s.render(c, "login", uiView{Title: "Sign in", CSRF: token, Data: d})
}

func (s *Server) login(c *fiber.Ctx) error {
	d := loginData{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next"))}
	want := c.Cookies(loginCSRFCookie)
	if want == "" || subtle.ConstantTimeCompare([]byte(c.FormValue(csrfField)), []byte(want)) != 1 {
		d.Error = "The form expired. Please sign in again."
		return s.renderLogin(c, fiber.StatusForbidden, d)
	}
	if !s.logins.allow("ip:"+s.clientIP(c)) || !s.logins.allow("email:"+strings.ToLower(d.Email)) {
		d.Error = "Too many sign-in attempts. Wait a few minutes and try again."
		return s.renderLogin(c, fiber.StatusTooManyRequests, d)
	}
	_, secret, err := s.svc.Login(c.UserContext(), d.Email, c.FormValue("password"))
	switch {
	case errors.Is(err, contacts.ErrUnauthorized):
		d.Error = "Wrong email or password."
		return s.renderLogin(c, fiber.StatusOK, d)
	case errors.Is(err, contacts.ErrForbidden):
		d.Error = "Your account belongs to no project yet. Ask an owner to add you."
		return s.renderLogin(c, fiber.StatusOK, d)
	case err != nil:
		return err
	}
	s.setCookie(c, loginCSRFCookie, "", -1, true)
	s.setCookie(c, sessionCookie, secret, contacts.SessionIdle, true)
	next := d.Next
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.svc.Logout(c.UserContext(), uiSession(c)); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, "", -1, true)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// switchProject moves the session to another project and reloads the page
// the user was on (its ids may not exist in the new project, so the
// section's start page).
func (s *Server) switchProject(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.FormValue("project_id"), 10, 64)
	if err != nil {
		return badRequest("project_id must be a number")
	}
	if err := s.svc.SwitchProject(c.UserContext(), uiSession(c), id); err != nil {
		return err
	}
	next := safeNext(c.FormValue("next"))
	if i := strings.IndexAny(strings.TrimPrefix(next, "/"), "/?"); i >= 0 {
		next = next[:i+1]
	}
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

type accountData struct {
	Errors map[string]string
	Done   bool
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	return s.page(c, "account", "Your account", "account", accountData{})
}

func (s *Server) changePassword(c *fiber.Ctx) error {
	d := accountData{}
	if c.FormValue("new_password") != c.FormValue("confirm_password") {
		d.Errors = map[string]string{"confirm_password": "does not match the new password"}
		return s.page(c, "account", "Your account", "account", d)
	}
	err := s.svc.ChangePassword(c.UserContext(), uiSession(c), c.FormValue("current_password"), c.FormValue("new_password"))
	var ve *contacts.ValidationError
	switch {
	case errors.As(err, &ve):
		d.Errors = ve.Fields
	case err != nil:
		return err
	default:
		d.Done = true
	}
	return s.page(c, "account", "Your account", "account", d)
}

// safeNext keeps a redirect target on this site: a path, never a scheme or
// another host ("//evil.example").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
