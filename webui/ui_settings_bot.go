package webui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/ai"
)

// botData is the bot settings form. CollectEmail is split for the form:
// the mode (off, start, after) and the number of messages for "after".
type botData struct {
	settingsPage
	Settings   ai.BotSettings
	EmailMode  string
	EmailAfter string
	Keywords   string // one a line
	Collect    checked
	Collectors []string // the fields a bot may ask for besides email
}

func newBotData(c *fiber.Ctx, b ai.BotSettings) botData {
	d := botData{settingsPage: newSettingsPage(c, "/settings/bot"), Settings: b, Collectors: ai.CollectableFields,
		Keywords: strings.Join(b.HandoffKeywords, "\n"), Collect: b.Collect}
	switch mode := strings.TrimSpace(b.CollectEmail); {
	case strings.HasPrefix(mode, "after:"):
		d.EmailMode, d.EmailAfter = "after", strings.TrimPrefix(mode, "after:")
	case mode == "start":
		d.EmailMode, d.EmailAfter = "start", "1"
	default:
		d.EmailMode, d.EmailAfter = "off", "1"
	}
	return d
}

func (s *Server) settingsBot(c *fiber.Ctx) error {
	b, err := s.router.BotSettings(c.UserContext(), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	return s.page(c, "settings_bot", "Bot", "settings", newBotData(c, b))
}

func (s *Server) settingsBotSave(c *fiber.Ctx) error {
	in := ai.BotSettings{
		Enabled:         c.FormValue("enabled") == "on",
		Persona:         strings.TrimSpace(c.FormValue("persona")),
		Knowledge:       strings.TrimSpace(c.FormValue("knowledge")),
		Collect:         []string{},
		HandoffKeywords: []string{},
	}
	switch mode := c.FormValue("collect_email"); mode {
	case "after":
		in.CollectEmail = "after:" + strings.TrimSpace(c.FormValue("collect_email_after"))
	default:
		in.CollectEmail = mode
	}
	for _, f := range c.Request().PostArgs().PeekMulti("collect") {
		in.Collect = append(in.Collect, string(f))
	}
	for _, k := range strings.Split(c.FormValue("handoff_keywords"), "\n") {
		if k = strings.TrimSpace(k); k != "" {
			in.HandoffKeywords = append(in.HandoffKeywords, k)
		}
	}
	saved, err := s.router.UpdateBotSettings(c.UserContext(), uiActor(c), uiSession(c).ProjectID, in)
	if err != nil {
		d := newBotData(c, in)
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		if d.EmailMode == "after" {
			// Show the number as typed, even when it is not one.
			d.EmailAfter = strings.TrimSpace(c.FormValue("collect_email_after"))
		}
		return s.page(c, "settings_bot", "Bot", "settings", d)
	}
	msg := "Bot settings saved. The bot is off."
	if saved.Enabled {
		msg = "Bot settings saved. The bot is on."
	}
	return s.settingsDone(c, msg, "/settings/bot")
}
