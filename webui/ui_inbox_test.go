package webui

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// chat records an inbound message from a sender, as a channel would.
func (e *testEnv) chat(project int64, ch contacts.Channel, from, name, text string) *contacts.InboundResult {
	e.t.Helper()
	res, err := e.srv.router.Receive(context.Background(), contacts.Inbound{ProjectID: project, Channel: ch, ExternalID: from,
		Hints: contacts.Hints{FirstName: name}, ChannelMessageID: fmt.Sprintf("%s:%d", from, time.Now().UnixNano()), Text: text})
	if err != nil {
		e.t.Fatalf("receive from %s: %v", from, err)
	}
	return res
}

func TestUIInboxListsOpenConversationsLatestFirst(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.project.ID
	first := e.chat(p, contacts.ChannelTelegram, "111", "Olga", "first")
	evil := e.chat(p, contacts.ChannelWidget, "visitor-1", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>")
	closed := e.chat(p, contacts.ChannelTelegram, "222", "Closed Carl", "done")
	if err := e.srv.router.CloseConversation(ctx, p, closed.Conversation.ID); err != nil {
		t.Fatal(err)
	}
	other, _ := e.newProject("Elsewhere")
	e.chat(other, contacts.ChannelTelegram, "333", "Other Otto", "not yours")
	time.Sleep(5 * time.Millisecond) // a later millisecond: Olga's new message sorts first
	e.chat(p, contacts.ChannelTelegram, "111", "Olga", "latest from Olga")

	c := e.owner()
	pg := c.get("/inbox")
	if pg.status != http.StatusOK {
		t.Fatalf("inbox: %d %s", pg.status, pg.body)
	}
	pg.mustContain(t, "2 open conversations", "Olga", "latest from Olga", "telegram", "widget", "Awaiting reply",
		// The hostile name and message are text.
		"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
		`href="/inbox/`+strconv.FormatInt(first.Conversation.ID, 10)+`"`)
	for _, bad := range []string{"<img src=x", "<script>alert", "Closed Carl", "Other Otto"} {
		if strings.Contains(pg.body, bad) {
			t.Errorf("the inbox shows %q", bad)
		}
	}
	olga := strings.Index(pg.body, `id="conv-`+strconv.FormatInt(first.Conversation.ID, 10)+`"`)
	visitor := strings.Index(pg.body, `id="conv-`+strconv.FormatInt(evil.Conversation.ID, 10)+`"`)
	if olga < 0 || visitor < 0 || olga > visitor {
		t.Errorf("order: Olga at %d, the visitor at %d; Olga wrote last", olga, visitor)
	}

	// The bot has both; taken over, Olga's moves to the staff view.
	if err := e.srv.router.Assign(ctx, p, first.Conversation.ID, contacts.AssigneeStaff); err != nil {
		t.Fatal(err)
	}
	human := c.fragment("/inbox?mode=human")
	human.mustContain(t, "1 open conversation", "Olga", "Human")
	if strings.Contains(human.body, "onerror") || strings.Contains(human.body, "<html") {
		t.Errorf("the staff view fragment: %s", human.body)
	}
	// A row for the live list; 204 once it does not belong there.
	row := c.fragment("/inbox/" + strconv.FormatInt(evil.Conversation.ID, 10) + "/row")
	if row.status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(row.body), "<li") {
		t.Errorf("row: %d %s", row.status, row.body)
	}
	if r := c.fragment("/inbox/" + strconv.FormatInt(evil.Conversation.ID, 10) + "/row?mode=human"); r.status != http.StatusNoContent {
		t.Errorf("a bot conversation's row in the staff view: %d", r.status)
	}
	if r := c.fragment("/inbox/" + strconv.FormatInt(closed.Conversation.ID, 10) + "/row"); r.status != http.StatusNoContent {
		t.Errorf("a closed conversation's row: %d", r.status)
	}
	if r := c.get("/inbox?mode=everyone"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown mode: %d", r.status)
	}
}

