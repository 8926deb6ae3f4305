package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestEnrichmentFollowsProvenance(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		staff := contacts.Actor{Kind: contacts.ActorUser, ID: 7, Name: "ana@acme.test", Role: contacts.RoleAdmin}
		c, err := f.svc.CreateContact(ctx, staff, f.project, contacts.ContactInput{FirstName: str("Robert"), TelegramID: str("42")})
		if err != nil {
			t.Fatal(err)
		}
		other := f.create(t, contacts.ContactInput{Email: str("taken@example.com")})
		e := contacts.Enrichment{ConversationID: 0,
			Values: []contacts.ProposedValue{
				{Field: "first_name", Value: "Bob", Confidence: 0.9, MessageIDs: []int64{3}}, // staff typed Robert
				{Field: "last_name", Value: "Smith", Confidence: 0.8},
				{Field: "email", Value: "Taken@Example.com", Confidence: 0.9}, // another contact's
				{Field: "phone", Value: "not a phone"},                        // invalid: dropped
				{Field: "company", Value: "Initech"},
				{Field: "country", Value: "Germany"}, // not a code: dropped
			},
			Memories:  []string{"Prefers morning appointments", "prefers MORNING appointments", "Has two kids"},
			Summary:   "A returning customer interested in the premium plan.",
			Sentiment: "positive", SentimentScore: 0.6, Intents: []string{"pricing"},
		}
		got, out, err := f.svc.ApplyEnrichment(ctx, f.project, c.ID, e)
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstName != "Robert" || got.LastName != "Smith" || got.Company != "Initech" || got.Email != "" || got.Country != "" {
			t.Fatalf("profile after enrichment: %+v", got)
		}
		if got.Sources["last_name"].Source != contacts.SourceAI || got.Sources["first_name"].Source != contacts.SourceStaff {
			t.Fatalf("sources: %+v", got.Sources)
		}
		if len(got.Memories) != 2 || out.Memories != 2 {
			t.Fatalf("memories %v (added %d), want two distinct", got.Memories, out.Memories)
		}
		if len(out.Suggestions) != 1 || out.Suggestions[0].Field != "first_name" || out.Suggestions[0].Value != "Bob" || out.Suggestions[0].Current != "Robert" {
			t.Fatalf("suggestions: %+v", out.Suggestions)
		}
		if len(out.Claims) != 1 || out.Claims[0].OtherID != other.ID {
			t.Fatalf("claims: %+v", out.Claims)
		}
		if got.LearnedContext["summary"] != e.Summary || len(got.Intents()) != 1 || !got.HasBuyingIntent() {
			t.Fatalf("learned context: %+v", got.LearnedContext)
		}
		groups, err := f.svc.Duplicates(ctx, f.project, 10)
		if err != nil || len(groups) != 1 || groups[0].Reason != "claimed" {
			t.Fatalf("duplicates: %+v %v", groups, err)
		}
		audit, err := f.svc.Audit(ctx, contacts.AuditQuery{ProjectID: f.project, ContactID: c.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if audit[0].Action != contacts.AuditContactEnrich || audit[0].ActorKind != contacts.ActorAI {
			t.Fatalf("latest audit entry: %+v", audit[0])
		}

		// The same enrichment again changes nothing and suggests nothing new.
		again, out2, err := f.svc.ApplyEnrichment(ctx, f.project, c.ID, e)
		if err != nil || len(out2.Suggestions) != 0 || len(out2.Applied) != 0 || len(again.Memories) != 2 {
			t.Fatalf("second run: %+v %+v %v", again, out2, err)
		}

		list, err := f.svc.ListSuggestions(ctx, f.project, c.ID, contacts.SuggestionPending)
		if err != nil || len(list) != 1 {
			t.Fatalf("pending suggestions: %+v %v", list, err)
		}
		sg, accepted, err := f.svc.DecideSuggestion(ctx, staff, f.project, c.ID, list[0].ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if sg.Status != contacts.SuggestionAccepted || accepted.FirstName != "Bob" || accepted.Sources["first_name"].Source != contacts.SourceStaff {
			t.Fatalf("accepted: %+v %+v", sg, accepted)
		}
		if _, _, err := f.svc.DecideSuggestion(ctx, staff, f.project, c.ID, list[0].ID, false); !errors.Is(err, contacts.ErrConflict) {
			t.Fatalf("deciding twice: %v, want ErrConflict", err)
		}
		if _, _, err := f.svc.DecideSuggestion(ctx, staff, f.project, other.ID, list[0].ID, true); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("another contact's suggestion: %v, want ErrNotFound", err)
		}
		if _, err := f.svc.ListSuggestions(ctx, f.project, 99999, ""); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("suggestions of a missing contact: %v", err)
		}
	})
}

