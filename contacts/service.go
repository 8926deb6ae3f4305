package contacts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Service holds every rule of the contact engine over a Store. HTTP handlers,
// the CLI and (later) the gateway call it; none of them talks to the store.
type Service struct {
	store  Store
	now    Clock
	region string
	log    *slog.Logger
	keys   *keyCache
	chans  channelCache
	bg     jobs
	// BulkSyncLimit is the largest bulk action answered at once; larger ones
	// run as a background job.
	BulkSyncLimit int
}

// Config configures a Service.
type Config struct {
	Store         Store
	Clock         Clock  // nil: the wall clock
	DefaultRegion string // phone region for numbers without +; "" is "US"
	Logger        *slog.Logger
}

// NewService builds a Service.
func NewService(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock
	}
	if cfg.DefaultRegion == "" {
		cfg.DefaultRegion = "US"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{store: cfg.Store, now: cfg.Clock, region: strings.ToUpper(cfg.DefaultRegion),
		log: cfg.Logger.With("component", "contacts"), keys: newKeyCache(), BulkSyncLimit: 500}
	s.bg.ctx, s.bg.cancel = context.WithCancel(context.Background())
	return s
}

// Region is the default phone region for numbers written without +.
func (s *Service) Region() string { return s.region }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Ping checks the store answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// sourceFor maps an actor to the provenance of what it writes.
func sourceFor(a Actor) Source {
	switch a.Kind {
	case ActorUser:
		return SourceStaff
	case ActorAI:
		return SourceAI
	case ActorAPIKey:
		return SourceAPI
	}
	return SourceAPI
}

// CreateContact validates in and stores a new contact. The source channel
// defaults to api for API keys and manual for staff.
func (s *Service) CreateContact(ctx context.Context, actor Actor, projectID int64, in ContactInput) (*Contact, error) {
	now := s.now()
	c := &Contact{ProjectID: projectID, CreatedAt: now, UpdatedAt: now}
	c.Channel = ChannelAPI
	if actor.Kind == ActorUser {
		c.Channel = ChannelManual
	}
	if err := in.Apply(c, sourceFor(actor), now, s.region); err != nil {
		return nil, err
	}
	if !c.HasIdentifier() {
		return nil, Invalid("contact", "a contact needs a name, an email, a phone or a channel identity")
	}
	c.ApplyLead(now)
	audit := NewAudit(projectID, actor, AuditContactCreate, 0, nil, c, now)
	if err := s.store.CreateContact(ctx, c, audit); err != nil {
		return nil, fmt.Errorf("create contact: %w", err)
	}
	return c, nil
}

// GetContact returns one contact of the project.
func (s *Service) GetContact(ctx context.Context, projectID, id int64) (*Contact, error) {
	c, err := s.store.GetContact(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("get contact %d: %w", id, err)
	}
	return c, nil
}

// UpdateContact applies a partial update.
func (s *Service) UpdateContact(ctx context.Context, actor Actor, projectID, id int64, in ContactInput) (*Contact, error) {
	return s.mutate(ctx, actor, projectID, id, func(c *Contact, now time.Time) error {
		if err := in.Apply(c, sourceFor(actor), now, s.region); err != nil {
			return err
		}
		if !c.HasIdentifier() {
			return Invalid("contact", "a contact needs a name, an email, a phone or a channel identity")
		}
		return nil
	})
}

