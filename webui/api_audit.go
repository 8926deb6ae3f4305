package webui

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// auditAction is the shape of an action name (contact.update,
// retention.run); the filter takes nothing else.
var auditAction = regexp.MustCompile(`^[a-z_]{1,40}(\.[a-z_]{1,40})?$`)

var auditActorKinds = []string{contacts.ActorUser, contacts.ActorAPIKey, contacts.ActorSystem, contacts.ActorAI, contacts.ActorChannel}

// audit lists the project's audit log, newest first, a page of limit
// entries; next_before_id (null on the last page) asks for the next one.
// The log has no route that changes it.
func (s *Server) audit(c *fiber.Ctx) error {
	p := who(c)
	args := queryValues(c)
	q := contacts.AuditQuery{ProjectID: p.ProjectID}
	v := &contacts.ValidationError{}
	positive := func(name string) int64 {
		raw := c.Query(name)
		if raw == "" {
			return 0
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n <= 0 {
			v.Add(name, "must be a positive integer")
		}
		return n
	}
	q.ContactID = positive("contact_id")
	q.BeforeID = positive("before_id")
	q.ActorID = positive("actor_id")
	for _, a := range listParam(args, "action") {
		if !auditAction.MatchString(a) {
			v.Add("action", "must be action names such as contact.update, comma-separated")
		}
		q.Actions = append(q.Actions, a)
	}
	if len(q.Actions) > 20 {
		v.Add("action", "name at most 20 actions")
	}
	if q.ActorKind = c.Query("actor_kind"); q.ActorKind != "" && !slices.Contains(auditActorKinds, q.ActorKind) {
		v.Add("actor_kind", "must be one of "+strings.Join(auditActorKinds, ", "))
	}
	if q.ActorID != 0 && q.ActorKind == "" {
		v.Add("actor_id", "needs actor_kind: ids are per kind")
	}
	if q.ActorName = c.Query("actor"); len(q.ActorName) > 200 {
		v.Add("actor", "is too long")
	}
	q.From, _ = timeParam(args, "from", false, v)
	q.To, _ = timeParam(args, "to", true, v)
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		v.Add("to", "must be after from")
	}
	q.Limit = queryInt(c, "limit", 100, 1, 1000, v)
	if err := v.Err(); err != nil {
		return err
	}
	entries, err := s.svc.Audit(c.UserContext(), q)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []contacts.AuditEntry{}
	}
	var next *int64
	if len(entries) == q.Limit {
		next = &entries[len(entries)-1].ID
	}
	return c.JSON(fiber.Map{"entries": entries, "next_before_id": next})
}
