package webui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// auditPage is how many entries the audit log page shows.
const auditPage = 50

// auditActions are the actions the filter offers, grouped as staff think
// of them; any other name can still be typed in the URL.
var auditActions = []string{
	contacts.AuditContactCreate, contacts.AuditContactUpdate, contacts.AuditContactDelete, contacts.AuditContactMerge,
	contacts.AuditMergeUndo, contacts.AuditNoteCreate, contacts.AuditErasureRequest, contacts.AuditErasureCancel,
	contacts.AuditConversationClose, contacts.AuditPurgeVisitor, contacts.AuditPrivacyUpdate, contacts.AuditRetentionRun,
	contacts.AuditChannelCreate, contacts.AuditChannelUpdate, contacts.AuditChannelDelete, contacts.AuditBotUpdate,
	contacts.AuditAPIKeyCreate, contacts.AuditAPIKeyRevoke, contacts.AuditUserAdd, contacts.AuditUserRole,
	contacts.AuditUserRemove, contacts.AuditLogin, contacts.AuditLogout, contacts.AuditPasswordChange,
}

// auditFilter is the audit log's filter form, as typed.
type auditFilter struct {
	Contact string
	Actor   string
	Action  string
	From    string // YYYY-MM-DD
	To      string // YYYY-MM-DD, inclusive
}

// query is the filter's URL query without paging.
func (f auditFilter) query() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"contact": f.Contact, "actor": f.Actor, "action": f.Action, "from": f.From, "to": f.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

type auditRow struct {
	contacts.AuditEntry
	Diff []diffRow
}

type auditData struct {
	settingsPage
	Filter   auditFilter
	Actions  []string
	Entries  []auditRow
	Paged    bool   // showing an older page
	Newest   string // the first page's URL
	OlderURL string // "" on the last page
}

func (s *Server) settingsAudit(c *fiber.Ctx) error {
	f := auditFilter{Contact: strings.TrimSpace(c.Query("contact")), Actor: strings.TrimSpace(c.Query("actor")),
		Action: strings.TrimSpace(c.Query("action")), From: c.Query("from"), To: c.Query("to")}
	d := auditData{settingsPage: newSettingsPage(c, "/settings/audit"), Filter: f, Actions: auditActions}
	if f.Action != "" && !slices.Contains(auditActions, f.Action) {
		// An action from a link (an older or newer name) stays selected.
		d.Actions = append(slices.Clip(auditActions), f.Action)
	}
	q, v := contacts.AuditQuery{ProjectID: uiSession(c).ProjectID, Limit: auditPage, ActorName: f.Actor}, &contacts.ValidationError{}
	if f.Contact != "" {
		n, err := strconv.ParseInt(f.Contact, 10, 64)
		if err != nil || n <= 0 {
			v.Add("contact", "must be a contact's number")
		}
		q.ContactID = n
	}
	if f.Action != "" {
		if !auditAction.MatchString(f.Action) {
			v.Add("action", "is not an action name")
		}
		q.Action = f.Action
	}
	day := func(field, raw string) time.Time {
		if raw == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			v.Add(field, "must be a date")
		}
		return t
	}
	q.From = day("from", f.From)
	if q.To = day("to", f.To); !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // the whole day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		v.Add("to", "must not be before from")
	}
	q.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	d.Paged = q.BeforeID > 0
	d.Newest = "/settings/audit?" + f.query().Encode()
	if err := v.Err(); err != nil {
		d.Errors = v.Fields
		return s.page(c, "settings_audit", "Audit log", "settings", d)
	}
	entries, err := s.svc.Audit(c.UserContext(), q)
	if err != nil {
		return err
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditRow{AuditEntry: e, Diff: auditDiff(e.Before, e.After)})
	}
	if len(entries) == auditPage {
		older := f.query()
		older.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.OlderURL = "/settings/audit?" + older.Encode()
	}
	return s.page(c, "settings_audit", "Audit log", "settings", d)
}