func TestUIInboxConversationPage(t *testing.T) {
	e := newEnv(t)
	p := e.project.ID
	res := e.chat(p, contacts.ChannelWidget, "visitor-9", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>")
	r := e.do("PATCH", "/api/v1/contacts/"+strconv.FormatInt(res.Contact.ID, 10),
		`{"email": "vis@example.com", "tags": ["vip"]}`)
	if r.status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.status, r.raw)
	}
	id := strconv.FormatInt(res.Conversation.ID, 10)
	c := e.owner()
	pg := c.get("/inbox/" + id)
	if pg.status != http.StatusOK {
		t.Fatalf("conversation: %d %s", pg.status, pg.body)
	}
	pg.mustContain(t, "&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", `data-sender="contact"`,
		">Customer<", "vis@example.com", ">vip<", `href="/contacts/`+strconv.FormatInt(res.Contact.ID, 10)+`"`,
		"Take over from the bot", ">Close<", `action="/inbox/`+id+`/reply"`, "Bot mode")
	if strings.Contains(pg.body, "<script>alert") || strings.Contains(pg.body, "<img src=x") {
		t.Error("user text rendered as markup")
	}

	// Another project's conversation reads as missing.
	other, _ := e.newProject("Elsewhere")
	theirs := e.chat(other, contacts.ChannelTelegram, "1", "Theirs", "hello")
	for _, path := range []string{"/inbox/%d", "/inbox/%d/row", "/inbox/%d/messages", "/inbox/%d/head"} {
		if r := c.fragment(fmt.Sprintf(path, theirs.Conversation.ID)); r.status != http.StatusNotFound {
			t.Errorf("%s of another project: %d", path, r.status)
		}
	}
	if r := c.postForm(fmt.Sprintf("/inbox/%d/reply", theirs.Conversation.ID), url.Values{"text": {"hi"}}); r.status != http.StatusNotFound {
		t.Errorf("a reply into another project: %d", r.status)
	}
	msgs, _ := e.svc.ListMessages(context.Background(), other, theirs.Conversation.ID, 0, 10)
	if len(msgs) != 1 {
		t.Errorf("the other project's conversation has %d messages", len(msgs))
	}
}

