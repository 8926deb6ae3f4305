package webui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

type privacyData struct {
	settingsPage
	Settings *contacts.PrivacySettings
	// Form holds the numbers as typed, so a bad one is shown as it was.
	Form     map[string]string
	Erasures []contacts.Erasure
	MaxGrace int
	MaxMonth int
	MaxDays  int
}

// privacyFields are the number settings of the form, by the names the
// validation errors use.
var privacyFields = []string{"erasure_grace_days", "retention.archive_inactive_months",
	"retention.purge_archived_months", "retention.purge_message_bodies_days"}

func (s *Server) settingsPrivacy(c *fiber.Ctx) error {
	return s.privacyPage(c, privacyData{settingsPage: newSettingsPage(c, "/settings/privacy")})
}

func (s *Server) privacyPage(c *fiber.Ctx, d privacyData) error {
	ctx, sess := c.UserContext(), uiSession(c)
	set, err := s.svc.PrivacySettings(ctx, sess.ProjectID)
	if err != nil {
		return err
	}
	if d.Erasures, err = s.svc.ListErasures(ctx, uiActor(c), sess.ProjectID); err != nil {
		return err
	}
	if d.Settings == nil {
		d.Settings = set
	}
	if d.Form == nil {
		r := d.Settings.Retention
		d.Form = map[string]string{}
		for i, n := range []int{d.Settings.ErasureGraceDays, r.ArchiveInactiveMonths, r.PurgeArchivedMonths, r.PurgeMessageBodiesDays} {
			d.Form[privacyFields[i]] = strconv.Itoa(n)
		}
	}
	d.Settings.LastRetentionRun, d.Settings.UpdatedAt = set.LastRetentionRun, set.UpdatedAt
	d.MaxGrace, d.MaxMonth, d.MaxDays = contacts.MaxGraceDays, contacts.MaxRetentionMonths, contacts.MaxBodyRetentionDays
	return s.page(c, "settings_privacy", "Privacy & retention", "settings", d)
}

func (s *Server) settingsPrivacySave(c *fiber.Ctx) error {
	d := privacyData{settingsPage: newSettingsPage(c, "/settings/privacy"), Form: map[string]string{}}
	v := &contacts.ValidationError{}
	nums := make([]*int, len(privacyFields))
	for i, f := range privacyFields {
		raw := strings.TrimSpace(c.FormValue(f))
		d.Form[f] = raw
		if raw == "" {
			raw = "0" // empty is off
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add(f, "must be a whole number (0 turns it off)")
			continue
		}
		nums[i] = &n
	}
	mode := c.FormValue("erasure_default")
	in := contacts.PrivacyInput{ErasureDefault: &mode, ErasureGraceDays: nums[0],
		Retention: &contacts.RetentionInput{ArchiveInactiveMonths: nums[1], PurgeArchivedMonths: nums[2], PurgeMessageBodiesDays: nums[3]}}
	err := v.Err()
	if err == nil {
		_, err = s.svc.UpdatePrivacySettings(c.UserContext(), uiActor(c), uiSession(c).ProjectID, in)
	}
	if err != nil {
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		d.Settings = &contacts.PrivacySettings{ErasureDefault: contacts.ErasureMode(mode)}
		return s.privacyPage(c, d)
	}
	return s.settingsDone(c, "Privacy settings saved.", "/settings/privacy")
}

func (s *Server) settingsRestore(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ct, err := s.svc.RestoreContact(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id)
	if err != nil {
		return err
	}
	return s.settingsDone(c, fmt.Sprintf("%s restored.", ct.Name()), "/settings/privacy")
}
