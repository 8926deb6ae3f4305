package contacts

import (
	"context"
	"time"
)

// Store persists the contact engine. contacts/sqlstore implements it for
// SQLite and PostgreSQL. Every method that names a project returns
// ErrNotFound for an entity of another project, exactly as for a missing one.
type Store interface {
	Ping(ctx context.Context) error

	// CreateContact inserts c with its identities and tags and sets c.ID. It
	// returns a *DuplicateError when a unique value belongs to another contact.
	CreateContact(ctx context.Context, c *Contact, audit AuditEntry) error
	// BulkInsertContacts inserts many new contacts in few transactions, with
	// every index maintained; the path imports use. It stops at the first
	// error and reports it; earlier batches stay committed.
	BulkInsertContacts(ctx context.Context, cs []*Contact) error
	// GetContact returns ErrNotFound when the contact does not exist in the project.
	GetContact(ctx context.Context, projectID, id int64) (*Contact, error)
	// UpdateContact loads the contact, lets mutate change it and saves it in
	// one transaction, auditing before and after. mutate's error aborts it.
	// A unique clash returns *DuplicateError; a missing contact ErrNotFound.
	UpdateContact(ctx context.Context, projectID, id int64, actor Actor, action string, at time.Time, mutate func(*Contact) error) (*Contact, error)
	// DeleteContact erases the contact. With a redact func its conversations
	// and messages stay, unlinked from it, each message text passed through
	// redact; with nil they go too. ErrNotFound for a missing contact.
	DeleteContact(ctx context.Context, projectID, id int64, redact func(string) string, audit AuditEntry) error
	// ListContacts answers the contact list query.
	ListContacts(ctx context.Context, q ListQuery) (*ListResult, error)
	// FindDuplicates groups contacts sharing an email, a phone, or a name and company.
	FindDuplicates(ctx context.Context, projectID int64, limit int) ([]DuplicateGroup, error)
	// Merge loads the primary and others, lets apply fold them, then moves
	// notes and conversations to the primary, deletes the others and records
	// the merge with snapshots for undo, all in one transaction.
	Merge(ctx context.Context, projectID int64, req MergeRequest, actor Actor, at time.Time, apply func(primary *Contact, others []*Contact) error) (*Contact, *Merge, error)
	// UndoMerge restores the merged-away contacts and the primary as they
	// were. ErrNotFound for an unknown merge; ErrConflict when it was undone
	// already, a contact took part in a later merge, or restoring would clash.
	UndoMerge(ctx context.Context, projectID, mergeID int64, actor Actor, at time.Time) ([]*Contact, error)
	// AnonymousBefore lists up to limit widget and live-chat visitors who left
	// no identifier (no name, email, phone, external id, tag or note) and
	// were last seen before the given time.
	AnonymousBefore(ctx context.Context, before time.Time, limit int) ([]AnonymousVisitor, error)
	// RefreshLeads re-derives contacts whose lead status may have gone stale
	// by now, and returns how many it saved.
	RefreshLeads(ctx context.Context, now time.Time, derive func(*Contact)) (int, error)

	// RecordInbound stores an inbound message in one transaction: a message
	// whose (channel, channel message id) is stored already comes back with
	// Duplicate set and changes nothing; otherwise the sender's contact is
	// found by identity (or by VerifiedPhone) or created, apply updates it,
	// the message joins the contact's open conversation on the channel if
	// it was active within idle, else a new one, and a JobInboundMessage is
	// queued in the same transaction.
	RecordInbound(ctx context.Context, in Inbound, idle time.Duration, apply InboundApply) (*InboundResult, error)

	CreateNote(ctx context.Context, projectID int64, n *Note, audit AuditEntry) error
	ListNotes(ctx context.Context, projectID, contactID int64) ([]Note, error)

	CreateConversation(ctx context.Context, c *Conversation) error
	AddMessage(ctx context.Context, projectID int64, m *Message) error
	GetConversation(ctx context.Context, projectID, id int64) (*Conversation, error)
	ListConversations(ctx context.Context, projectID, contactID int64) ([]Conversation, error)
	// ListMessages returns up to limit messages with id greater than afterID.
	ListMessages(ctx context.Context, projectID, conversationID, afterID int64, limit int) ([]Message, error)
	// MessageConversations maps message ids to the ids of their
	// conversations, among the contact's conversations only; the others
	// are left out.
	MessageConversations(ctx context.Context, projectID, contactID int64, messageIDs []int64) (map[int64]int64, error)

	CreateSavedFilter(ctx context.Context, f *SavedFilter, owner string) error
	ListSavedFilters(ctx context.Context, projectID int64, owner string) ([]SavedFilter, error)
	DeleteSavedFilter(ctx context.Context, projectID int64, owner string, id int64) error

	Stats(ctx context.Context, projectID int64, monthStart time.Time) (*Stats, error)
	ListAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)

	CreateJob(ctx context.Context, j *Job) error
	UpdateJob(ctx context.Context, j *Job) error
	GetJob(ctx context.Context, projectID, id int64) (*Job, error)
	// FailRunningJobs marks jobs left running by a process that died.
	FailRunningJobs(ctx context.Context, reason string, at time.Time) error

	// MessageByChannelID finds a message by its (channel, channel message
	// id); ErrNotFound when there is none.
	MessageByChannelID(ctx context.Context, projectID int64, channel Channel, channelMessageID string) (*Message, error)
	SetConversationAssignee(ctx context.Context, projectID, id int64, assignee string) error
	// CloseConversation closes an open conversation; ErrConflict when it is
	// closed already.
	CloseConversation(ctx context.Context, projectID, id int64, at time.Time) error
	// ContactByIdentity returns the id of the contact holding an identity;
	// ErrNotFound when none does.
	ContactByIdentity(ctx context.Context, projectID int64, channel Channel, externalID string) (int64, error)
	// MessagesOfIdentity lists the messages after afterID in the channel's
	// conversations of the contact holding the identity.
	MessagesOfIdentity(ctx context.Context, projectID int64, channel Channel, externalID string, afterID int64, limit int) ([]Message, error)
	// SetMessageStatus records an outbound message's delivery status
	// (queued, sent, failed: reason) and, when not empty, the id the channel
	// gave it.
	SetMessageStatus(ctx context.Context, projectID, id int64, status, peerID string) error
	// SetStatusByPeerID records a delivery receipt (delivered, read, failed:
	// reason) for the message the channel knows as peerID; ErrNotFound when
	// there is none.
	SetStatusByPeerID(ctx context.Context, projectID int64, peerID, status string) error

	Queue
	ChannelStore
	AccountStore
	AIStore
	ImportStore
	ExportStore
	ExportListStore
	RetentionStore
	WebhookStore
	SessionStore
	InboxStore
	MemberStore
	DashboardStore
	MergeHistoryStore
}

