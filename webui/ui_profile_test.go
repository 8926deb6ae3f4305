package webui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// addTranscript opens a conversation for the contact with one message per
// (sender kind, text) pair, as the gateway stores them.
func (e *testEnv) addTranscript(contactID int64, msgs ...[2]string) int64 {
	e.t.Helper()
	ctx := context.Background()
	now := e.svc.Now().Add(-time.Hour)
	cv := &contacts.Conversation{ProjectID: e.project.ID, ContactID: contactID, Channel: contacts.ChannelWidget, StartedAt: now}
	if err := e.db.CreateConversation(ctx, cv); err != nil {
		e.t.Fatal(err)
	}
	for i, m := range msgs {
		msg := &contacts.Message{ConversationID: cv.ID, Direction: contacts.DirectionOutbound, SenderKind: m[0], Text: m[1],
			Status: "sent", CreatedAt: now.Add(time.Duration(i) * time.Minute)}
		if m[0] == contacts.SenderContact {
			msg.Direction, msg.Status = contacts.DirectionInbound, "received"
		}
		if err := e.db.AddMessage(ctx, e.project.ID, msg); err != nil {
			e.t.Fatal(err)
		}
	}
	return cv.ID
}

// agent adds an agent to the project and signs it in.
func (e *testEnv) agent() *uiClient {
	e.t.Helper()
	if _, _, err := e.svc.AddUser(context.Background(), e.project.ID, "agent@example.com", contacts.RoleAgent, "agent password"); err != nil {
		e.t.Fatal(err)
	}
	return e.loginAs("agent@example.com", "agent password")
}

func (e *testEnv) contact(id int64) *contacts.Contact {
	e.t.Helper()
	c, err := e.svc.GetContact(context.Background(), e.project.ID, id)
	if err != nil {
		e.t.Fatalf("contact %d: %v", id, err)
	}
	return c
}

// postFragment posts a form as the profile's script does.
func (c *uiClient) postFragment(path string, form url.Values) page {
	c.t.Helper()
	form = cloneValues(form)
	form.Set("_csrf", c.csrf)
	req, _ := http.NewRequest(http.MethodPost, c.env.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Fragment", "1")
	return c.do(req)
}

func (p page) mustStatus(t testing.TB, status int) page {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d (location %q):\n%s", p.status, status, p.location, p.body)
	}
	return p
}

func (p page) mustNotContain(t testing.TB, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(p.body, b) {
			t.Fatalf("page has %q:\n%s", b, p.body)
		}
	}
}

