package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/switchboard-oss/switchboard/contacts"
)

// adminCmd parses a subcommand's flags, opens the database and runs fn.
func (c *cli) adminCmd(ctx context.Context, name string, args []string, define func(fsFlags), fn func(svc *contacts.Service, rest []string) error) error {
	fs, common := newFlags(name, c.stderr)
	if define != nil {
		define(fsFlags{fs.String})
	}
	if err := fs.Parse(interspersed(args)); err != nil {
		return err
	}
	_, db, svc, err := common.open(ctx, c.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	return fn(svc, fs.Args())
}

type fsFlags struct {
	String func(name, value, usage string) *string
}

// interspersed moves flags after positional arguments to the front, so
// "user add EMAIL --project X" parses like "user add --project X EMAIL".
func interspersed(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && !isBoolFlag(a) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(flags, pos...)
}

func isBoolFlag(a string) bool {
	n := strings.TrimLeft(a, "-")
	return n == "log-json" || n == "h" || n == "help"
}

func (c *cli) migrate(ctx context.Context, args []string) error {
	return c.adminCmd(ctx, "migrate", args, nil, func(*contacts.Service, []string) error {
		fmt.Fprintln(c.stderr, "database is up to date")
		return nil
	})
}

func (c *cli) project(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: switchboard project create NAME")
	}
	return c.adminCmd(ctx, "project create", args[1:], nil, func(svc *contacts.Service, rest []string) error {
		if len(rest) != 1 {
			return errors.New("usage: switchboard project create NAME")
		}
		p, err := svc.CreateProject(ctx, rest[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, p.ID)
		return nil
	})
}

func (c *cli) apikey(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: switchboard apikey create|list|revoke")
	}
	var project, name *string
	define := func(f fsFlags) {
		project = f.String("project", "", "project name")
		name = f.String("name", "cli", "a label for the key")
	}
	switch args[0] {
	case "create":
		return c.adminCmd(ctx, "apikey create", args[1:], define, func(svc *contacts.Service, _ []string) error {
			p, err := c.needProject(ctx, svc, *project)
			if err != nil {
				return err
			}
			k, secret, err := svc.CreateAPIKeyBy(ctx, contacts.CLIActor, p.ID, *name)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "created API key %d (%s) for project %q; it is shown once:\n", k.ID, k.Prefix, p.Name)
			fmt.Fprintln(c.stdout, secret)
			return nil
		})
	case "list":
		return c.adminCmd(ctx, "apikey list", args[1:], define, func(svc *contacts.Service, _ []string) error {
			var pid int64
			if *project != "" {
				p, err := svc.ProjectByName(ctx, *project)
				if err != nil {
					return err
				}
				pid = p.ID
			}
			keys, err := svc.ListAPIKeys(ctx, pid)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tPROJECT\tNAME\tPREFIX\tCREATED\tLAST USED\tSTATUS")
			for _, k := range keys {
				status, used := "active", "never"
				if !k.RevokedAt.IsZero() {
					status = "revoked"
				}
				if !k.LastUsedAt.IsZero() {
					used = k.LastUsedAt.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%d\t%d\t%s\t%s…\t%s\t%s\t%s\n", k.ID, k.ProjectID, k.Name, k.Prefix, k.CreatedAt.Format("2006-01-02 15:04"), used, status)
			}
			return tw.Flush()
		})
	case "revoke":
		return c.adminCmd(ctx, "apikey revoke", args[1:], nil, func(svc *contacts.Service, rest []string) error {
			if len(rest) != 1 {
				return errors.New("usage: switchboard apikey revoke ID")
			}
			id, err := strconv.ParseInt(rest[0], 10, 64)
			if err != nil {
				return fmt.Errorf("key id %q is not a number", rest[0])
			}
			keys, err := svc.ListAPIKeys(ctx, 0)
			if err != nil {
				return err
			}
			var projectID int64
			for _, k := range keys {
				if k.ID == id {
					projectID = k.ProjectID
				}
			}
			if err := svc.RevokeAPIKeyBy(ctx, contacts.CLIActor, projectID, id); err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "revoked API key %d\n", id)
			return nil
		})
	}
	return fmt.Errorf("unknown apikey command %q", args[0])
}

func (c *cli) needProject(ctx context.Context, svc *contacts.Service, name string) (*contacts.Project, error) {
	if name == "" {
		return nil, errors.New("--project NAME is required")
	}
	return svc.ProjectByName(ctx, name)
}

func (c *cli) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: switchboard user add|passwd")
	}
	switch args[0] {
	case "add":
		var project, role, password *string
		define := func(f fsFlags) {
			project = f.String("project", "", "project name")
			role = f.String("role", "agent", "owner, admin or agent")
			password = f.String("password", "", "password (default: generated and printed)")
		}
		return c.adminCmd(ctx, "user add", args[1:], define, func(svc *contacts.Service, rest []string) error {
			if len(rest) != 1 {
				return errors.New("usage: switchboard user add EMAIL --project NAME --role owner|admin|agent")
			}
			p, err := c.needProject(ctx, svc, *project)
			if err != nil {
				return err
			}
			u, generated, err := svc.AddUser(ctx, p.ID, rest[0], contacts.Role(*role), *password)
			if err != nil {
				return err
			}
			svc.AuditSettings(ctx, contacts.CLIActor, p.ID, contacts.AuditUserAdd, nil,
				map[string]any{"user_id": u.ID, "email": u.Email, "role": *role})
			fmt.Fprintf(c.stderr, "%s is %s of project %q\n", u.Email, *role, p.Name)
			if generated != "" {
				fmt.Fprintf(c.stderr, "generated password (shown once):\n")
				fmt.Fprintln(c.stdout, generated)
			}
			return nil
		})
	case "passwd":
		return c.adminCmd(ctx, "user passwd", args[1:], nil, func(svc *contacts.Service, rest []string) error {
			if len(rest) != 1 {
				return errors.New("usage: switchboard user passwd EMAIL (the new password is read from stdin)")
			}
			fmt.Fprintf(c.stderr, "new password for %s: ", rest[0])
			line, err := bufio.NewReader(c.stdin).ReadString('\n')
			pw := strings.TrimRight(line, "\r\n")
			if pw == "" && err != nil {
				return errors.New("no password given on stdin")
			}
			if err := svc.SetPassword(ctx, rest[0], pw); err != nil {
				return err
			}
			fmt.Fprintln(c.stderr, "password changed")
			return nil
		})
	}
	return fmt.Errorf("unknown user command %q", args[0])
}
