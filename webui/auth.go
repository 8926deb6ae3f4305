package webui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// principal is who a request acts as, and in which project.
type principal struct {
	Actor     contacts.Actor
	ProjectID int64
}

// localsKey types the keys this package stores in c.Locals.
type localsKey int

const principalKey localsKey = iota

// requestTimeout bounds the work of one API request, so nothing waits on
// the store forever.
const requestTimeout = 30 * time.Second

// authenticator checks one kind of credentials. It returns (nil, nil) when
// the request carries none of its kind, so the next one can try, and an
// error when it carries them but they are wrong.
type authenticator func(c *fiber.Ctx) (*principal, error)

// requireAuth lets a request through when one of the server's
// authenticators vouches for it, else answers 401.
func (s *Server) requireAuth(c *fiber.Ctx) error {
	for _, auth := range s.auth {
		p, err := auth(c)
		if err != nil {
			return err
		}
		if p != nil {
			c.Locals(principalKey, p)
			ctx, cancel := context.WithTimeout(c.UserContext(), requestTimeout)
			defer cancel()
			c.SetUserContext(ctx)
			return c.Next()
		}
	}
	return contacts.ErrUnauthorized
}

// bearerKey authenticates `Authorization: Bearer <api key>`. API keys act as
// admins of their project.
func (s *Server) bearerKey(c *fiber.Ctx) (*principal, error) {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return nil, nil
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, contacts.ErrUnauthorized
	}
	key, err := s.svc.AuthenticateAPIKey(c.UserContext(), strings.TrimSpace(secret))
	if err != nil {
		if errors.Is(err, contacts.ErrUnauthorized) {
			return nil, contacts.ErrUnauthorized
		}
		return nil, err
	}
	name := key.Name
	if name == "" {
		name = key.Prefix
	}
	return &principal{
		Actor:     contacts.Actor{Kind: contacts.ActorAPIKey, ID: key.ID, Name: name, Role: contacts.RoleAdmin},
		ProjectID: key.ProjectID,
	}, nil
}

// who returns the authenticated principal of a request under requireAuth.
func who(c *fiber.Ctx) *principal {
	p, _ := c.Locals(principalKey).(*principal)
	if p == nil {
		// Only reachable when a route was registered outside requireAuth.
		panic("webui: handler needs an authenticated request")
	}
	return p
}