func TestUIProfileCreate(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	c.get("/contacts/new").mustStatus(t, http.StatusOK).mustContain(t, `action="/contacts/new"`, `<label for="pf-email">Email</label>`, `name="tags"`)

	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"bad email and phone", url.Values{"first_name": {"Ada"}, "email": {"not-an-email"}, "phone": {"12"}},
			[]string{`id="pf-e-email"`, "Email is not a valid email address.", "Phone is not a valid phone number.", `value="not-an-email"`}},
		{"nothing to tell it apart", url.Values{"company": {"Acme"}},
			[]string{"A contact needs a name, an email, a phone or a channel identity."}},
		{"custom line without =", url.Values{"first_name": {"Ada"}, "custom": {"plan gold"}},
			[]string{"Custom fields has a line without"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := c.postForm("/contacts/new", tc.form).mustStatus(t, http.StatusOK)
			p.mustContain(t, tc.want...)
		})
	}
	first := idOf(e.createContact(map[string]any{"name": "Taken", "email": "taken@example.com"}))
	p := c.postForm("/contacts/new", url.Values{"first_name": {"Copy"}, "email": {"taken@example.com"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, "Email already belongs to another contact.", fmt.Sprintf(`href="/contacts/%d"`, first))

	p = c.postForm("/contacts/new", url.Values{"first_name": {"Ada"}, "last_name": {"Lovelace"}, "email": {"ADA@Example.com"},
		"phone": {"+44 20 7946 0958"}, "tags": {"vip, math"}, "custom": {"plan = gold"}, "do_not_contact": {"false"}})
	p.mustStatus(t, http.StatusSeeOther)
	var id int64
	if _, err := fmt.Sscanf(p.location, "/contacts/%d", &id); err != nil {
		t.Fatalf("redirect to %q", p.location)
	}
	ct := e.contact(id)
	if ct.Email != "ada@example.com" || ct.Phone != "+442079460958" || strings.Join(ct.Tags, ",") != "vip,math" ||
		ct.Custom["plan"] != "gold" || ct.Channel != contacts.ChannelManual || ct.Sources["email"].Source != contacts.SourceStaff {
		t.Errorf("created: %+v", ct)
	}
	c.get(p.location).mustStatus(t, http.StatusOK).mustContain(t, "Contact created.", "<h1>Ada Lovelace</h1>")
}

func TestUIProfileRendersEveryCard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := idOf(e.createContact(map[string]any{"name": "Grace Hopper", "email": "grace@example.com", "phone": "+14155552671",
		"company": "Initech", "tags": []string{"vip"}, "country": "US", "city": "Arlington", "context": "Prefers email",
		"telegram_id": "4242", "custom": map[string]string{"plan": "gold"}, "notes": "Met at a conference"}))
	conv := e.addTranscript(id, [2]string{contacts.SenderContact, "Hi, what does it cost?"}, [2]string{contacts.SenderBot, "Prices start at 5."})
	if _, _, err := e.svc.ApplyEnrichment(ctx, e.project.ID, id, contacts.Enrichment{ConversationID: conv,
		Values:   []contacts.ProposedValue{{Field: "company", Value: "Globex", Confidence: 0.9, MessageIDs: []int64{1}}},
		Memories: []string{"Has two cats"}, Summary: "A developer evaluating the product", Sentiment: "positive", SentimentScore: 0.6,
		Intents: []string{"pricing"}, ConversationSummary: "Asked about prices"}); err != nil {
		t.Fatal(err)
	}
	e.do("POST", fmt.Sprintf("/api/v1/contacts/%d/notes", id), map[string]any{"body": "Call back on Monday"}).must(t, http.StatusCreated)
	c := e.owner()
	p := c.get(fmt.Sprintf("/contacts/%d", id)).mustStatus(t, http.StatusOK)
	p.mustContain(t,
		"<h1>Grace Hopper</h1>", `<span class="badge">telegram</span>`, "Lead: ", "Score: ",
		`data-card="basic"`, "grace@example.com", "&#43;14155552671", "Initech", `<span class="sr-only">Source: </span>api`,
		`data-card="custom"`, `<span class="pf-value">plan = gold</span>`, "Met at a conference",
		`data-card="identities"`, "4242",
		`data-card="tags"`, `aria-label="Remove tag vip"`,
		`data-card="notes"`, "Call back on Monday", "default",
		`data-card="insights"`, "Globex", "(now: Initech)", "90% sure", "/suggestions/", "/accept", "/reject",
		"Has two cats", "Learned by the AI", "A developer evaluating the product", "positive", `class="pf-trend"`,
		fmt.Sprintf(`conversation #%d`, conv), "pricing", fmt.Sprintf(`seen by the AI in <a href="/contacts/%d/conversations/%d">`, id, conv),
		`data-card="context"`, "Prefers email", `data-card="location"`, "Arlington",
		`data-card="conversations"`, "2 messages", "Asked about prices", fmt.Sprintf(`/contacts/%d/conversations/%d`, id, conv),
		`data-card="history"`, "Created", "Enriched by the AI",
		`href="/contacts/`+fmt.Sprint(id)+`/edit"`, "Merge with…", "Export data", `id="pf-delete-dialog"`, "Keep the conversation history, anonymised",
	)
	// Each card is also a fragment, without the page around it.
	for card := range profileCards {
		f := c.fragment(fmt.Sprintf("/contacts/%d/cards/%s", id, card)).mustStatus(t, http.StatusOK)
		f.mustContain(t, fmt.Sprintf(`data-card="%s"`, card))
		f.mustNotContain(t, "<html")
	}
	c.fragment(fmt.Sprintf("/contacts/%d/cards/nope", id)).mustStatus(t, http.StatusNotFound)
	c.get("/contacts/999999").mustStatus(t, http.StatusNotFound)
	// Another project's contact reads as missing.
	other, key := e.newProject("Other")
	_ = other
	foreign := idOf(e.doAs(key, "POST", "/api/v1/contacts", map[string]any{"name": "Foreign"}).must(t, http.StatusCreated).body)
	c.get(fmt.Sprintf("/contacts/%d", foreign)).mustStatus(t, http.StatusNotFound)
}

