package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.UnixMilli(time.Now().UnixMilli())
		svc := contacts.NewService(contacts.Config{Store: db, Clock: func() time.Time { return now }})
		defer svc.Close()
		boot, err := svc.Bootstrap(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Login(ctx, "admin@localhost", "wrong"); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Fatalf("wrong password: %v", err)
		}
		sess, secret, err := svc.Login(ctx, "admin@localhost", boot.Password)
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.SessionBySecret(ctx, secret)
		if err != nil || got.UserID != sess.UserID || got.Role != contacts.RoleOwner || got.CSRF != sess.CSRF || got.Email != "admin@localhost" {
			t.Fatalf("session: %v %+v", err, got)
		}
		if _, err := svc.SessionBySecret(ctx, secret+"x"); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Fatalf("unknown secret: %v", err)
		}

		// A request renews an idle session; one past its idle time is gone.
		now = now.Add(contacts.SessionIdle - time.Minute)
		if _, err := svc.SessionBySecret(ctx, secret); err != nil {
			t.Fatalf("renewed: %v", err)
		}
		now = now.Add(contacts.SessionIdle - time.Minute)
		if _, err := svc.SessionBySecret(ctx, secret); err != nil {
			t.Fatalf("within the renewed time: %v", err)
		}
		now = now.Add(contacts.SessionIdle + time.Minute)
		if _, err := svc.SessionBySecret(ctx, secret); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Fatalf("expired: %v", err)
		}
		if n, err := svc.PurgeExpiredSessions(ctx); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}

		// Losing the project ends the session there; switching needs membership.
		p2, _ := svc.CreateProject(ctx, "Two")
		_, secret, _ = svc.Login(ctx, "admin@localhost", boot.Password)
		sess, _ = svc.SessionBySecret(ctx, secret)
		if err := svc.SwitchProject(ctx, sess, p2.ID); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("switch to a foreign project: %v", err)
		}
		if _, _, err := svc.AddUser(ctx, p2.ID, "admin@localhost", contacts.RoleAgent, ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.SwitchProject(ctx, sess, p2.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.SessionBySecret(ctx, secret); err != nil || got.ProjectID != p2.ID || got.Role != contacts.RoleAgent {
			t.Fatalf("after switching: %v %+v", err, got)
		}
		if err := svc.Logout(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SessionBySecret(ctx, secret); !errors.Is(err, contacts.ErrUnauthorized) {
			t.Fatalf("after logout: %v", err)
		}
	})
}