// mutate runs fn in the store's read-modify-write transaction and keeps the
// derived fields current.
func (s *Service) mutate(ctx context.Context, actor Actor, projectID, id int64, fn func(*Contact, time.Time) error) (*Contact, error) {
	now := s.now()
	c, err := s.store.UpdateContact(ctx, projectID, id, actor, AuditContactUpdate, now, func(c *Contact) error {
		if err := fn(c, now); err != nil {
			return err
		}
		c.UpdatedAt = now
		c.ApplyLead(now)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update contact %d: %w", id, err)
	}
	return c, nil
}

// AddTags adds tags to a contact.
func (s *Service) AddTags(ctx context.Context, actor Actor, projectID, id int64, tags []string) (*Contact, error) {
	norm, err := NormalizeTags(tags)
	if err != nil {
		return nil, err
	}
	if len(norm) == 0 {
		return nil, Invalid("tags", "name at least one tag")
	}
	return s.mutate(ctx, actor, projectID, id, func(c *Contact, _ time.Time) error {
		c.Tags = unionStrings(c.Tags, norm)
		if len(c.Tags) > maxTags {
			return Invalid("tags", "too many tags")
		}
		return nil
	})
}

// RemoveTags removes tags from a contact; absent tags are ignored.
func (s *Service) RemoveTags(ctx context.Context, actor Actor, projectID, id int64, tags []string) (*Contact, error) {
	norm, err := NormalizeTags(tags)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, t := range norm {
		drop[t] = true
	}
	return s.mutate(ctx, actor, projectID, id, func(c *Contact, _ time.Time) error {
		kept := c.Tags[:0]
		for _, t := range c.Tags {
			if !drop[t] {
				kept = append(kept, t)
			}
		}
		c.Tags = kept
		return nil
	})
}

// DeleteContact erases a contact (see EraseContact: a grace period in the
// project's settings hides it first). keepHistory keeps its conversations
// for the business's records, unlinked and with the contact's identifying
// values (email, phone, names, channel ids) blanked out of every message.
// The audit entry records the erasure, not the erased data.
func (s *Service) DeleteContact(ctx context.Context, actor Actor, projectID, id int64, keepHistory bool) error {
	_, err := s.EraseContact(ctx, actor, projectID, id, &keepHistory)
	return err
}

// ListContacts answers a list query after checking its bounds.
func (s *Service) ListContacts(ctx context.Context, q ListQuery) (*ListResult, error) {
	if err := s.checkQuery(&q); err != nil {
		return nil, err
	}
	res, err := s.store.ListContacts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	return res, nil
}

func (s *Service) checkQuery(q *ListQuery) error {
	v := &ValidationError{}
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		v.Add("per_page", fmt.Sprintf("must be between 1 and %d", MaxPerPage))
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		v.Add("page", fmt.Sprintf("must be between 1 and %d", MaxPage))
	}
	if q.Sort == "" {
		q.Sort, q.Desc = "created_at", true
	}
	valid := false
	for _, f := range SortFields {
		valid = valid || f == q.Sort
	}
	if !valid {
		v.Add("sort", "must be one of "+strings.Join(SortFields, ", ")+", optionally prefixed with -")
	}
	if len([]rune(q.Q)) > 200 {
		v.Add("q", "is too long")
	}
	if q.After < 0 {
		v.Add("after", "must not be negative")
	}
	if len(q.IDs) > MaxListIDs {
		v.Add("ids", fmt.Sprintf("at most %d ids", MaxListIDs))
	}
	for _, st := range q.LeadStatuses {
		ok := false
		for _, k := range LeadStatuses {
			ok = ok || k == st
		}
		if !ok {
			v.Add("lead_status", "must be one of new, active, follow_up, archived")
		}
	}
	for i, t := range q.Tags {
		n, err := NormalizeTag(t)
		if err != nil {
			v.Add("tags", "is not a valid tag")
		}
		q.Tags[i] = n
	}
	for i, c := range q.Countries {
		// Normalised as stored: a code upper-cased, a name as written.
		n, err := normalizeCountry(c)
		if err != nil {
			v.Add("country", "is not a valid country list")
		}
		q.Countries[i] = n
	}
	return v.Err()
}

// Duplicates returns groups of contacts that look like the same person.
func (s *Service) Duplicates(ctx context.Context, projectID int64, limit int) ([]DuplicateGroup, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.FindDuplicates(ctx, projectID, limit)
}

// Merge folds req.ContactIDs into req.PrimaryID. Agents may not merge.
func (s *Service) Merge(ctx context.Context, actor Actor, projectID int64, req MergeRequest) (*Contact, *Merge, error) {
	if actor.Role == RoleAgent {
		return nil, nil, fmt.Errorf("agents cannot merge contacts: %w", ErrForbidden)
	}
	return s.merge(ctx, actor, projectID, req, nil)
}