// AIStore persists what the AI issue adds: enrichments, suggestions, bot
// settings and state, and model usage.
type AIStore interface {
	// EnrichContact loads the contact for update, lets apply change it
	// (owner finds another contact holding a unique value), saves it when it
	// changed, records apply's claims and its suggestions (a value suggested
	// before, pending or decided, is not suggested again; the outcome lists
	// only new ones), writes conv's insights on that conversation of the
	// contact, and audits the change, in one transaction. ErrNotFound for a
	// missing contact.
	EnrichContact(ctx context.Context, projectID, id int64, actor Actor, at time.Time, conv *ConversationInsights,
		apply func(c *Contact, owner func(field, value string) int64) *EnrichOutcome) (*Contact, *EnrichOutcome, error)
	// ListSuggestions lists a contact's suggestions of a status ("" all),
	// newest first; ErrNotFound for a missing contact.
	ListSuggestions(ctx context.Context, projectID, contactID int64, status string) ([]Suggestion, error)
	// DecideSuggestion marks a pending suggestion accepted or rejected; on
	// accept apply writes it onto the contact, saved and audited in the same
	// transaction. ErrNotFound for an unknown suggestion, ErrConflict for
	// one decided already.
	DecideSuggestion(ctx context.Context, projectID, contactID, id int64, accept bool, actor Actor, at time.Time,
		apply func(*Contact, *Suggestion) error) (*Suggestion, *Contact, error)

	// BotSettings returns a project's stored bot settings (JSON);
	// ErrNotFound when it never saved any.
	BotSettings(ctx context.Context, projectID int64) ([]byte, error)
	SetBotSettings(ctx context.Context, projectID int64, settings []byte, at time.Time) error
	// SetBotState records a conversation's collection state (JSON).
	SetBotState(ctx context.Context, projectID, conversationID int64, state []byte) error

	// AddAIUsage counts one model request's tokens on a project's day
	// (YYYY-MM-DD, UTC).
	AddAIUsage(ctx context.Context, projectID int64, day string, promptTokens, completionTokens int) error
	// AIUsage sums a project's usage over the days from since (inclusive).
	AIUsage(ctx context.Context, projectID int64, since string) (AIUsage, error)
}

