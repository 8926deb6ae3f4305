package webui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestUIMergeFromDuplicatesWithUndo(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Ana Silva", "email": "ana@example.com", "company": "Acme", "tags": []string{"a"}}))
	b := idOf(e.createContact(map[string]any{"name": "Ana Souza", "email": "ana+shop@example.com", "phone": "+14155552671", "tags": []string{"b"}}))
	e.addTranscript(b, [2]string{contacts.SenderContact, "hi from b"})
	c := e.owner()

	dup := c.get("/contacts/duplicates").mustStatus(t, http.StatusOK)
	review := fmt.Sprintf(`href="/contacts/merge?ids=%d%%2c%d"`, a, b)
	dup.mustContain(t, "Same email address", "Ana Silva", "Ana Souza", review, "Review merge")

	mp := c.get(fmt.Sprintf("/contacts/merge?ids=%d,%d", a, b)).mustStatus(t, http.StatusOK)
	mp.mustContain(t, `name="primary"`, fmt.Sprintf(`name="pick.last_name" value="%d" checked`, a),
		fmt.Sprintf(`name="pick.last_name" value="%d"`, b), fmt.Sprintf(`name="pick.email" value="%d" checked`, a),
		"Preview of the merged contact", "Kept as conflicts", "Souza", "Merge 2 contacts")
	mp.mustNotContain(t, "pick.company") // only one contact has a company: nothing to choose

	// The live preview follows a pick, and writes nothing.
	prev := c.fragment(fmt.Sprintf("/contacts/merge/preview?ids=%d,%d&primary=%d&pick.last_name=%d", a, b, a, b)).mustStatus(t, http.StatusOK)
	prev.mustContain(t, `id="merge-preview"`, "<strong class=\"mg-name\">Ana Souza</strong>", `<span class="mg-value">Silva</span>`)
	prev.mustNotContain(t, "<html")
	if got := e.contact(a).LastName; got != "Silva" {
		t.Fatalf("the preview wrote: %q", got)
	}
	// Without the script, "Update the preview" posts and shows it again.
	c.postForm("/contacts/merge", url.Values{"ids": {fmt.Sprintf("%d,%d", a, b)}, "primary": {fmt.Sprint(a)}, "pick.last_name": {fmt.Sprint(b)}, "op": {"preview"}}).
		mustStatus(t, http.StatusOK).mustContain(t, fmt.Sprintf(`name="pick.last_name" value="%d" checked`, b))

	done := c.postForm("/contacts/merge", url.Values{"ids": {fmt.Sprintf("%d,%d", a, b)}, "primary": {fmt.Sprint(a)},
		"pick.last_name": {fmt.Sprint(b)}, "pick.email": {fmt.Sprint(a)}, "op": {"merge"}}).mustStatus(t, http.StatusSeeOther)
	var mid int64
	if _, err := fmt.Sscanf(done.location, "/contacts/merge/%d", &mid); err != nil {
		t.Fatalf("merge went to %q", done.location)
	}
	merged := e.contact(a)
	if merged.LastName != "Souza" || merged.Email != "ana@example.com" || merged.Phone != "+14155552671" || merged.Company != "Acme" ||
		strings.Join(merged.Tags, ",") != "a,b" || merged.ConversationCount != 1 {
		t.Errorf("merged: %+v", merged)
	}
	if _, err := e.svc.GetContact(context.Background(), e.project.ID, b); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("the merged-away contact is still there: %v", err)
	}
	c.get(done.location).mustStatus(t, http.StatusOK).mustContain(t, "Merged 1 contact into", "Ana Souza",
		fmt.Sprintf(`action="/contacts/merge/%d/undo"`, mid), "Undo merge")
	// The profile's history offers the undo too, and shows what was kept.
	c.get(fmt.Sprintf("/contacts/%d", a)).mustStatus(t, http.StatusOK).mustContain(t,
		"Merged 1 contact into this one", fmt.Sprintf(`action="/contacts/merge/%d/undo"`, mid), "Values kept from merges", "ana&#43;shop@example.com")

	undo := c.postForm(fmt.Sprintf("/contacts/merge/%d/undo", mid), url.Values{}).mustStatus(t, http.StatusSeeOther)
	if undo.location != fmt.Sprintf("/contacts/%d", a) {
		t.Errorf("undo went to %q", undo.location)
	}
	if got := e.contact(b); got.Email != "ana+shop@example.com" || got.LastName != "Souza" {
		t.Errorf("restored b: %+v", got)
	}
	if got := e.contact(a); got.LastName != "Silva" || got.Phone != "" {
		t.Errorf("restored a: %+v", got)
	}
	c.get(undo.location).mustContain(t, "Merge undone")
	c.get(done.location).mustStatus(t, http.StatusOK).mustContain(t, "This merge was undone")
	c.postForm(fmt.Sprintf("/contacts/merge/%d/undo", mid), url.Values{}).mustStatus(t, http.StatusConflict)

	// Bad merge requests.
	c.get("/contacts/merge?ids=1,x").mustStatus(t, http.StatusBadRequest)
	c.get("/contacts/merge?ids=999998,999999").mustStatus(t, http.StatusNotFound)
	one := c.get(fmt.Sprintf("/contacts/merge?ids=%d&q=ana", a)).mustStatus(t, http.StatusOK)
	one.mustContain(t, "Choose at least two contacts", fmt.Sprintf(`href="/contacts/merge?ids=%d%%2c%d"`, a, b))
	c.postForm("/contacts/merge", url.Values{"ids": {fmt.Sprint(a)}, "op": {"merge"}}).mustStatus(t, http.StatusOK).
		mustContain(t, "Choose at least two contacts to merge.")
	c.get("/contacts/merge/999999").mustStatus(t, http.StatusNotFound)
}