func TestRejectedSuggestionIsNotMadeAgain(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{FirstName: str("Li"), Company: str("Acme")})
		e := contacts.Enrichment{Values: []contacts.ProposedValue{{Field: "company", Value: "Globex"}}}
		_, out, err := f.svc.ApplyEnrichment(ctx, f.project, c.ID, e)
		if err != nil || len(out.Suggestions) != 1 {
			t.Fatalf("%+v %v", out, err)
		}
		if _, _, err := f.svc.DecideSuggestion(ctx, f.actor, f.project, c.ID, out.Suggestions[0].ID, false); err != nil {
			t.Fatal(err)
		}
		got, out, err := f.svc.ApplyEnrichment(ctx, f.project, c.ID, e)
		if err != nil || len(out.Suggestions) != 0 || got.Company != "Acme" {
			t.Fatalf("after rejection: %+v %+v %v", got, out, err)
		}
	})
}

func TestConversationInsightsAndSentimentTrend(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		res, err := f.svc.RecordInbound(ctx, contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelTelegram, ExternalID: "9",
			ChannelMessageID: "m1", Text: "hi", At: f.now}, 0)
		if err != nil {
			t.Fatal(err)
		}
		cid, conv := res.Contact.ID, res.Conversation.ID
		for _, label := range []string{"negative", "positive"} {
			if _, _, err := f.svc.ApplyEnrichment(ctx, f.project, cid, contacts.Enrichment{ConversationID: conv, Sentiment: label,
				SentimentScore: 0.5, ConversationSummary: "Asked about " + label}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := f.svc.Conversation(ctx, f.project, conv)
		if err != nil || got.Summary != "Asked about positive" || got.Sentiment != "positive" || got.SentimentScore != 0.5 {
			t.Fatalf("conversation: %+v %v", got, err)
		}
		c, _ := f.svc.GetContact(ctx, f.project, cid)
		if trend, _ := c.LearnedContext["sentiment_trend"].([]any); len(trend) != 1 {
			t.Fatalf("one point per conversation, got %v", c.LearnedContext["sentiment_trend"])
		}
	})
}

func TestCollectedValuesFillOnlyEmptyFields(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.create(t, contacts.ContactInput{TelegramID: str("1"), Phone: str("+14155550100")})
		f.create(t, contacts.ContactInput{Email: str("mine@example.com")})
		applied, err := f.svc.ApplyCollected(ctx, f.project, c.ID, map[string]string{"email": "mine@example.com", "phone": "+14155550199", "name": "ana maria Silva"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.GetContact(ctx, f.project, c.ID)
		if len(applied) != 2 || got.FirstName != "ana maria" || got.LastName != "Silva" || got.Phone != "+14155550100" || got.Email != "" {
			t.Fatalf("applied %v, contact %+v", applied, got)
		}
		if got.Sources["first_name"].Source != contacts.SourceChannel {
			t.Fatalf("sources: %+v", got.Sources)
		}
	})
}

func TestBotSettingsStateAndUsage(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if raw, err := f.svc.BotSettings(ctx, f.project); err != nil || raw != nil {
			t.Fatalf("unsaved settings: %s %v", raw, err)
		}
		for _, s := range []string{`{"enabled":true}`, `{"enabled":false}`} {
			if err := f.svc.SetBotSettings(ctx, f.project, []byte(s)); err != nil {
				t.Fatal(err)
			}
		}
		if raw, err := f.svc.BotSettings(ctx, f.project); err != nil || string(raw) != `{"enabled":false}` {
			t.Fatalf("settings: %s %v", raw, err)
		}
		res, err := f.svc.RecordInbound(ctx, contacts.Inbound{ProjectID: f.project, Channel: contacts.ChannelTelegram, ExternalID: "9",
			ChannelMessageID: "m1", Text: "hi", At: f.now}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetBotState(ctx, f.project, res.Conversation.ID, []byte(`{"pending":"email"}`)); err != nil {
			t.Fatal(err)
		}
		conv, _ := f.svc.Conversation(ctx, f.project, res.Conversation.ID)
		if string(conv.BotState) != `{"pending":"email"}` {
			t.Fatalf("bot state %s", conv.BotState)
		}
		if err := f.svc.SetBotState(ctx, f.project+1, res.Conversation.ID, []byte(`{}`)); !errors.Is(err, contacts.ErrNotFound) {
			t.Fatalf("another project's conversation: %v", err)
		}
		day := contacts.UsageDay(f.now)
		for i := 0; i < 3; i++ {
			if err := f.svc.AddUsage(ctx, f.project, day, 100, 20); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.AddUsage(ctx, f.project, "2026-02-27", 1000, 0); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.UsageOn(ctx, f.project, day); err != nil || n != 360 {
			t.Fatalf("usage today %d %v", n, err)
		}
		st, err := f.svc.Stats(ctx, f.project)
		if err != nil || st.AIToday.Requests != 3 || st.AIThisMonth.Tokens() != 360 {
			t.Fatalf("stats: %+v %v", st, err)
		}
	})
}