// AIUsage is a project's model usage over some days.
type AIUsage struct {
	PromptTokens     int64 `json:"prompt_tokens" db:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens" db:"completion_tokens"`
	Requests         int64 `json:"requests" db:"requests"`
}

// Tokens is the total of prompt and completion tokens.
func (u AIUsage) Tokens() int64 { return u.PromptTokens + u.CompletionTokens }

// AnonymousVisitor names a contact the anonymous-visitor purge may remove.
type AnonymousVisitor struct {
	ProjectID, ContactID int64
}

// InboundApply is the engine's rule for updating a contact on an inbound
// message. The store may call it more than once for one message (a read it
// was given went stale, and the store tries again on fresh ones), so it must
// change nothing but c and res.
type InboundApply func(c *Contact, res *InboundResult, newConversation bool, owner func(field, value string) int64)

// AccountStore persists projects, staff users and API keys.
type AccountStore interface {
	// CreateProject returns ErrConflict when the name is taken.
	CreateProject(ctx context.Context, p *Project) error
	ProjectByName(ctx context.Context, name string) (*Project, error)
	ProjectByID(ctx context.Context, id int64) (*Project, error)
	ListProjects(ctx context.Context) ([]Project, error)
	// CreateUser returns ErrConflict when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	UserByEmail(ctx context.Context, email string) (*User, error)
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	// SetMembership adds or changes the user's role in the project.
	SetMembership(ctx context.Context, m Membership) error
	Memberships(ctx context.Context, userID int64) ([]Membership, error)
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// ListAPIKeys lists a project's keys, or every key for projectID 0.
	ListAPIKeys(ctx context.Context, projectID int64) ([]APIKey, error)
	// RevokeAPIKey returns ErrNotFound for an unknown or already revoked key.
	RevokeAPIKey(ctx context.Context, id int64, at time.Time) error
	// APIKeyByHash returns ErrNotFound for unknown and revoked keys.
	APIKeyByHash(ctx context.Context, hash string) (*APIKey, error)
	TouchAPIKey(ctx context.Context, id int64, at time.Time) error
	// Bootstrap creates the first project, owner and key in one transaction,
	// only when no project exists yet; it reports whether it did.
	Bootstrap(ctx context.Context, p *Project, u *User, k *APIKey) (bool, error)
}

// Job is a background task's progress, e.g. a bulk action over many contacts.
type Job struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"` // queued, running, done, failed
	Total     int       `json:"total"`
	Done      int       `json:"done"`
	Failed    int       `json:"failed"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Job statuses.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)
