package webui

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// uiDashboard registers the dashboard, the UI's start page.
func (s *Server) uiDashboard(ui uiRoutes) {
	ui.get("/", s.dashboardPage)
}

// dashboardData is the dashboard page: headline figures, the two charts,
// data completeness and the lead funnel, each figure linking to the
// contact list filtered to what it counts.
type dashboardData struct {
	Tiles        []dashTile
	Completeness []dashShare
	Leads        []dashShare
	Channels     barChart
	Days         columnChart
	DaysHref     string
	AvgConvs     string
	Empty        bool
}

// dashTile is a headline figure.
type dashTile struct {
	Key   string
	Label string
	Value string
	Href  string
	Note  string
}

// dashShare is a part of all contacts: a count, its share and a bar.
type dashShare struct {
	Key   string
	Label string
	Count string
	Share string
	Width float64
	Href  string
}

func (s *Server) dashboardPage(c *fiber.Ctx) error {
	d, err := s.svc.Dashboard(c.UserContext(), uiSession(c).ProjectID)
	if err != nil {
		return err
	}
	return s.page(c, "dashboard", "Dashboard", "dashboard", newDashboardData(d))
}

func newDashboardData(d *contacts.Dashboard) dashboardData {
	monthStart := d.NewPerDay[len(d.NewPerDay)-1].Day.AddDate(0, 0, 1-d.NewPerDay[len(d.NewPerDay)-1].Day.Day())
	out := dashboardData{
		Empty: d.Total == 0,
		Tiles: []dashTile{
			{Key: "total", Label: "Total contacts", Value: dashCount(d.Total), Href: "/contacts"},
			{Key: "new_this_month", Label: "New this month", Value: dashCount(d.NewThisMonth), Href: dashContactsURL("created_from", monthStart.Format("2006-01-02")),
				Note: "since " + monthStart.Format("2 January")},
			{Key: "open_conversations", Label: "Active conversations", Value: dashCount(d.OpenConversations), Href: "/inbox", Note: "open, all channels"},
			{Key: "awaiting_follow_up", Label: "Awaiting follow-up", Value: dashCount(d.AwaitingFollowUp), Href: dashContactsURL("lead_status", string(contacts.LeadFollowUp)),
				Note: "lead status follow-up"},
		},
		AvgConvs: strconv.FormatFloat(d.AvgConversations, 'f', 1, 64),
		DaysHref: dashContactsURL("created", "30d"),
	}
	out.Completeness = []dashShare{
		dashShareOf("email", "With an email address", dashRound(d.ShareWithEmail*float64(d.Total)), d.ShareWithEmail, dashContactsURL("has_email", "true")),
		dashShareOf("phone", "With a phone number", dashRound(d.ShareWithPhone*float64(d.Total)), d.ShareWithPhone, dashContactsURL("has_phone", "true")),
	}
	for _, st := range contacts.LeadStatuses {
		n := d.ByLeadStatus[string(st)]
		out.Leads = append(out.Leads, dashShareOf(string(st), dashLeadLabel(st), n, dashFraction(n, d.Total), dashContactsURL("lead_status", string(st))))
	}

	type kv struct {
		k string
		n int64
	}
	var chans []kv
	for k, n := range d.ByChannel {
		chans = append(chans, kv{k, n})
	}
	sort.Slice(chans, func(i, j int) bool {
		if chans[i].n != chans[j].n {
			return chans[i].n > chans[j].n
		}
		return chans[i].k < chans[j].k
	})
	bars := make([]chartBar, len(chans))
	for i, ch := range chans {
		label := dashChannelLabel(ch.k)
		text := fmt.Sprintf("%s (%s)", dashCount(ch.n), dashPercent(dashFraction(ch.n, d.Total)))
		bars[i] = chartBar{Label: label, Value: ch.n, Text: text, Href: dashContactsURL("channel", ch.k),
			Tip: fmt.Sprintf("%s: %s %s", label, text, dashPlural(ch.n, "contact", "contacts"))}
	}
	out.Channels = newBarChart("chart-channels", "Contacts by channel", bars)
	out.Channels.Desc = fmt.Sprintf("%d channels, %s contacts in all.", len(bars), dashCount(d.Total))

	days := make([]chartDay, len(d.NewPerDay))
	for i, dc := range d.NewPerDay {
		days[i] = chartDay{Day: dc.Day, Count: dc.Count}
	}
	out.Days = newDayChart("chart-days", fmt.Sprintf("New contacts per day, last %d days", len(days)), days)
	return out
}

func dashShareOf(key, label string, n int64, frac float64, href string) dashShare {
	return dashShare{Key: key, Label: label, Count: dashCount(n), Share: dashPercent(frac), Width: chartPct(frac), Href: href}
}

func dashFraction(n, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return float64(n) / float64(total)
}

func dashRound(f float64) int64 { return int64(f + 0.5) }

func dashCount(n int64) string { return thousands(strconv.FormatInt(n, 10)) }

// dashContactsURL links the contact list filtered by one list parameter (the
// API's list query, which the list page reads from its URL).
func dashContactsURL(param, value string) string {
	return "/contacts?" + url.Values{param: {value}}.Encode()
}

var dashChannelLabels = map[string]string{
	"widget": "Website widget", "livechat": "Live chat", "telegram": "Telegram", "messenger": "Messenger",
	"instagram": "Instagram", "whatsapp": "WhatsApp", "whatsapp-cloud": "WhatsApp Cloud", "api": "API",
	"import": "Import", "manual": "Added by staff",
}

// dashChannelLabel names a channel for people; an unknown one as it is stored.
func dashChannelLabel(ch string) string {
	if l, ok := dashChannelLabels[ch]; ok {
		return l
	}
	if ch == "" {
		return "(none)"
	}
	return ch
}

func dashLeadLabel(st contacts.LeadStatus) string {
	switch st {
	case contacts.LeadNew:
		return "New"
	case contacts.LeadActive:
		return "Active"
	case contacts.LeadFollowUp:
		return "Follow-up"
	case contacts.LeadArchived:
		return "Archived"
	}
	return string(st)
}
