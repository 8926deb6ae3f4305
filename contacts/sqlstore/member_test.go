package sqlstore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestMembers(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		owner := contacts.Actor{Kind: contacts.ActorUser, ID: 1, Name: "owner@example.com", Role: contacts.RoleOwner}
		admin := owner
		admin.Role = contacts.RoleAdmin

		// Only owners see or change who is in.
		if _, err := f.svc.Members(ctx, admin, f.project); !errors.Is(err, contacts.ErrForbidden) {
			t.Fatalf("an admin lists members: %v", err)
		}
		if _, err := f.svc.AddMember(ctx, admin, f.project, "x@example.com", contacts.RoleAgent, ""); !errors.Is(err, contacts.ErrForbidden) {
			t.Fatalf("an admin adds a member: %v", err)
		}

		first, err := f.svc.AddMember(ctx, owner, f.project, "Boss@Example.com", contacts.RoleOwner, "boss password")
		if err != nil || first.Existing || first.Password != "" || first.Member.Email != "boss@example.com" {
			t.Fatalf("add the owner: %v %+v", err, first)
		}
		agent, err := f.svc.AddMember(ctx, owner, f.project, "agent@example.com", contacts.RoleAgent, "")
		if err != nil || agent.Password == "" || agent.Existing {
			t.Fatalf("add an agent with a generated password: %v %+v", err, agent)
		}
		if _, err := f.svc.CheckPassword(ctx, "agent@example.com", agent.Password); err != nil {
			t.Fatalf("the generated password does not sign in: %v", err)
		}

		// Bad input names its field; a member is not added twice.
		var ve *contacts.ValidationError
		_, err = f.svc.AddMember(ctx, owner, f.project, "not an email", contacts.Role("boss"), "short")
		if !errors.As(err, &ve) || ve.Fields["email"] == "" || ve.Fields["role"] == "" || ve.Fields["password"] == "" {
			t.Fatalf("bad input: %v", err)
		}
		if _, err := f.svc.AddMember(ctx, owner, f.project, "agent@example.com", contacts.RoleOwner, ""); !errors.As(err, &ve) || ve.Fields["email"] == "" {
			t.Fatalf("a member added again: %v", err)
		}

		// A user of another project joins with their own password: an
		// owner here cannot set it.
		other, err := f.svc.CreateProject(ctx, "Other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddMember(ctx, owner, other.ID, "outsider@example.com", contacts.RoleOwner, "their own password"); err != nil {
			t.Fatal(err)
		}
		joined, err := f.svc.AddMember(ctx, owner, f.project, "outsider@example.com", contacts.RoleAdmin, "hijack attempt")
		if err != nil || !joined.Existing || joined.Password != "" {
			t.Fatalf("add an existing account: %v %+v", err, joined)
		}
		if _, err := f.svc.CheckPassword(ctx, "outsider@example.com", "their own password"); err != nil {
			t.Fatalf("the existing account's password changed: %v", err)
		}

		ms, err := f.svc.Members(ctx, owner, f.project)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, m := range ms {
			got = append(got, m.Email+":"+string(m.Role))
		}
		if want := "agent@example.com:agent boss@example.com:owner outsider@example.com:admin"; strings.Join(got, " ") != want {
			t.Fatalf("members = %v, want %s", got, want)
		}

		// The last owner can be neither demoted nor removed; with a second
		// owner, either can.
		boss := first.Member.UserID
		if _, err := f.svc.ChangeMemberRole(ctx, owner, f.project, boss, contacts.RoleAdmin); !errors.Is(err, contacts.ErrLastOwner) {
			t.Fatalf("demote the last owner: %v", err)
		}
		if err := f.svc.RemoveMember(ctx, owner, f.project, boss); !errors.Is(err, contacts.ErrLastOwner) {
			t.Fatalf("remove the last owner: %v", err)
		}
		if _, err := f.svc.ChangeMemberRole(ctx, owner, f.project, boss, contacts.RoleOwner); err != nil {
			t.Fatalf("an owner stays owner: %v", err)
		}
		m, err := f.svc.ChangeMemberRole(ctx, owner, f.project, agent.Member.UserID, contacts.RoleOwner)
		if err != nil || m.Role != contacts.RoleOwner || m.Email != "agent@example.com" {
			t.Fatalf("promote: %v %+v", err, m)
		}
		if _, err := f.svc.ChangeMemberRole(ctx, owner, f.project, boss, contacts.RoleAgent); err != nil {
			t.Fatalf("demote one of two owners: %v", err)
		}
		if err := f.svc.RemoveMember(ctx, owner, f.project, agent.Member.UserID); !errors.Is(err, contacts.ErrLastOwner) {
			t.Fatalf("remove the owner left: %v", err)
		}

		// Another project's user, or nobody, is not found; the role must be known.
		if _, err := f.svc.ChangeMemberRole(ctx, owner, other.ID, boss, contacts.RoleAdmin); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("change a non-member: %v", err)
		}
		if err := f.svc.RemoveMember(ctx, owner, f.project, 999999); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("remove nobody: %v", err)
		}
		if _, err := f.svc.ChangeMemberRole(ctx, owner, f.project, boss, contacts.Role("root")); !errors.As(err, &ve) {
			t.Fatalf("unknown role: %v", err)
		}

		// Removal ends the member's sessions in the project and keeps the account.
		_, secret, err := f.svc.Login(ctx, "boss@example.com", "boss password")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RemoveMember(ctx, owner, f.project, boss); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SessionBySecret(ctx, secret); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Fatalf("a removed member's session: %v", err)
		}
		if _, err := f.svc.CheckPassword(ctx, "boss@example.com", "boss password"); err != nil {
			t.Fatalf("the account went with the membership: %v", err)
		}

		// Every change is audited with the owner as actor, and no password.
		entries, err := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project,
			Actions: []string{contacts.AuditUserAdd, contacts.AuditUserRole, contacts.AuditUserRemove}})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
			if e.ActorKind != contacts.ActorUser || e.ActorName != "owner@example.com" {
				t.Errorf("%s audited as %s %s", e.Action, e.ActorKind, e.ActorName)
			}
			for _, secret := range []string{"boss password", "hijack attempt", agent.Password} {
				if strings.Contains(string(e.Before)+string(e.After), secret) {
					t.Errorf("%s audits a password: %s %s", e.Action, e.Before, e.After)
				}
			}
		}
		// Newest first; the refused changes and the no-op left nothing.
		want := "user.remove user.role user.role user.add user.add user.add"
		if strings.Join(actions, " ") != want {
			t.Fatalf("audited %v, want %s", actions, want)
		}
		if e := entries[1]; !strings.Contains(string(e.Before), `"role":"owner"`) || !strings.Contains(string(e.After), `"role":"agent"`) {
			t.Fatalf("a role change's before/after: %s %s", e.Before, e.After)
		}
	})
}