func TestKeyedJobsRunOncePerBurst(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for i := 0; i < 5; i++ {
			j := &contacts.QueuedJob{ProjectID: f.project, Kind: "k", Payload: []byte(`{"n":` + itoa(int64(i)) + `}`),
				RunAt: f.now.Add(time.Duration(i) * time.Second), CreatedAt: f.now}
			if err := db.EnqueueKeyed(ctx, j, "conv:1"); err != nil {
				t.Fatal(err)
			}
		}
		if j, err := db.Claim(ctx, f.now.Add(3*time.Second), time.Minute, contacts.JobKinds{}); err != nil || j != nil {
			t.Fatalf("the burst's job moved to its last run time; claimed early: %+v %v", j, err)
		}
		j, err := db.Claim(ctx, f.now.Add(4*time.Second), time.Minute, contacts.JobKinds{})
		if err != nil || j == nil || string(j.Payload) != `{"n":4}` {
			t.Fatalf("claim: %+v %v", j, err)
		}
		// While it runs, a new trigger queues a second run.
		if err := db.EnqueueKeyed(ctx, &contacts.QueuedJob{ProjectID: f.project, Kind: "k", RunAt: f.now.Add(10 * time.Second), CreatedAt: f.now}, "conv:1"); err != nil {
			t.Fatal(err)
		}
		if err := db.Complete(ctx, j.ID, f.now); err != nil {
			t.Fatal(err)
		}
		next, err := db.Claim(ctx, f.now.Add(10*time.Second), time.Minute, contacts.JobKinds{})
		if err != nil || next == nil || next.ID == j.ID {
			t.Fatalf("second run: %+v %v", next, err)
		}
	})
}

func TestIntentConversationsAndMessageSources(t *testing.T) {
	eachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		a := f.create(t, contacts.ContactInput{FirstName: str("Ana")})
		b := f.create(t, contacts.ContactInput{FirstName: str("Bo")})
		conv := func(contactID int64, texts ...string) (int64, []int64) {
			cv := &contacts.Conversation{ProjectID: f.project, ContactID: contactID, Channel: contacts.ChannelWidget, StartedAt: f.now}
			if err := db.CreateConversation(ctx, cv); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, text := range texts {
				m := &contacts.Message{ConversationID: cv.ID, Direction: contacts.DirectionInbound, SenderKind: contacts.SenderContact,
					Text: text, Status: "received", CreatedAt: f.now}
				if err := db.AddMessage(ctx, f.project, m); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			return cv.ID, ids
		}
		c1, m1 := conv(a.ID, "hi", "what does it cost?")
		c2, m2 := conv(a.ID, "can I see a demo?")
		_, m3 := conv(b.ID, "another contact's words")

		// Only the contact's own conversations answer.
		got, err := f.svc.MessageConversations(ctx, f.project, a.ID, []int64{m1[1], m2[0], m3[0], 999999})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[m1[1]] != c1 || got[m2[0]] != c2 {
			t.Fatalf("message conversations: %v, want %d→%d and %d→%d only", got, m1[1], c1, m2[0], c2)
		}
		if got, err := f.svc.MessageConversations(ctx, f.project, a.ID, nil); err != nil || len(got) != 0 {
			t.Fatalf("no ids: %v %v", got, err)
		}

		// Each intent remembers the conversations it was seen in.
		for _, e := range []contacts.Enrichment{{ConversationID: c1, Intents: []string{"pricing"}},
			{ConversationID: c2, Intents: []string{"pricing", "demo"}}} {
			if _, _, err := f.svc.ApplyEnrichment(ctx, f.project, a.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := f.svc.GetContact(ctx, f.project, a.ID)
		seen := before.IntentConversations()
		if len(seen) != 2 || !reflect.DeepEqual(seen["pricing"], []int64{c1, c2}) || !reflect.DeepEqual(seen["demo"], []int64{c2}) {
			t.Fatalf("intent conversations: %v", seen)
		}
		// The same reading again changes nothing.
		if _, _, err := f.svc.ApplyEnrichment(ctx, f.project, a.ID, contacts.Enrichment{ConversationID: c2, Intents: []string{"demo"}}); err != nil {
			t.Fatal(err)
		}
		if again, _ := f.svc.GetContact(ctx, f.project, a.ID); again.Version != before.Version {
			t.Fatalf("a repeated enrichment rewrote the contact: version %d → %d, %v", before.Version, again.Version, again.IntentConversations())
		}
		// Only the newest conversations are kept per intent.
		for id := int64(1000); id < 1010; id++ {
			if _, _, err := f.svc.ApplyEnrichment(ctx, f.project, a.ID, contacts.Enrichment{ConversationID: id, Intents: []string{"demo"}}); err != nil {
				t.Fatal(err)
			}
		}
		after, _ := f.svc.GetContact(ctx, f.project, a.ID)
		if got := after.IntentConversations()["demo"]; !reflect.DeepEqual(got, []int64{1005, 1006, 1007, 1008, 1009}) {
			t.Fatalf("demo seen in %v, want the five newest", got)
		}
	})
}
