package webui

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

type apiKeysData struct {
	settingsPage
	Keys []contacts.APIKey
	Name string
}

func (s *Server) settingsAPIKeys(c *fiber.Ctx) error {
	return s.apiKeysPage(c, apiKeysData{settingsPage: newSettingsPage(c, "/settings/api-keys")})
}

func (s *Server) apiKeysPage(c *fiber.Ctx, d apiKeysData) error {
	keys, err := s.svc.APIKeys(c.UserContext(), uiActor(c), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	// Newest first: the key just made or revoked is at the top.
	for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
		keys[i], keys[j] = keys[j], keys[i]
	}
	d.Keys = keys
	return s.page(c, "settings_api_keys", "API keys", "settings", d)
}

func (s *Server) settingsAPIKeyCreate(c *fiber.Ctx) error {
	name := c.FormValue("name")
	k, secret, err := s.svc.CreateAPIKeyBy(c.UserContext(), uiActor(c), uiSession(c).ProjectID, name)
	if err != nil {
		d := apiKeysData{settingsPage: newSettingsPage(c, "/settings/api-keys"), Name: name}
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		return s.apiKeysPage(c, d)
	}
	s.setReveal(c, reveal{Kind: "api_key", ID: k.ID, Label: k.Name, Secret: secret})
	return c.Redirect("/settings/api-keys/created?id="+strconv.FormatInt(k.ID, 10), fiber.StatusSeeOther)
}

// secretData is a page that shows a new secret once.
type secretData struct {
	settingsPage
	ID     int64
	Label  string
	Secret string // empty: shown already
}

func (s *Server) settingsAPIKeyCreated(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Query("id"), 10, 64)
	d := secretData{settingsPage: newSettingsPage(c, "/settings/api-keys"), ID: id}
	if r := takeReveal(c, "api_key", id); r != nil {
		d.Label, d.Secret = r.Label, r.Secret
	}
	return s.page(c, "settings_api_key_created", "New API key", "settings", d)
}

func (s *Server) settingsAPIKeyRevoke(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.RevokeAPIKeyBy(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id); err != nil {
		return err
	}
	return s.settingsDone(c, fmt.Sprintf("API key %d revoked: it no longer works.", id), "/settings/api-keys")
}