// Two owners demoting each other at once: one wins, the project keeps an owner.
func TestMembersLastOwnerRace(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		owner := contacts.Actor{Kind: contacts.ActorUser, ID: 1, Name: "o", Role: contacts.RoleOwner}
		for round := 0; round < 5; round++ {
			p, err := f.svc.CreateProject(ctx, "race"+string(rune('a'+round)))
			if err != nil {
				t.Fatal(err)
			}
			var ids [2]int64
			for i, email := range []string{"a@example.com", "b@example.com"} {
				m, err := f.svc.AddMember(ctx, owner, p.ID, email, contacts.RoleOwner, "a password")
				if err != nil {
					t.Fatal(err)
				}
				ids[i] = m.Member.UserID
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if i == 0 {
						_, errs[i] = f.svc.ChangeMemberRole(ctx, owner, p.ID, ids[i], contacts.RoleAgent)
					} else {
						errs[i] = f.svc.RemoveMember(ctx, owner, p.ID, ids[i])
					}
				}()
			}
			wg.Wait()
			ms, err := f.svc.Members(ctx, owner, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			owners := 0
			for _, m := range ms {
				if m.Role == contacts.RoleOwner {
					owners++
				}
			}
			failed := 0
			for _, err := range errs {
				if errors.Is(err, contacts.ErrLastOwner) {
					failed++
				} else if err != nil {
					t.Fatal(err)
				}
			}
			if owners != 1 || failed != 1 {
				t.Fatalf("round %d: %d owners left, %d refused (%v)", round, owners, failed, errs)
			}
		}
	})
}
