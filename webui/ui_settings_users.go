package webui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

var settingsRoles = []contacts.Role{contacts.RoleOwner, contacts.RoleAdmin, contacts.RoleAgent}

type usersData struct {
	settingsPage
	Members []contacts.Member
	Roles   []contacts.Role
	Me      int64 // the signed-in user
	Owners  int
	Email   string
	Role    string
}

func (s *Server) settingsUsers(c *fiber.Ctx) error {
	return s.usersPage(c, usersData{settingsPage: newSettingsPage(c, "/settings/users"), Role: string(contacts.RoleAgent)})
}

func (s *Server) usersPage(c *fiber.Ctx, d usersData) error {
	ms, err := s.svc.Members(c.UserContext(), uiActor(c), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	d.Members, d.Roles, d.Me = ms, settingsRoles, uiSession(c).UserID
	for _, m := range ms {
		if m.Role == contacts.RoleOwner {
			d.Owners++
		}
	}
	return s.page(c, "settings_users", "Users", "settings", d)
}

func (s *Server) settingsUserAdd(c *fiber.Ctx) error {
	email, role := strings.TrimSpace(c.FormValue("email")), c.FormValue("role")
	out, err := s.svc.AddMember(c.UserContext(), uiActor(c), uiSession(c).ProjectID, email, contacts.Role(role), c.FormValue("password"))
	if err != nil {
		d := usersData{settingsPage: newSettingsPage(c, "/settings/users"), Email: email, Role: role}
		if ferr := d.formErrors(err); ferr != nil {
			return ferr
		}
		return s.usersPage(c, d)
	}
	if out.Password != "" {
		s.setReveal(c, reveal{Kind: "password", ID: out.Member.UserID, Label: out.Member.Email, Secret: out.Password})
		return c.Redirect("/settings/users/added?id="+strconv.FormatInt(out.Member.UserID, 10), fiber.StatusSeeOther)
	}
	msg := fmt.Sprintf("%s added as %s. They sign in with the password you chose.", out.Member.Email, out.Member.Role)
	if out.Existing {
		msg = fmt.Sprintf("%s added as %s. They already had an account and sign in with their own password.", out.Member.Email, out.Member.Role)
	}
	return s.settingsDone(c, msg, "/settings/users")
}

func (s *Server) settingsUserAdded(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Query("id"), 10, 64)
	d := secretData{settingsPage: newSettingsPage(c, "/settings/users"), ID: id}
	if r := takeReveal(c, "password", id); r != nil {
		d.Label, d.Secret = r.Label, r.Secret
	}
	return s.page(c, "settings_user_added", "User added", "settings", d)
}

// memberChangeRefused shows a refused role change or removal on the
// users page.
func (s *Server) memberChangeRefused(c *fiber.Ctx, err error) error {
	d := usersData{settingsPage: newSettingsPage(c, "/settings/users"), Role: string(contacts.RoleAgent)}
	var ve *contacts.ValidationError
	switch {
	case errors.Is(err, contacts.ErrLastOwner):
		d.Error = "This project needs an owner: make someone else owner first."
	case errors.As(err, &ve):
		d.Error = "Choose owner, admin or agent."
	default:
		return err
	}
	return s.usersPage(c, d)
}

func (s *Server) settingsUserRole(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.svc.ChangeMemberRole(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id, contacts.Role(c.FormValue("role")))
	if err != nil {
		return s.memberChangeRefused(c, err)
	}
	next := "/settings/users"
	if id == uiSession(c).UserID && m.Role != contacts.RoleOwner {
		// The users page is for owners, settings for admins.
		next = map[contacts.Role]string{contacts.RoleAdmin: "/settings", contacts.RoleAgent: "/"}[m.Role]
	}
	return s.settingsDone(c, fmt.Sprintf("%s is now %s.", m.Email, m.Role), next)
}

func (s *Server) settingsUserRemove(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.RemoveMember(c.UserContext(), uiActor(c), uiSession(c).ProjectID, id); err != nil {
		return s.memberChangeRefused(c, err)
	}
	if id == uiSession(c).UserID {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return s.settingsDone(c, "User removed from the project.", "/settings/users")
}
