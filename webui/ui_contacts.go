package webui

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uiContacts registers the contacts pages of the admin UI: the list (whose
// URL is the API's list query) and the exports page. The profile pages
// (/contacts/new, /contacts/:id...) live in ui_profile.go; the fragments
// here sit under /contacts/_ so they never look like an id.
func (s *Server) uiContacts(ui uiRoutes) {
	ui.get("/contacts", s.contactsPage)
	ui.get("/contacts/_saved", s.savedFiltersFragment)
	ui.get("/exports", s.exportsPage)
}

// DefaultListCountWait: a new view's first page is shown without waiting
// longer for its total (first results under 300 ms in the browser at a
// million contacts); the count goes on in the store and the page's script
// fetches it with the countHeader set to "wait".
const (
	DefaultListCountWait = 40 * time.Millisecond
	countHeader          = "X-Count"
)

// contactsPage is the contact list. A request from the page's script
// (X-Fragment) gets only the results: the count, the table and the pager.
func (s *Server) contactsPage(c *fiber.Ctx) error {
	d, err := s.contactList(c)
	if err != nil {
		return err
	}
	if isFragment(c) {
		return s.renderPartial(c, "contacts", "contacts_results", s.fragmentView(c, d))
	}
	if d.Saved, err = s.savedFilters(c); err != nil {
		return err
	}
	return s.page(c, "contacts", "Contacts", "contacts", d)
}

// contactList reads the list query exactly as GET /api/v1/contacts does
// and runs it. Bad parameters come back in Errors (shown beside their
// fields, with a 200: the page is still the right answer), not as an error.
func (s *Server) contactList(c *fiber.Ctx) (*contactList, error) {
	vals := queryValues(c)
	d := &contactList{Args: listArgs(vals), Now: s.svc.Now()}
	q, err := ParseListQueryAt(vals, d.Now)
	d.Query, d.Page = q, q.Page
	var ve *contacts.ValidationError
	if errors.As(err, &ve) {
		d.Errors = ve.Fields
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	q.ProjectID = uiSession(c).ProjectID
	if q.Page > contacts.MaxPage {
		// Past any real page: ask only for the total, as the API does.
		q.Page, q.PerPage = 1, 1
	}
	// The page's script asks again for a total still being counted.
	if c.Get(countHeader) != "wait" {
		q.CountWait = s.listCountWait
	}
	res, err := s.svc.ListContacts(c.UserContext(), q)
	if errors.As(err, &ve) {
		d.Errors = ve.Fields
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	if d.Page > contacts.MaxPage {
		res.Contacts = nil
	}
	d.Result = res
	d.Rows = make([]contactRow, len(res.Contacts))
	for i, ct := range res.Contacts {
		d.Rows[i] = contactRow{ct}
	}
	return d, nil
}

// fragmentView is the view of a fragment: no project list or flash to load,
// since the page around it has them.
func (s *Server) fragmentView(c *fiber.Ctx, data any) uiView {
	sess := uiSession(c)
	return uiView{Session: sess, CSRF: sess.CSRF, Path: c.OriginalURL(), Data: data}
}

// savedFiltersFragment is the saved-filter list, which the page's script
// reloads after saving or deleting one through the API.
func (s *Server) savedFiltersFragment(c *fiber.Ctx) error {
	saved, err := s.savedFilters(c)
	if err != nil {
		return err
	}
	return s.renderPartial(c, "contacts", "contacts_saved", s.fragmentView(c, &contactList{Saved: saved}))
}

// savedFilters are the user's saved views as links.
func (s *Server) savedFilters(c *fiber.Ctx) ([]savedLink, error) {
	fs, err := s.svc.ListSavedFilters(c.UserContext(), uiActor(c), uiSession(c).ProjectID)
	if err != nil {
		return nil, err
	}
	out := make([]savedLink, len(fs))
	for i, f := range fs {
		out[i] = savedLink{ID: f.ID, Name: f.Name, URL: contactsURL(f.Query)}
	}
	return out, nil
}