// merge folds the contacts in; then, when set, adjusts the merged contact
// before it is saved.
func (s *Service) merge(ctx context.Context, actor Actor, projectID int64, req MergeRequest, then func(*Contact)) (*Contact, *Merge, error) {
	if err := ValidateMerge(req); err != nil {
		return nil, nil, err
	}
	now := s.now()
	c, m, err := s.store.Merge(ctx, projectID, req, actor, now, func(p *Contact, others []*Contact) error {
		ApplyMerge(p, others, req.Fields, now)
		if then != nil {
			then(p)
		}
		p.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("merge into %d: %w", req.PrimaryID, err)
	}
	return c, m, nil
}

// UndoMerge restores the contacts a merge folded away. Agents may not: an
// undo is a merge in reverse.
func (s *Service) UndoMerge(ctx context.Context, actor Actor, projectID, mergeID int64) ([]*Contact, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot undo merges: %w", ErrForbidden)
	}
	cs, err := s.store.UndoMerge(ctx, projectID, mergeID, actor, s.now())
	if err != nil {
		return nil, fmt.Errorf("undo merge %d: %w", mergeID, err)
	}
	return cs, nil
}

// RefreshLeads keeps time-derived lead statuses current; serve runs it
// periodically.
func (s *Service) RefreshLeads(ctx context.Context) (int, error) {
	now := s.now()
	return s.store.RefreshLeads(ctx, now, func(c *Contact) { c.ApplyLead(now) })
}

// RecordInbound stores a customer's message on its contact and conversation,
// creating either as needed; a redelivered message changes nothing. idle
// closes a conversation after that much silence (0: the default, 30 min).
func (s *Service) RecordInbound(ctx context.Context, in Inbound, idle time.Duration) (*InboundResult, error) {
	if in.At.IsZero() {
		in.At = s.now()
	}
	in.At = in.At.UTC().Truncate(time.Millisecond)
	if err := in.validate(s.region); err != nil {
		return nil, err
	}
	if idle <= 0 {
		idle = DefaultConversationIdle
	}
	res, err := s.store.RecordInbound(ctx, in, idle, in.applyTo)
	if err != nil {
		return nil, fmt.Errorf("record inbound %s message: %w", in.Channel, err)
	}
	s.linkVerified(ctx, in, res)
	return res, nil
}

// linkVerified folds the sender's contact into the contact that holds a
// value the channel verified as the sender's (a Telegram user sharing their
// own number after /start, an anonymous widget visitor who logs in), so one
// person keeps one contact and one history. It runs after the message is
// committed, as a merge staff can undo; if it fails, the claim recorded with
// the message still shows the pair to staff. For a phone, the holder must
// have no identity of its own on the channel: two accounts sharing a number
// may be two people.
func (s *Service) linkVerified(ctx context.Context, in Inbound, res *InboundResult) {
	if res.Duplicate || res.Contact == nil {
		return
	}
	// The message is committed: a client hanging up must not cost the link,
	// which a one-off contact share would never offer again.
	ctx = context.WithoutCancel(ctx)
	for _, cl := range res.Claims {
		if !cl.Verified || cl.OtherID == res.Contact.ID {
			continue
		}
		holder, err := s.store.GetContact(ctx, in.ProjectID, cl.OtherID)
		if err != nil {
			s.log.Warn("link verified contact: holder", "contact", cl.OtherID, "err", err)
			continue
		}
		if cl.Field == "phone" && !holder.PhoneVouched() {
			continue // the holder's number may be someone else's typo or lie
		}
		if _, taken := holder.Identity(in.Channel); taken && cl.Field != "external_id" {
			continue // a site's user id is one person, whichever browser
		}
		// The sender's identity stays on the merged contact, the newest on
		// its channel as applyTo keeps it, so replies reach the device the
		// customer is writing from.
		merged, _, err := s.merge(ctx, ChannelActor, in.ProjectID, MergeRequest{PrimaryID: holder.ID, ContactIDs: []int64{res.Contact.ID}},
			func(p *Contact) { p.SetIdentity(in.Channel, in.ExternalID, in.Handle, in.At) })
		if err != nil {
			s.log.Warn("link verified contact: merge", "contact", res.Contact.ID, "into", holder.ID, "err", err)
			continue
		}
		res.Contact, res.Linked = merged, true
		if res.Conversation != nil {
			res.Conversation.ContactID = merged.ID
		}
		return
	}
}