func TestUIDeleteKeepsHistoryAnonymised(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	keep := idOf(e.createContact(map[string]any{"name": "Kim Keeper", "email": "kim@example.com"}))
	conv := e.addTranscript(keep, [2]string{contacts.SenderContact, "I am Kim, write to kim@example.com"}, [2]string{contacts.SenderBot, "Thanks Kim"})
	gone := idOf(e.createContact(map[string]any{"name": "Gus Gone"}))
	goneConv := e.addTranscript(gone, [2]string{contacts.SenderContact, "bye"})
	c := e.owner()

	// The default comes from the privacy settings.
	c.get(fmt.Sprintf("/contacts/%d", keep)).mustContain(t, `name="keep_history" value="true">`, "This cannot be undone.")
	if _, err := e.svc.UpdatePrivacySettings(ctx, contacts.SystemActor, e.project.ID, contacts.PrivacyInput{ErasureDefault: ptr("anonymize")}); err != nil {
		t.Fatal(err)
	}
	c.get(fmt.Sprintf("/contacts/%d", keep)).mustContain(t, `name="keep_history" value="true" checked>`)
	c.get(fmt.Sprintf("/contacts/%d/delete", keep)).mustStatus(t, http.StatusOK).mustContain(t, "Delete Kim Keeper?", `value="true" checked`)

	p := c.postForm(fmt.Sprintf("/contacts/%d/delete", keep), url.Values{"keep_history": {"false", "true"}}).mustStatus(t, http.StatusSeeOther)
	if p.location != "/contacts" {
		t.Errorf("delete went to %q", p.location)
	}
	c.get("/").mustContain(t, "Kim Keeper was deleted; the conversation history is kept, anonymised.")
	if _, err := e.svc.GetContact(ctx, e.project.ID, keep); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("the contact is still there: %v", err)
	}
	cv, err := e.svc.Conversation(ctx, e.project.ID, conv)
	if err != nil || cv.ContactID != 0 {
		t.Fatalf("kept conversation: %+v %v", cv, err)
	}
	msgs, err := e.svc.ListMessages(ctx, e.project.ID, conv, 0, 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("kept messages: %+v %v", msgs, err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Text, "Kim") || strings.Contains(m.Text, "kim@example.com") || !strings.Contains(m.Text, contacts.Redacted) {
			t.Errorf("message not anonymised: %q", m.Text)
		}
	}

	// Unticked, the history goes with the contact.
	c.postForm(fmt.Sprintf("/contacts/%d/delete", gone), url.Values{"keep_history": {"false"}}).mustStatus(t, http.StatusSeeOther)
	if _, err := e.svc.Conversation(ctx, e.project.ID, goneConv); !errors.Is(err, contacts.ErrNotFound) {
		t.Errorf("the conversation outlived its contact: %v", err)
	}

	// With a grace period the dialog and the notice name the last day.
	if _, err := e.svc.UpdatePrivacySettings(ctx, contacts.SystemActor, e.project.ID, contacts.PrivacyInput{ErasureGraceDays: ptr(30)}); err != nil {
		t.Fatal(err)
	}
	later := idOf(e.createContact(map[string]any{"name": "Liz Later"}))
	until := e.svc.Now().AddDate(0, 0, 30).UTC().Format("2006-01-02")
	c.get(fmt.Sprintf("/contacts/%d", later)).mustContain(t, "can be restored until", until)
	c.postForm(fmt.Sprintf("/contacts/%d/delete", later), url.Values{"keep_history": {"false", "true"}}).mustStatus(t, http.StatusSeeOther)
	c.get("/").mustContain(t, "Liz Later was deleted", "It can be restored until")
	if _, err := e.svc.RestoreContact(ctx, contacts.SystemActor, e.project.ID, later); err != nil {
		t.Errorf("restore within the grace period: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUIProfileAgentRefusals(t *testing.T) {
	e := newEnv(t)
	a := idOf(e.createContact(map[string]any{"name": "Ann", "email": "ann@example.com"}))
	b := idOf(e.createContact(map[string]any{"name": "Ann B", "email": "ann+b@example.com"}))
	owner := e.owner()
	done := owner.postForm("/contacts/merge", url.Values{"ids": {fmt.Sprintf("%d,%d", a, b)}, "op": {"merge"}}).mustStatus(t, http.StatusSeeOther)
	c := e.agent()

	p := c.get(fmt.Sprintf("/contacts/%d", a)).mustStatus(t, http.StatusOK)
	p.mustNotContain(t, "Merge with…", "Export data", `id="pf-delete-dialog"`, "/undo")
	p.mustContain(t, `href="/contacts/`+fmt.Sprint(a)+`/edit"`)
	c.get("/contacts/duplicates").mustStatus(t, http.StatusOK).mustNotContain(t, "Review merge")

	refused := []page{
		c.get(fmt.Sprintf("/contacts/%d/export", a)),
		c.get(fmt.Sprintf("/contacts/%d/delete", a)),
		c.postForm(fmt.Sprintf("/contacts/%d/delete", a), url.Values{"keep_history": {"true"}}),
		c.get(fmt.Sprintf("/contacts/merge?ids=%d,%d", a, b)),
		c.fragment(fmt.Sprintf("/contacts/merge/preview?ids=%d,%d", a, b)),
		c.postForm("/contacts/merge", url.Values{"ids": {fmt.Sprintf("%d,%d", a, b)}, "op": {"merge"}}),
		c.postForm(done.location+"/undo", url.Values{}),
		c.api("GET", fmt.Sprintf("/contacts/%d/export", a), "", true),
		c.api("POST", fmt.Sprintf("/contacts/%d/merge", a), fmt.Sprintf(`{"contact_ids":[%d]}`, b), true),
	}
	for i, p := range refused {
		if p.status != http.StatusForbidden {
			t.Errorf("request %d as an agent: %d, want 403: %.300s", i, p.status, p.body)
		}
	}
	if ct := e.contact(a); ct.Email != "ann@example.com" {
		t.Errorf("the refused merge or undo changed the contact: %+v", ct)
	}
	// What agents may do still works.
	c.postFragment(fmt.Sprintf("/contacts/%d/notes", a), url.Values{"body": {"agent note"}}).mustStatus(t, http.StatusOK).mustContain(t, "agent note")
	c.postFragment(fmt.Sprintf("/contacts/%d/tags", a), url.Values{"tag": {"seen"}}).mustStatus(t, http.StatusOK)
	c.postFragment(fmt.Sprintf("/contacts/%d/edit", a), url.Values{"_card": {"basic"}, "company": {"Acme"}}).mustStatus(t, http.StatusOK)
}

func TestUIProfileEscapesEverything(t *testing.T) {
	e := newEnv(t)
	const name = `<img src=x onerror=alert(1)>`
	const script = `<script>alert(1)</script>`
	evil := idOf(e.createContact(map[string]any{"first_name": name, "email": "evil@example.com", "company": script,
		"tags": []string{"<b>tag</b>"}, "custom": map[string]string{"k": script}, "context": script}))
	twin := idOf(e.createContact(map[string]any{"first_name": name, "last_name": script, "email": "evil+2@example.com"}))
	conv := e.addTranscript(evil, [2]string{contacts.SenderContact, script}, [2]string{contacts.SenderStaff, name})
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", evil), map[string]any{"body": script}).must(t, http.StatusCreated)
	c := e.owner()
	pages := map[string]page{
		"profile":    c.get(fmt.Sprintf("/contacts/%d", evil)),
		"transcript": c.get(fmt.Sprintf("/contacts/%d/conversations/%d", evil, conv)),
		"fragment":   c.fragment(fmt.Sprintf("/contacts/%d/conversations/%d", evil, conv)),
		"merge":      c.get(fmt.Sprintf("/contacts/merge?ids=%d,%d", evil, twin)),
		"preview":    c.fragment(fmt.Sprintf("/contacts/merge/preview?ids=%d,%d&pick.first_name=%d", evil, twin, twin)),
		"duplicates": c.get("/contacts/duplicates"),
		"edit":       c.get(fmt.Sprintf("/contacts/%d/edit", evil)),
		"form":       c.postForm("/contacts/new", url.Values{"first_name": {name}, "email": {script}}),
		"delete":     c.get(fmt.Sprintf("/contacts/%d/delete", evil)),
	}
	for where, p := range pages {
		if p.status != http.StatusOK {
			t.Errorf("%s: status %d", where, p.status)
			continue
		}
		for _, raw := range []string{"<img src=x", "<script>alert", "<b>tag"} {
			if strings.Contains(p.body, raw) {
				t.Errorf("%s renders %q unescaped", where, raw)
			}
		}
		if !strings.Contains(p.body, "&lt;img src=x onerror=alert(1)&gt;") && !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the text escaped:\n%s", where, p.body)
		}
	}
}