func TestUIInboxReplyHandoffAndClose(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := e.project.ID
	res := e.chat(p, contacts.ChannelWidget, "visitor-2", "Vera", "Do you ship to Spain?")
	id := strconv.FormatInt(res.Conversation.ID, 10)
	c := e.owner()
	c.get("/inbox/" + id)

	// A plain form post: the router stores and sends it, the page reloads.
	sub := e.srv.router.Hub().Subscribe(res.Contact.ID) // what the visitor's widget hears
	defer sub.Close()
	r := c.postForm("/inbox/"+id+"/reply", url.Values{"text": {"Yes, we do <b>ship</b>"}})
	if r.status != http.StatusSeeOther || r.location != "/inbox/"+id+"#reply" {
		t.Fatalf("reply: %d %s %s", r.status, r.location, r.body)
	}
	select {
	case ev := <-sub.C:
		if ev.Message.SenderKind != contacts.SenderStaff || ev.Message.Text != "Yes, we do <b>ship</b>" {
			t.Errorf("the widget heard %+v", ev.Message)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the staff reply did not reach the visitor's widget")
	}
	seen, err := e.svc.VisitorMessages(ctx, p, contacts.ChannelWidget, "visitor-2", 0)
	if err != nil || len(seen) != 2 || seen[1].SenderKind != contacts.SenderStaff || seen[1].Status != contacts.StatusStored {
		t.Fatalf("the visitor's messages %+v, %v", seen, err)
	}

	// The page's script posts as a fragment and gets the message back.
	frag := c.fragmentPost("/inbox/"+id+"/reply", url.Values{"text": {"Anything else?"}})
	if frag.status != http.StatusOK || !strings.Contains(frag.body, `data-sender="staff"`) || !strings.Contains(frag.body, "Anything else?") ||
		strings.Contains(frag.body, "<html") {
		t.Fatalf("fragment reply: %d %s", frag.status, frag.body)
	}
	// An empty reply: the form's error, with 200.
	empty := c.fragmentPost("/inbox/"+id+"/reply", url.Values{"text": {"   "}})
	if empty.status != http.StatusOK || !strings.Contains(empty.body, "data-reply-error") {
		t.Errorf("empty fragment reply: %d %s", empty.status, empty.body)
	}
	form := c.postForm("/inbox/"+id+"/reply", url.Values{"text": {""}})
	if form.status != http.StatusOK || !strings.Contains(form.body, "The reply must be 1 to 4096 characters") {
		t.Errorf("empty form reply: %d %s", form.status, form.body)
	}
	// Without the CSRF token nothing is sent.
	if r := c.postForm("/inbox/"+id+"/reply", url.Values{"text": {"forged"}, "_csrf": {"nope"}}); r.status != http.StatusForbidden {
		t.Errorf("a reply without the token: %d", r.status)
	}
	msgs, _ := e.svc.ListMessages(ctx, p, res.Conversation.ID, 0, 100)
	if len(msgs) != 3 {
		t.Errorf("%d messages stored, want 3 (the visitor's and two replies)", len(msgs))
	}
	// New messages after one the page shows, for the live transcript.
	after := c.fragment(fmt.Sprintf("/inbox/%s/messages?after=%d", id, msgs[0].ID))
	if strings.Count(after.body, `<li class="msg`) != 2 {
		t.Errorf("messages after the first: %s", after.body)
	}

	// Take over, then hand back.
	r = c.postForm("/inbox/"+id+"/handoff", url.Values{"to": {"human"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("take over: %d %s", r.status, r.body)
	}
	if cv, _ := e.svc.Conversation(ctx, p, res.Conversation.ID); cv.Assignee != contacts.AssigneeStaff {
		t.Errorf("assignee after take over: %s", cv.Assignee)
	}
	c.get("/inbox/"+id).mustContain(t, "Hand back to the bot", "Human mode", "the bot stays silent")
	c.fragment("/inbox/"+id+"/head").mustContain(t, "Hand back to the bot")
	if r := c.postForm("/inbox/"+id+"/handoff", url.Values{"to": {"martians"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("handoff to martians: %d", r.status)
	}
	c.postForm("/inbox/"+id+"/handoff", url.Values{"to": {"bot"}})
	if cv, _ := e.svc.Conversation(ctx, p, res.Conversation.ID); cv.Assignee != contacts.AssigneeBot {
		t.Errorf("assignee after hand back: %s", cv.Assignee)
	}

	// Close: back to the inbox, which no longer lists it; the page stays
	// readable without the reply box.
	r = c.postForm("/inbox/"+id+"/close", url.Values{})
	if r.status != http.StatusSeeOther || r.location != "/inbox" {
		t.Fatalf("close: %d %s", r.status, r.location)
	}
	if cv, _ := e.svc.Conversation(ctx, p, res.Conversation.ID); cv.Status != contacts.ConversationClosed {
		t.Errorf("status after close: %s", cv.Status)
	}
	list := c.get("/inbox")
	list.mustContain(t, "Closed the conversation with Vera.", "0 open conversations")
	closedPage := c.get("/inbox/" + id)
	closedPage.mustContain(t, "This conversation is closed.")
	if strings.Contains(closedPage.body, `id="reply"`) || strings.Contains(closedPage.body, "Take over") {
		t.Error("a closed conversation offers a reply or a take-over")
	}
}

func TestUIInboxDoNotContactMayStillBeAnswered(t *testing.T) {
	e := newEnv(t)
	res := e.chat(e.project.ID, contacts.ChannelWidget, "visitor-3", "Stella", "STOP")
	id := strconv.FormatInt(res.Conversation.ID, 10)
	c := e.owner()
	c.get("/inbox/"+id).mustContain(t, "opted out of automated messages", "you may still reply in person")
	r := c.postForm("/inbox/"+id+"/reply", url.Values{"text": {"Sorry to see you go"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	c.get("/inbox/"+id).mustContain(t, "Reply sent. This contact opted out", "Sorry to see you go")
}

// sse reads an event stream's data lines in the background.
type sse struct {
	data   chan string
	cancel context.CancelFunc
	done   chan struct{}
}

func (c *uiClient) events(path string) *sse {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.env.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := c.http.Do(req)
	if err != nil {
		cancel()
		c.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		c.t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sse{data: make(chan string, 100), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				s.data <- d
			}
		}
	}()
	c.t.Cleanup(func() { cancel(); <-s.done })
	return s
}

// next returns the next event, failing after a few seconds.
func (s *sse) next(t *testing.T) inboxEvent {
	t.Helper()
	select {
	case d := <-s.data:
		var ev inboxEvent
		if err := json.Unmarshal([]byte(d), &ev); err != nil {
			t.Fatalf("event %q: %v", d, err)
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
	return inboxEvent{}
}

func TestUIInboxEventStream(t *testing.T) {
	e := newEnv(t)
	p := e.project.ID
	c := e.owner()
	all := c.events("/inbox/events")
	time.Sleep(50 * time.Millisecond) // let the stream subscribe

	res := e.chat(p, contacts.ChannelWidget, "visitor-4", "Nina", "Hi, anyone?")
	if ev := all.next(t); ev.Type != "opened" || ev.ConversationID != res.Conversation.ID {
		t.Errorf("first event %+v", ev)
	}
	if ev := all.next(t); ev.Type != "message" || ev.MessageID != res.Message.ID || ev.ConversationID != res.Conversation.ID {
		t.Errorf("second event %+v", ev)
	}

	// A stream for one conversation hears only that one; another project's
	// events reach neither.
	one := c.events("/inbox/events?conversation=" + strconv.FormatInt(res.Conversation.ID, 10))
	time.Sleep(50 * time.Millisecond)
	other, _ := e.newProject("Elsewhere")
	e.chat(other, contacts.ChannelTelegram, "5", "Else", "elsewhere")
	e.chat(p, contacts.ChannelTelegram, "6", "Sam", "another conversation")
	e.chat(p, contacts.ChannelWidget, "visitor-4", "Nina", "still me")
	if ev := all.next(t); ev.Type != "opened" || ev.ConversationID == res.Conversation.ID {
		t.Errorf("Sam's conversation: %+v", ev)
	}
	all.next(t) // Sam's message
	if ev := all.next(t); ev.Type != "message" || ev.ConversationID != res.Conversation.ID {
		t.Errorf("Nina's second message: %+v", ev)
	}
	if ev := one.next(t); ev.Type != "message" || ev.ConversationID != res.Conversation.ID {
		t.Errorf("the one-conversation stream: %+v", ev)
	}
	if err := e.srv.router.CloseConversation(context.Background(), p, res.Conversation.ID); err != nil {
		t.Fatal(err)
	}
	if ev := one.next(t); ev.Type != "closed" {
		t.Errorf("after close: %+v", ev)
	}

	// Someone else's conversation id, and no session at all.
	theirs := e.chat(other, contacts.ChannelTelegram, "7", "Them", "x")
	if r := c.fragment("/inbox/events?conversation=" + strconv.FormatInt(theirs.Conversation.ID, 10)); r.status != http.StatusNotFound {
		t.Errorf("a stream of another project's conversation: %d", r.status)
	}
	if r := e.uiClient().get("/inbox/events"); r.status != http.StatusSeeOther {
		t.Errorf("a stream without a session: %d", r.status)
	}
}

func TestUIInboxStreamEndsWithTheSession(t *testing.T) {
	old := inboxHeartbeat
	oldCheck := inboxSessionCheck
	inboxHeartbeat, inboxSessionCheck = 20*time.Millisecond, 0
	t.Cleanup(func() { inboxHeartbeat, inboxSessionCheck = old, oldCheck })
	e := newEnv(t)
	c := e.owner()
	s := c.events("/inbox/events")
	c.postForm("/logout", url.Values{})
	if ev := s.next(t); ev.Type != "ended" {
		t.Errorf("after sign-out: %+v", ev)
	}
	select {
	case <-s.done:
	case <-time.After(2 * time.Second):
		t.Error("the stream stayed open after the session ended")
	}
}

func TestUIInboxShutdownDoesNotWaitForStreams(t *testing.T) {
	e := newEnv(t)
	c := e.owner()
	s := c.events("/inbox/events")
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("shutdown took %v with a stream open", took)
	}
	select {
	case <-s.done:
	case <-time.After(2 * time.Second):
		t.Error("the stream is still open after shutdown")
	}
}

// fragmentPost posts a form as the page's script does.
func (c *uiClient) fragmentPost(path string, form url.Values) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.env.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Fragment", "1")
	req.Header.Set(csrfHeader, c.csrf)
	return c.do(req)
}