// PurgeAnonymous erases widget and live-chat visitors who never left an
// identifier and have not been seen for ttl, with their conversations: a
// page view or a one-off "hi" should not become a lead forever. It returns
// how many it erased.
func (s *Service) PurgeAnonymous(ctx context.Context, ttl time.Duration) (int, error) {
	if ttl <= 0 {
		return 0, nil
	}
	n := 0
	for {
		vs, err := s.store.AnonymousBefore(ctx, s.now().Add(-ttl), 500)
		if err != nil || len(vs) == 0 {
			return n, err
		}
		for _, v := range vs {
			audit := NewAudit(v.ProjectID, SystemActor, AuditPurgeVisitor, v.ContactID, nil, map[string]string{"ttl": ttl.String()}, s.now())
			if err := s.store.DeleteContact(ctx, v.ProjectID, v.ContactID, nil, audit); err != nil && !errors.Is(err, ErrNotFound) {
				return n, fmt.Errorf("purge anonymous visitor %d: %w", v.ContactID, err)
			}
			n++
		}
	}
}

// AddNote adds a team note to a contact.
func (s *Service) AddNote(ctx context.Context, actor Actor, projectID, contactID int64, body string) (*Note, error) {
	b, err := cleanText("body", body, maxTextLen, true)
	if err != nil {
		return nil, err
	}
	if b == "" {
		return nil, Invalid("body", "must not be empty")
	}
	n := &Note{ContactID: contactID, AuthorID: actor.ID, Author: actor.Name, Body: b, CreatedAt: s.now()}
	if actor.Kind != ActorUser {
		n.AuthorID = 0
	}
	audit := NewAudit(projectID, actor, AuditNoteCreate, contactID, nil, n, n.CreatedAt)
	if err := s.store.CreateNote(ctx, projectID, n, audit); err != nil {
		return nil, fmt.Errorf("add note to %d: %w", contactID, err)
	}
	return n, nil
}

// ListNotes lists a contact's team notes, newest first.
func (s *Service) ListNotes(ctx context.Context, projectID, contactID int64) ([]Note, error) {
	if _, err := s.store.GetContact(ctx, projectID, contactID); err != nil {
		return nil, err
	}
	return s.store.ListNotes(ctx, projectID, contactID)
}

// ListConversations lists a contact's conversations, newest first.
func (s *Service) ListConversations(ctx context.Context, projectID, contactID int64) ([]Conversation, error) {
	if _, err := s.store.GetContact(ctx, projectID, contactID); err != nil {
		return nil, err
	}
	return s.store.ListConversations(ctx, projectID, contactID)
}

// ListMessages lists a conversation's messages in order.
func (s *Service) ListMessages(ctx context.Context, projectID, conversationID, afterID int64, limit int) ([]Message, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	if _, err := s.store.GetConversation(ctx, projectID, conversationID); err != nil {
		return nil, err
	}
	return s.store.ListMessages(ctx, projectID, conversationID, afterID, limit)
}

// maxMessageLookup bounds one MessageConversations call, so a page's
// lookup stays one small query.
const maxMessageLookup = 500

// MessageConversations maps message ids to the contact's conversations
// holding them: where the AI read what it suggests. Ids of messages gone or
// in another contact's conversations are left out.
func (s *Service) MessageConversations(ctx context.Context, projectID, contactID int64, messageIDs []int64) (map[int64]int64, error) {
	if len(messageIDs) > maxMessageLookup {
		messageIDs = messageIDs[:maxMessageLookup]
	}
	out, err := s.store.MessageConversations(ctx, projectID, contactID, messageIDs)
	if err != nil {
		return nil, fmt.Errorf("conversations of messages of contact %d: %w", contactID, err)
	}
	return out, nil
}

