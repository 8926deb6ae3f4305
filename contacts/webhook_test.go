package contacts

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestValidateWebhookURL(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{" https://crm.example.com/hooks?src=sb ", "https://crm.example.com/hooks?src=sb", ""},
		{"http://10.0.0.5:8080/hook", "http://10.0.0.5:8080/hook", ""}, // private networks are allowed
		{"http://[::1]:9000/", "http://[::1]:9000/", ""},
		{"", "", "is required"},
		{"ftp://crm.example.com/", "", "must be an http or https URL"},
		{"crm.example.com/hook", "", "must be an http or https URL"},
		{"https:///hook", "", "must name a host"},
		{"https://user:pass@crm.example.com/", "", "must not carry credentials: the signing secret authenticates deliveries"},
		{"https://crm.example.com/#frag", "", "must not have a fragment"},
		{"https://crm.example.com:99999/", "", "has an invalid port"},
		{"https://crm.example.com/a b", "", "must not contain spaces"},
		{"https://crm.example.com/%zz", "", "is not a valid URL"},
	}
	for _, tc := range cases {
		got, err := ValidateWebhookURL(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("ValidateWebhookURL(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ValidateWebhookURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestWebhookInputApply(t *testing.T) {
	u, bad := "https://crm.example.com/", []string{"contact.created", "contact.exploded"}
	w := &WebhookEndpoint{}
	err := WebhookInput{URL: &u, Events: &bad}.Apply(w)
	ve, ok := err.(*ValidationError)
	if !ok || ve.Fields["events"] == "" || ve.Fields["url"] != "" {
		t.Fatalf("Apply: %v", err)
	}
	none := []string{}
	if err := (WebhookInput{Events: &none}).Apply(w); err == nil {
		t.Fatal("no events accepted")
	}
	evs := []string{EventConversationClosed, EventContactCreated, EventContactCreated}
	if err := (WebhookInput{Events: &evs}).Apply(w); err != nil || fmt.Sprint(w.Events) != "[contact.created conversation.closed]" {
		t.Fatalf("events %v, %v", w.Events, err)
	}
}

func TestWebhookEventsOf(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	cases := []struct {
		action string
		before any
		after  any
		want   string
	}{
		{AuditContactCreate, nil, nil, "[evt_7 contact.created 3 0 []]"},
		{AuditContactUpdate, nil, nil, "[evt_7 contact.updated 3 0 []]"},
		{AuditContactEnrich, nil, nil, "[evt_7 contact.updated 3 0 []]"},
		{AuditSuggestionAccept, nil, nil, "[evt_7 contact.updated 3 0 []]"},
		{AuditContactMerge, map[string]any{"others": []any{map[string]any{"contact": map[string]any{"id": 4}}, map[string]any{"contact": map[string]any{"id": 5}}}}, nil,
			"[evt_7 contact.merged 3 0 [4 5]]"},
		{AuditMergeUndo, nil, []any{map[string]any{"id": 3}, map[string]any{"id": 4}}, "[evt_7 contact.updated 3 0 [] evt_7_4 contact.updated 4 0 []]"},
		{AuditContactDelete, nil, map[string]bool{"keep_history": true}, "[evt_7 contact.deleted 3 0 []]"},
		{AuditPurgeVisitor, nil, nil, "[evt_7 contact.deleted 3 0 []]"},
		{AuditConversationClose, nil, map[string]int64{"conversation_id": 11}, "[evt_7 conversation.closed 3 11 []]"},
		{AuditConversationClose, nil, nil, "[]"},
		{AuditImportCreate, nil, map[string]any{"import_id": 2, "created": [][2]int64{{10, 11}, {14, 14}}},
			"[evt_7_10 contact.created 10 0 [] evt_7_11 contact.created 11 0 [] evt_7_14 contact.created 14 0 []]"},
		{AuditImportCreate, nil, map[string]any{"created": "junk"}, "[]"},
		{AuditNoteCreate, nil, nil, "[]"},
		{"something.else", nil, nil, "[]"},
	}
	for _, tc := range cases {
		e := AuditEntry{ID: 7, ProjectID: 1, Action: tc.action, ContactID: 3, At: at}
		if tc.before != nil {
			e.Before = raw(tc.before)
		}
		if tc.after != nil {
			e.After = raw(tc.after)
		}
		var got []string
		for _, ev := range WebhookEventsOf(e) {
			if !ev.At.Equal(at) || ev.AuditID != 7 {
				t.Errorf("%s: %+v", tc.action, ev)
			}
			got = append(got, fmt.Sprintf("%s %s %d %d %v", ev.ID, ev.Type, ev.ContactID, ev.ConversationID, ev.MergedIDs))
		}
		if s := "[" + strings.Join(got, " ") + "]"; s != tc.want {
			t.Errorf("%s: %s, want %s", tc.action, s, tc.want)
		}
	}
}
