package webui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func dashStrp(s string) *string { return &s }

func TestUIDashboardFigures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := contacts.Actor{Kind: contacts.ActorAPIKey, ID: 1, Name: "test", Role: contacts.RoleAdmin}
	// Six contacts: three on Telegram (two with an email), two on the
	// widget (one with a phone, one with an email), one added by staff.
	inputs := []contacts.ContactInput{
		{FirstName: dashStrp("Ada"), Channel: dashStrp("telegram"), Email: dashStrp("ada@example.com")},
		{FirstName: dashStrp("Bob"), Channel: dashStrp("telegram"), Email: dashStrp("bob@example.com")},
		{FirstName: dashStrp("Cy"), Channel: dashStrp("telegram")},
		{FirstName: dashStrp("Di"), Channel: dashStrp("widget"), Phone: dashStrp("+14155550111")},
		{FirstName: dashStrp("Ed"), Channel: dashStrp("widget"), Email: dashStrp("ed@example.com")},
		{FirstName: dashStrp("Flo"), Channel: dashStrp("manual")},
	}
	var ids []int64
	for _, in := range inputs {
		c, err := e.svc.CreateContact(ctx, admin, e.project.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// Two open conversations and a closed one.
	for i, status := range []string{contacts.ConversationOpen, contacts.ConversationOpen, contacts.ConversationClosed} {
		conv := &contacts.Conversation{ProjectID: e.project.ID, ContactID: ids[i], Channel: contacts.ChannelTelegram,
			Status: status, StartedAt: time.Now()}
		if err := e.db.CreateConversation(ctx, conv); err != nil {
			t.Fatal(err)
		}
	}
	// Two Telegram senders who wrote, went quiet, and wrote again: two
	// conversations each and neither email nor phone, so their lead status
	// is follow_up (contacts.DeriveLead), the only ones. Their first
	// conversations were closed by the second; the second stay open.
	base := time.Now().Add(-5 * time.Second)
	if today := time.Now().UTC().Truncate(24 * time.Hour); base.Before(today) {
		base = today // a run just after midnight keeps them in today's (and this month's) counts
	}
	var followUp []int64
	for _, sender := range []string{"7001", "7002"} {
		for i, at := range []time.Time{base, base.Add(2 * time.Second)} {
			res, err := e.svc.RecordInbound(ctx, contacts.Inbound{ProjectID: e.project.ID, Channel: contacts.ChannelTelegram,
				ExternalID: sender, ChannelMessageID: fmt.Sprintf("%s-%d", sender, i), Text: "hello?", At: at}, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 && (res.Contact.ConversationCount != 2 || res.Contact.LeadStatus != contacts.LeadFollowUp) {
				t.Fatalf("sender %s: %d conversations, lead status %s", sender, res.Contact.ConversationCount, res.Contact.LeadStatus)
			}
			if i == 1 {
				followUp = append(followUp, res.Contact.ID)
			}
		}
	}
	// Another project's contact counts nowhere.
	other, _ := e.newProject("Other")
	if _, err := e.svc.CreateContact(ctx, admin, other, contacts.ContactInput{FirstName: dashStrp("Zed"), Channel: dashStrp("widget")}); err != nil {
		t.Fatal(err)
	}

	p := e.owner().get("/")
	if p.status != http.StatusOK {
		t.Fatalf("dashboard: %d %s", p.status, p.body)
	}
	figure := func(key string) string {
		m := regexp.MustCompile(`data-figure="` + key + `">([^<]*)<`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no figure %s in\n%s", key, p.body)
		}
		return m[1]
	}
	// Eight contacts; 2 + 2 open conversations; (3 + 4) / 8 = 0.875
	// conversations each. Awaiting follow-up is 2, a figure no other
	// count on the page has.
	for key, want := range map[string]string{
		"total": "8", "new_this_month": "8", "open_conversations": "4",
		"email": "3 · 38%", "phone": "1 · 13%", "avg-conversations": "0.9",
		"new": "6 · 75%", "active": "0 · 0%", "follow_up": "2 · 25%", "archived": "0 · 0%",
		"awaiting_follow_up": "2",
	} {
		if got := figure(key); got != want {
			t.Errorf("figure %s = %q, want %q", key, got, want)
		}
	}
	d, err := e.svc.Dashboard(ctx, e.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.AwaitingFollowUp != 2 || d.ByLeadStatus["follow_up"] != 2 {
		t.Errorf("awaiting follow-up %d, by lead status %v", d.AwaitingFollowUp, d.ByLeadStatus)
	}
	// The tile's link lists exactly those two.
	if got := rowIDs(e.owner().get("/contacts?lead_status=follow_up").body); len(got) != 2 ||
		!(got[0] == followUp[0] && got[1] == followUp[1] || got[0] == followUp[1] && got[1] == followUp[0]) {
		t.Errorf("follow-up list %v, want %v", got, followUp)
	}

	// One bar per channel, largest first, each a link to its filtered list.
	rows := regexp.MustCompile(`<a class="bar-row" href="([^"]*)" aria-label="([^"]*)"`).FindAllStringSubmatch(p.body, -1)
	if len(rows) != 3 {
		t.Fatalf("%d channel bars, want 3: %q", len(rows), rows)
	}
	for i, want := range []struct{ href, label string }{
		{"/contacts?channel=telegram", "Telegram: 5 (63%) contacts"},
		{"/contacts?channel=widget", "Website widget: 2 (25%) contacts"},
		{"/contacts?channel=manual", "Added by staff: 1 (13%) contact"},
	} {
		if rows[i][1] != want.href || rows[i][2] != want.label {
			t.Errorf("bar %d: %q %q, want %q %q", i, rows[i][1], rows[i][2], want.href, want.label)
		}
	}
	if n := strings.Count(p.body, `class="bar"`); n != 3+30 {
		t.Errorf("%d bars drawn, want 3 channel bars and 30 day columns", n)
	}
	// Thirty days, today's column holding all eight, with its tooltip and its
	// row in the screen reader table.
	if n := strings.Count(p.body, `<g class="col">`); n != 30 {
		t.Errorf("%d day columns", n)
	}
	today := time.Now().UTC()
	p.mustContain(t, "<title>"+today.Format("Mon 2 Jan 2006")+": 8 new contacts</title>",
		`<th scope="row">`+today.Format("2006-01-02")+`</th><td>8</td>`,
		`<th scope="row">`+today.AddDate(0, 0, -29).Format("2006-01-02")+`</th><td>0</td>`,
		"8 new contacts in the last 30 days; most on "+today.Format("2 January")+" (8).",
		`href="/contacts?lead_status=follow_up"`, `href="/contacts?has_email=true"`, `href="/contacts?has_phone=true"`,
		`href="/contacts?created_from=`+today.Format("2006-01")+`-01"`, `href="/contacts?created=30d"`, `href="/inbox"`)
	if strings.Count(p.body, `<th scope="row">`) != 30 {
		t.Errorf("the day table has %d rows", strings.Count(p.body, `<th scope="row">`))
	}

	// The same numbers from the API.
	st := e.do("GET", "/api/v1/stats", nil)
	if st.status != http.StatusOK || st.body["open_conversations"] != 4.0 || st.body["total_contacts"] != 8.0 ||
		st.body["awaiting_follow_up"] != 2.0 {
		t.Fatalf("stats: %d %v", st.status, st.body)
	}
	if days, _ := st.body["new_per_day"].([]any); len(days) != 30 || days[29].(map[string]any)["count"] != 8.0 {
		t.Errorf("new_per_day: %v", st.body["new_per_day"])
	}
}

func TestUIDashboardEmptyAndAgent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, err := e.svc.AddUser(ctx, e.project.ID, "agent@example.com", contacts.RoleAgent, "agent password"); err != nil {
		t.Fatal(err)
	}
	p := e.owner().get("/")
	p.mustContain(t, "No contacts yet", `href="/imports/new"`, `data-figure="total">0<`)
	if strings.Contains(p.body, `class="bar-row"`) {
		t.Error("bars on an empty dashboard")
	}
	agent := e.loginAs("agent@example.com", "agent password").get("/")
	if agent.status != http.StatusOK {
		t.Fatalf("agent dashboard: %d", agent.status)
	}
	agent.mustContain(t, "No contacts yet", `data-figure="total">0<`)
	if strings.Contains(agent.body, `href="/imports/new"`) {
		t.Error("an agent is offered the import")
	}
}

// TestUIDashboardEscapes renders the dashboard with hostile names where
// stored values reach it: a channel value and the project name.
func TestUIDashboardEscapes(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)>"'`
	d := &contacts.Dashboard{Stats: contacts.Stats{Total: 3, ByChannel: map[string]int64{evil: 2, "telegram": 1},
		ByLeadStatus: map[string]int64{"new": 3}}}
	now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	for i := range contacts.DashboardDays {
		d.NewPerDay = append(d.NewPerDay, contacts.DayCount{Day: now.AddDate(0, 0, i-contacts.DashboardDays+1)})
	}
	v := uiView{Title: "Dashboard", Session: &contacts.Session{Email: evil, Role: contacts.RoleOwner},
		Project: contacts.Project{Name: evil}, Data: newDashboardData(d)}
	var buf bytes.Buffer
	if err := uiPages()["dashboard"].ExecuteTemplate(&buf, "layout", v); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	if strings.Contains(body, "<img") {
		t.Fatalf("unescaped name:\n%s", body)
	}
	for _, want := range []string{
		"&lt;img src=x onerror=alert(1)&gt;&#34;&#39;</text>",                         // the bar's label
		`aria-label="&lt;img src=x onerror=alert(1)&gt;&#34;&#39;: 2 (67%) contacts"`, // its accessible name
		`href="/contacts?channel=%3Cimg&#43;src%3Dx&#43;onerror%3Dalert%281%29%3E%22%27"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s", want)
		}
	}
}

func TestChartScaleAndLabels(t *testing.T) {
	for _, c := range []struct {
		most, top, step int64
	}{
		{0, 1, 1}, {1, 1, 1}, {3, 3, 1}, {6, 6, 2}, {7, 8, 2}, {40, 40, 10}, {1234, 1500, 500}, {1_000_000, 1_000_000, 500_000},
	} {
		if top, step := chartScale(c.most, 4); top != c.top || step != c.step {
			t.Errorf("chartScale(%d) = %d, %d; want %d, %d", c.most, top, step, c.top, c.step)
		}
	}
	for n, want := range map[int64]string{0: "0", 950: "950", 1500: "1.5k", 15000: "15k", 1_000_000: "1M", 2_500_000: "2.5M"} {
		if got := chartShort(n); got != want {
			t.Errorf("chartShort(%d) = %q, want %q", n, got, want)
		}
	}
	for share, want := range map[float64]string{0: "0%", 0.004: "<1%", 0.5: "50%", 0.995: ">99%", 1: "100%", 1.0 / 6: "17%"} {
		if got := dashPercent(share); got != want {
			t.Errorf("dashPercent(%v) = %q, want %q", share, got, want)
		}
	}
	// The day chart: every seventh date labelled, counted back from today,
	// the outer ones kept inside the chart.
	days := make([]chartDay, 30)
	start := time.Date(2026, 2, 9, 0, 0, 0, 0, time.UTC)
	for i := range days {
		days[i] = chartDay{Day: start.AddDate(0, 0, i), Count: int64(i % 3)}
	}
	ch := newDayChart("d", "t", days)
	var labels []string
	for _, l := range ch.XLabels {
		labels = append(labels, l.Label+"/"+l.Anchor)
	}
	if got := strings.Join(labels, " "); got != "10 Feb/start 17 Feb/middle 24 Feb/middle 3 Mar/middle 10 Mar/end" {
		t.Errorf("date labels: %s", got)
	}
	for i, c := range ch.Columns {
		if c.Y+c.H != ch.BaseY || (days[i].Count > 0) != (c.H > 0) {
			t.Errorf("column %d: y %d h %d for %d", i, c.Y, c.H, days[i].Count)
		}
	}
	if top := ch.Grid[len(ch.Grid)-1]; top.Label != "2" || top.Pos != float64(ch.PlotTop) {
		t.Errorf("top grid line: %+v", top)
	}
}