// ContactExport is one contact's data for portability requests.
type ContactExport struct {
	Contact       *Contact             `json:"contact"`
	Notes         []Note               `json:"team_notes"`
	Conversations []ConversationExport `json:"conversations"`
	ExportedAt    time.Time            `json:"exported_at"`
}

// ConversationExport is a conversation with its messages.
type ConversationExport struct {
	Conversation
	Messages []Message `json:"messages"`
}

// ExportContact gathers everything stored about one contact, for a
// portability request. Agents may not export.
func (s *Service) ExportContact(ctx context.Context, actor Actor, projectID, id int64) (*ContactExport, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot export contact data: %w", ErrForbidden)
	}
	c, err := s.GetContact(ctx, projectID, id)
	if err != nil {
		return nil, err
	}
	notes, err := s.store.ListNotes(ctx, projectID, id)
	if err != nil {
		return nil, err
	}
	convs, err := s.store.ListConversations(ctx, projectID, id)
	if err != nil {
		return nil, err
	}
	out := &ContactExport{Contact: c, Notes: notes, ExportedAt: s.now(), Conversations: []ConversationExport{}}
	for _, cv := range convs {
		ce := ConversationExport{Conversation: cv, Messages: []Message{}}
		for after := int64(0); ; {
			msgs, err := s.store.ListMessages(ctx, projectID, cv.ID, after, 1000)
			if err != nil {
				return nil, err
			}
			ce.Messages = append(ce.Messages, msgs...)
			if len(msgs) < 1000 {
				break
			}
			after = msgs[len(msgs)-1].ID
		}
		out.Conversations = append(out.Conversations, ce)
	}
	return out, nil
}

// SaveFilter stores a named list query for the actor.
func (s *Service) SaveFilter(ctx context.Context, actor Actor, projectID int64, name, query string) (*SavedFilter, error) {
	v := &ValidationError{}
	n, err := cleanText("name", name, maxShortLen, false)
	if err != nil || n == "" {
		v.Add("name", "must be 1-200 characters")
	}
	if len(query) > 4000 {
		v.Add("query", "is too long")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := &SavedFilter{ProjectID: projectID, UserID: actor.ID, Name: n, Query: strings.TrimPrefix(query, "?"), CreatedAt: s.now()}
	if err := s.store.CreateSavedFilter(ctx, f, actor.Owner()); err != nil {
		return nil, fmt.Errorf("save filter: %w", err)
	}
	return f, nil
}

// ListSavedFilters lists the actor's saved filters.
func (s *Service) ListSavedFilters(ctx context.Context, actor Actor, projectID int64) ([]SavedFilter, error) {
	return s.store.ListSavedFilters(ctx, projectID, actor.Owner())
}

// DeleteSavedFilter deletes one of the actor's saved filters.
func (s *Service) DeleteSavedFilter(ctx context.Context, actor Actor, projectID, id int64) error {
	return s.store.DeleteSavedFilter(ctx, projectID, actor.Owner(), id)
}

// Stats summarises the project's contacts.
func (s *Service) Stats(ctx context.Context, projectID int64) (*Stats, error) {
	now := s.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	st, err := s.store.Stats(ctx, projectID, month)
	if err != nil {
		return nil, err
	}
	if st.AIToday, err = s.store.AIUsage(ctx, projectID, UsageDay(now)); err != nil {
		return nil, fmt.Errorf("stats: model usage today: %w", err)
	}
	if st.AIThisMonth, err = s.store.AIUsage(ctx, projectID, UsageDay(month)); err != nil {
		return nil, fmt.Errorf("stats: model usage this month: %w", err)
	}
	return st, nil
}

// Audit lists audit entries.
func (s *Service) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	return s.store.ListAudit(ctx, q)
}

// GetJob returns a background job's progress.
func (s *Service) GetJob(ctx context.Context, projectID, id int64) (*Job, error) {
	return s.store.GetJob(ctx, projectID, id)
}
