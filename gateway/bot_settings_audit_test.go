package gateway

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

func TestUpdateBotSettingsAudits(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := contacts.Actor{Kind: contacts.ActorUser, ID: 7, Name: "admin@example.com", Role: contacts.RoleAdmin}
		agent := admin
		agent.Role = contacts.RoleAgent
		in := ai.DefaultBotSettings()
		in.Persona = "You are Ana."
		in.Knowledge = strings.Repeat("k", auditTextLimit+10)

		if _, err := e.router.UpdateBotSettings(ctx, agent, e.project, in); !errors.Is(err, contacts.ErrForbidden) {
			t.Fatalf("an agent changes the bot: %v", err)
		}
		if _, err := e.router.UpdateBotSettings(ctx, admin, e.project, ai.BotSettings{CollectEmail: "sometimes"}); err == nil {
			t.Fatal("invalid settings were saved")
		}
		if _, err := e.router.UpdateBotSettings(ctx, admin, e.project, in); err != nil {
			t.Fatal(err)
		}
		// Saving the same settings again changes nothing and audits nothing.
		if _, err := e.router.UpdateBotSettings(ctx, admin, e.project, in); err != nil {
			t.Fatal(err)
		}
		entries, err := e.svc.Audit(ctx, contacts.AuditQuery{ProjectID: e.project, Action: contacts.AuditBotUpdate})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("%d bot.update entries, want 1", len(entries))
		}
		en := entries[0]
		if en.ActorName != "admin@example.com" || !strings.Contains(string(en.After), `"persona":"You are Ana."`) ||
			!strings.Contains(string(en.Before), `"persona":""`) || strings.Contains(string(en.After), "enabled") {
			t.Fatalf("entry: %+v %s %s", en, en.Before, en.After)
		}
		if len(en.After) > auditTextLimit+200 || !strings.Contains(string(en.After), "characters in all") {
			t.Fatalf("the knowledge text was not shortened: %d bytes", len(en.After))
		}
	})
}