func TestUIProfileInlineEdit(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Edit Me", "email": "edit@example.com"}))
	c := e.owner()
	path := fmt.Sprintf("/contacts/%d/edit", id)

	p := c.postFragment(path, url.Values{"_card": {"basic"}, "email": {"not an email"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `data-card="basic"`, "Email is not a valid email address.", `aria-invalid="true"`, `class="pf-row is-editing" data-field="email"`,
		`value="not an email"`, "has-editing")
	p.mustNotContain(t, "<html")
	if p.header.Get("X-Profile-Notice") != "" {
		t.Error("a refused edit says it saved")
	}
	if got := e.contact(id).Email; got != "edit@example.com" {
		t.Errorf("a refused edit changed the email to %q", got)
	}

	p = c.postFragment(path, url.Values{"_card": {"basic"}, "email": {"New@Example.com"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, "new@example.com", `<span class="sr-only">Source: </span>staff`)
	p.mustNotContain(t, "is-editing", "field-error")
	if p.header.Get("X-Profile-Notice") != "Changes saved." {
		t.Errorf("notice %q", p.header.Get("X-Profile-Notice"))
	}
	ct := e.contact(id)
	if ct.Email != "new@example.com" || ct.FirstName != "Edit" {
		t.Errorf("after the edit: %+v", ct)
	}

	// Clearing every identifier is refused with a message the card shows.
	p = c.postFragment(path, url.Values{"_card": {"basic"}, "first_name": {""}, "last_name": {""}, "email": {""}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, "A contact needs a name, an email, a phone or a channel identity.")

	// Location and identities cards; the checkbox pair.
	c.postFragment(path, url.Values{"_card": {"location"}, "country": {"de"}, "city": {"Berlin"}}).mustStatus(t, http.StatusOK).mustContain(t, "DE", "Berlin")
	c.postFragment(path, url.Values{"_card": {"identities"}, "telegram_id": {"777"}}).mustStatus(t, http.StatusOK).mustContain(t, "777")
	c.postFragment(path, url.Values{"_card": {"basic"}, "do_not_contact": {"false", "true"}}).mustStatus(t, http.StatusOK)
	if ct := e.contact(id); ct.Country != "DE" || ct.City != "Berlin" || !ct.DoNotContact {
		t.Errorf("cards: %+v", ct)
	} else if tg, ok := ct.Identity(contacts.ChannelTelegram); !ok || tg.ExternalID != "777" {
		t.Errorf("telegram identity: %+v", ct.Identities)
	}
	c.postFragment(path, url.Values{"_card": {"nope"}, "email": {"x@example.com"}}).mustStatus(t, http.StatusNotFound)

	// Custom fields edit in place: a line without "=" is refused and keeps
	// what was typed; removing a line removes the key.
	p = c.postFragment(path, url.Values{"_card": {"custom"}, "custom": {"plan = gold\nseats 12"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `data-card="custom"`, "has a line without", `class="pf-row is-editing" data-field="custom"`, "seats 12</textarea>")
	if ct := e.contact(id); len(ct.Custom) != 0 {
		t.Errorf("a refused custom edit wrote %v", ct.Custom)
	}
	c.postFragment(path, url.Values{"_card": {"custom"}, "custom": {"plan = gold\nseats = 12"}}).mustStatus(t, http.StatusOK).
		mustContain(t, "plan = gold\nseats = 12")
	c.postFragment(path, url.Values{"_card": {"custom"}, "custom": {"seats = 14"}}).mustStatus(t, http.StatusOK)
	if ct := e.contact(id); len(ct.Custom) != 1 || ct.Custom["seats"] != "14" {
		t.Errorf("custom after edits: %v", ct.Custom)
	}

	// Without the script: a refused edit shows the whole profile with the
	// card open (200), a valid one goes back to it.
	p = c.postForm(path, url.Values{"_card": {"basic"}, "phone": {"12"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, "<h1>Edit Me</h1>", "Phone is not a valid phone number.")
	p = c.postForm(path, url.Values{"_card": {"basic"}, "phone": {"+14155552671"}}).mustStatus(t, http.StatusSeeOther)
	if p.location != fmt.Sprintf("/contacts/%d#basic", id) {
		t.Errorf("redirect %q", p.location)
	}

	// The full edit form: prefilled, and it saves every field it shows.
	c.get(path).mustStatus(t, http.StatusOK).mustContain(t, `value="new@example.com"`, `name="channel"`, "Save changes")
	form := url.Values{}
	for _, f := range contactFormFields {
		form.Set(f, fieldValue(e.contact(id), f))
	}
	form.Set("company", "Acme")
	form.Set("custom", "tier = 2")
	form["do_not_contact"] = []string{"false"}
	form.Set("channel", "manual")
	c.postForm(path, form).mustStatus(t, http.StatusSeeOther)
	if ct := e.contact(id); ct.Company != "Acme" || ct.Custom["tier"] != "2" || ct.DoNotContact || ct.Email != "new@example.com" {
		t.Errorf("full edit: %+v", ct)
	}
	form.Set("email", "bad@")
	c.postForm(path, form).mustStatus(t, http.StatusOK).mustContain(t, "Email is not a valid email address.", `value="bad@"`)
}

func TestUIProfileTagsAndNotes(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Tagged", "tags": []string{"old"}}))
	c := e.owner()
	p := c.postFragment(fmt.Sprintf("/contacts/%d/tags", id), url.Values{"tag": {"New Lead"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `data-card="tags"`, `aria-label="Remove tag old"`, `aria-label="Remove tag new lead"`)
	p = c.postFragment(fmt.Sprintf("/contacts/%d/tags", id), url.Values{"tag": {"a,b"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `id="pf-tag-error"`, `aria-invalid="true"`)
	p = c.postFragment(fmt.Sprintf("/contacts/%d/tags/remove", id), url.Values{"tag": {"old"}}).mustStatus(t, http.StatusOK)
	p.mustNotContain(t, `Remove tag old`)
	if tags := e.contact(id).Tags; strings.Join(tags, ",") != "new lead" {
		t.Errorf("tags %v", tags)
	}
	// Without the script the forms redirect back to the card.
	if p := c.postForm(fmt.Sprintf("/contacts/%d/tags", id), url.Values{"tag": {"third"}}); p.status != http.StatusSeeOther || !strings.HasSuffix(p.location, "#tags") {
		t.Errorf("plain tag post: %d %q", p.status, p.location)
	}

	p = c.postFragment(fmt.Sprintf("/contacts/%d/notes", id), url.Values{"body": {"Spoke on the phone\nall good"}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `data-card="notes"`, "Spoke on the phone\nall good", "<strong>admin@localhost</strong>", "just now")
	p = c.postFragment(fmt.Sprintf("/contacts/%d/notes", id), url.Values{"body": {"   "}}).mustStatus(t, http.StatusOK)
	p.mustContain(t, `id="pf-note-error"`, "Note must not be empty.")
	notes, err := e.svc.ListNotes(context.Background(), e.project.ID, id)
	if err != nil || len(notes) != 1 || notes[0].Author != "admin@localhost" {
		t.Errorf("notes %+v %v", notes, err)
	}
	c.postFragment("/contacts/999999/notes", url.Values{"body": {"x"}}).mustStatus(t, http.StatusNotFound)
}

func TestUIProfileSuggestions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := idOf(e.createContact(map[string]any{"name": "Sue", "company": "Initech", "country": "US"}))
	if _, _, err := e.svc.ApplyEnrichment(ctx, e.project.ID, id, contacts.Enrichment{Values: []contacts.ProposedValue{
		{Field: "company", Value: "Globex", Confidence: 0.8}, {Field: "country", Value: "FR", Confidence: 0.5}}}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListSuggestions(ctx, e.project.ID, id, contacts.SuggestionPending)
	if err != nil || len(list) != 2 {
		t.Fatalf("suggestions %+v %v", list, err)
	}
	byField := map[string]int64{}
	for _, s := range list {
		byField[s.Field] = s.ID
	}
	c := e.owner()
	p := c.postFragment(fmt.Sprintf("/contacts/%d/suggestions/%d/accept", id, byField["company"]), nil).mustStatus(t, http.StatusOK)
	if p.header.Get("X-Profile-Refresh") == "" {
		t.Error("accepting does not ask for the basic card to refresh")
	}
	p.mustContain(t, `data-card="insights"`, "FR")
	p.mustNotContain(t, "Globex")
	c.postFragment(fmt.Sprintf("/contacts/%d/suggestions/%d/reject", id, byField["country"]), nil).mustStatus(t, http.StatusOK).mustNotContain(t, "/reject")
	if ct := e.contact(id); ct.Company != "Globex" || ct.Country != "US" || ct.Sources["company"].Source != contacts.SourceStaff {
		t.Errorf("after the decisions: %+v", ct)
	}
	c.postFragment(fmt.Sprintf("/contacts/%d/suggestions/%d/accept", id, byField["country"]), nil).mustStatus(t, http.StatusConflict)
	c.postFragment(fmt.Sprintf("/contacts/%d/suggestions/%d/maybe", id, byField["country"]), nil).mustStatus(t, http.StatusNotFound)
}

func TestUIProfileTranscript(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Talker"}))
	conv := e.addTranscript(id,
		[2]string{contacts.SenderContact, "Hello <script>alert(1)</script>"},
		[2]string{contacts.SenderBot, "Hi! How can I help?"},
		[2]string{contacts.SenderStaff, "A person here."})
	c := e.owner()
	path := fmt.Sprintf("/contacts/%d/conversations/%d", id, conv)
	p := c.get(path).mustStatus(t, http.StatusOK)
	p.mustContain(t, "Conversation on widget",
		`<li class="pf-msg pf-msg-contact" id="msg-`, `<span class="pf-sender">Customer</span><span class="sr-only"> wrote at</span>`,
		`<li class="pf-msg pf-msg-bot" id="msg-`, `<span class="pf-sender">Bot</span>`,
		`<li class="pf-msg pf-msg-staff" id="msg-`, `<span class="pf-sender">Staff</span>`,
		"Hello &lt;script&gt;alert(1)&lt;/script&gt;", `<time datetime="`)
	p.mustNotContain(t, "<script>alert(1)")
	f := c.fragment(path).mustStatus(t, http.StatusOK)
	f.mustContain(t, `class="pf-transcript"`, "A person here.")
	f.mustNotContain(t, "<html")

	// A conversation of another contact is not this contact's.
	other := idOf(e.createContact(map[string]any{"name": "Other"}))
	c.get(fmt.Sprintf("/contacts/%d/conversations/%d", other, conv)).mustStatus(t, http.StatusNotFound)
	c.get(fmt.Sprintf("/contacts/%d/conversations/999999", id)).mustStatus(t, http.StatusNotFound)
}

func TestUIProfileExport(t *testing.T) {
	e := newEnv(t)
	id := idOf(e.createContact(map[string]any{"name": "Port Able", "email": "port@example.com"}))
	e.addTranscript(id, [2]string{contacts.SenderContact, "hello"})
	p := e.owner().get(fmt.Sprintf("/contacts/%d/export", id)).mustStatus(t, http.StatusOK)
	if cd := p.header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="contact-%d.json"`, id) {
		t.Errorf("Content-Disposition %q", cd)
	}
	var out struct {
		Contact       map[string]any   `json:"contact"`
		Conversations []map[string]any `json:"conversations"`
	}
	if err := json.Unmarshal([]byte(p.body), &out); err != nil || out.Contact["email"] != "port@example.com" || len(out.Conversations) != 1 {
		t.Errorf("export: %v %s", err, p.body)
	}
}

func TestUIProfileDuration(t *testing.T) {
	start := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	cases := []struct {
		name      string
		end, last time.Duration // after start; -1: not set
		want      string
	}{
		{"closed within a minute", 59 * time.Second, -1, "under a minute"},
		{"closed after minutes", 42*time.Minute + 30*time.Second, -1, "42 min"},
		{"closed on the hour", time.Hour, -1, "1 h"},
		{"closed after hours", 85 * time.Minute, -1, "1 h 25 min"},
		{"just under two days", 47*time.Hour + 59*time.Minute, -1, "47 h 59 min"},
		{"closed after days", 73 * time.Hour, -1, "3 days"},
		{"open: to the last message", -1, 10 * time.Minute, "10 min"},
		{"the end wins over the last message", 2 * time.Hour, 10 * time.Minute, "2 h"},
		{"open without a message", -1, -1, "–"},
		{"an end before the start", -time.Hour, -1, "–"},
	}
	for _, tc := range cases {
		cv := contacts.Conversation{StartedAt: start}
		if tc.end != -1 {
			cv.EndedAt = start.Add(tc.end)
		}
		if tc.last != -1 {
			cv.LastMessageAt = start.Add(tc.last)
		}
		if got := profileDuration(cv); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// conversationItem is the conversation card's entry for one conversation.
func conversationItem(t *testing.T, body string, conv int64) string {
	t.Helper()
	at := strings.Index(body, fmt.Sprintf(`id="pf-conv-%d"`, conv))
	start := strings.LastIndex(body[:max(at, 0)], `<li class="pf-conv">`)
	if at < 0 || start < 0 {
		t.Fatalf("no entry for conversation %d in:\n%s", conv, body)
	}
	end := strings.Index(body[at:], "</li>")
	return body[start : at+end]
}

func TestUIProfileConversationHistory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := idOf(e.createContact(map[string]any{"name": "Hist Ory"}))

	// A closed conversation with a known start and end, read by the AI.
	start := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	closed := &contacts.Conversation{ProjectID: e.project.ID, ContactID: id, Channel: contacts.ChannelTelegram, StartedAt: start}
	if err := e.db.CreateConversation(ctx, closed); err != nil {
		t.Fatal(err)
	}
	for i, m := range [][2]string{{contacts.SenderContact, "The parcel never came"}, {contacts.SenderBot, "Sorry to hear that."},
		{contacts.SenderContact, "Still nothing."}} {
		msg := &contacts.Message{ConversationID: closed.ID, Direction: contacts.DirectionInbound, SenderKind: m[0], Text: m[1],
			Status: "received", CreatedAt: start.Add(time.Duration(i*20) * time.Minute)}
		if m[0] == contacts.SenderBot {
			msg.Direction, msg.Status = contacts.DirectionOutbound, "sent"
		}
		if err := e.db.AddMessage(ctx, e.project.ID, msg); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.CloseConversation(ctx, e.project.ID, closed.ID, start.Add(85*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.ApplyEnrichment(ctx, e.project.ID, id, contacts.Enrichment{ConversationID: closed.ID,
		Sentiment: "negative", SentimentScore: -0.7, ConversationSummary: "A parcel that never arrived"}); err != nil {
		t.Fatal(err)
	}
	// An open one, not read yet: it runs to its last message.
	open := e.addTranscript(id, [2]string{contacts.SenderContact, "Hello?"}, [2]string{contacts.SenderBot, "Hi!"},
		[2]string{contacts.SenderContact, "Any news?"})

	c := e.owner()
	for _, path := range []string{fmt.Sprintf("/contacts/%d", id), fmt.Sprintf("/contacts/%d/cards/conversations", id)} {
		body := c.get(path).mustStatus(t, http.StatusOK).body
		item := conversationItem(t, body, closed.ID)
		for _, want := range []string{
			`<span class="badge"><span class="sr-only">Channel: </span>telegram</span>`,
			`<span class="sr-only">Started </span><time datetime="2024-03-05T09:30:00Z">2024-03-05 09:30</time>`,
			`<span class="sr-only">Duration: </span>1 h 25 min</span>`,
			`<span>3 messages</span>`,
			`<span class="badge"><span class="sr-only">Status: </span>closed</span>`,
			`<span class="badge danger"><span class="sr-only">Sentiment: </span>negative</span>`,
			"A parcel that never arrived",
		} {
			if !strings.Contains(item, want) {
				t.Errorf("%s: the closed conversation lacks %q:\n%s", path, want, item)
			}
		}
		item = conversationItem(t, body, open)
		for _, want := range []string{`<span class="badge"><span class="sr-only">Channel: </span>widget</span>`,
			`<span class="sr-only">Duration: </span>2 min</span>`, `<span>3 messages</span>`,
			`<span class="badge ok"><span class="sr-only">Status: </span>open</span>`} {
			if !strings.Contains(item, want) {
				t.Errorf("%s: the open conversation lacks %q:\n%s", path, want, item)
			}
		}
		if strings.Contains(item, "Sentiment: ") {
			t.Errorf("%s: a conversation the AI has not read shows a sentiment:\n%s", path, item)
		}
	}
	// The conversation's own page says the same.
	c.get(fmt.Sprintf("/contacts/%d/conversations/%d", id, closed.ID)).mustStatus(t, http.StatusOK).mustContain(t,
		"<h1>Conversation on telegram</h1>", `<dt>Duration</dt><dd>1 h 25 min</dd>`, `<dt>Messages</dt><dd>3</dd>`,
		`<dt>Status</dt><dd>closed`, `<dt>Sentiment</dt><dd><span class="badge danger">negative</span></dd>`)
}

func TestUIProfileInsightsProvenance(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := idOf(e.createContact(map[string]any{"name": "Prov Enance", "company": "Initech"}))
	first := e.addTranscript(id, [2]string{contacts.SenderContact, "I moved to Globex, what are your prices?"},
		[2]string{contacts.SenderBot, "Noted."})
	second := e.addTranscript(id, [2]string{contacts.SenderContact, "Can I book a demo?"})
	other := idOf(e.createContact(map[string]any{"name": "Some One Else"}))
	foreign := e.addTranscript(other, [2]string{contacts.SenderContact, "Not yours"})
	msgs := func(conv int64) []int64 {
		list, err := e.svc.ListMessages(ctx, e.project.ID, conv, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, m := range list {
			ids = append(ids, m.ID)
		}
		return ids
	}
	m1, theirs := msgs(first), msgs(foreign)[0]
	// The AI cites two messages of the first conversation, one that is
	// gone and one of another contact's conversation.
	for _, en := range []contacts.Enrichment{
		{ConversationID: first, Values: []contacts.ProposedValue{{Field: "company", Value: "Globex", Confidence: 0.8,
			MessageIDs: []int64{m1[0], m1[1], 999999, theirs}}}, Intents: []string{"pricing"}, Memories: []string{"Moved jobs"}},
		{ConversationID: second, Intents: []string{"pricing", "demo"}},
		{Intents: []string{"support"}}, // no conversation recorded
	} {
		if _, _, err := e.svc.ApplyEnrichment(ctx, e.project.ID, id, en); err != nil {
			t.Fatal(err)
		}
	}
	c := e.owner()
	card := fmt.Sprintf("/contacts/%d/cards/insights", id)
	conv := func(cv int64) string { return fmt.Sprintf("/contacts/%d/conversations/%d", id, cv) }
	p := c.fragment(card).mustStatus(t, http.StatusOK)
	p.mustContain(t,
		// The suggestion names its conversation and links each message.
		fmt.Sprintf(`Heard by the AI in <a href="%s">conversation #%d</a> (messages <a href="%s#msg-%d">#%d</a>, <a href="%s#msg-%d">#%d</a>); in messages #999999, #%d, no longer in this contact's conversations, 80%% sure`,
			conv(first), first, conv(first), m1[0], m1[0], conv(first), m1[1], m1[1], theirs),
		// Each intent names the conversations it was seen in.
		fmt.Sprintf(`<span class="tag">pricing</span> <span class="pf-prov">seen by the AI in <a href="%s">conversation #%d</a>, <a href="%s">conversation #%d</a></span>`,
			conv(first), first, conv(second), second),
		fmt.Sprintf(`<span class="tag">demo</span> <span class="pf-prov">seen by the AI in <a href="%s">conversation #%d</a></span>`, conv(second), second),
		`<span class="tag">support</span> <span class="pf-prov">seen by the AI; which conversation was not recorded</span>`,
		"Learned by the AI from the conversations",
	)
	p.mustNotContain(t, conv(foreign), fmt.Sprintf("/contacts/%d/conversations/%d", other, foreign), "intent_conversations")

	// The links land on the transcript, at the message cited.
	tr := c.get(conv(first)).mustStatus(t, http.StatusOK)
	tr.mustContain(t, fmt.Sprintf(`<li class="pf-msg pf-msg-contact" id="msg-%d">`, m1[0]), "I moved to Globex",
		fmt.Sprintf(`<li class="pf-msg pf-msg-bot" id="msg-%d">`, m1[1]))
	c.get(conv(second)).mustStatus(t, http.StatusOK).mustContain(t, "Can I book a demo?")

	// Memories staff wrote say who and when.
	staff := contacts.Actor{Kind: contacts.ActorUser, ID: 1, Name: "admin@localhost", Role: contacts.RoleOwner}
	memories := []string{"Moved jobs", "Prefers calls after 5"}
	ct, err := e.svc.UpdateContact(ctx, staff, e.project.ID, id, contacts.ContactInput{Memories: &memories})
	if err != nil {
		t.Fatal(err)
	}
	src := ct.Sources["memories"]
	if src.Source != contacts.SourceStaff || src.At.IsZero() {
		t.Fatalf("memories source %+v", src)
	}
	p = c.fragment(card).mustStatus(t, http.StatusOK)
	p.mustContain(t, fmt.Sprintf(`<p class="pf-prov">Written by staff on %s</p>`, src.At.UTC().Format("2006-01-02")),
		"<li>Prefers calls after 5</li>")
	p.mustNotContain(t, "Learned by the AI from the conversations")
}
