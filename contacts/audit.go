package contacts

import (
	"encoding/json"
	"strconv"
	"time"
)

// Actor kinds for the audit log.
const (
	ActorUser    = "user"
	ActorAPIKey  = "api_key"
	ActorSystem  = "system"
	ActorAI      = "ai"
	ActorChannel = "channel" // a contact a channel message created
)

// Actor is who does something: a staff user, an API key, the system or the AI.
type Actor struct {
	Kind string
	ID   int64
	Name string
	// Role is the actor's role in the project; API keys act as admins.
	Role Role
}

// ChannelActor names changes a channel caused (a contact a message created,
// a value a customer gave the bot).
var ChannelActor = Actor{Kind: ActorChannel, Name: "channel"}

// SystemActor is used for work nobody asked for directly (schedulers).
var SystemActor = Actor{Kind: ActorSystem, Name: "system", Role: RoleOwner}

// CLIActor names changes made with the switchboard command on the server
// (keys and users created there): whoever runs it owns the installation.
var CLIActor = Actor{Kind: ActorSystem, Name: "cli", Role: RoleOwner}

// Owner identifies the actor as the owner of per-actor data (saved filters).
func (a Actor) Owner() string { return a.Kind + ":" + strconv.FormatInt(a.ID, 10) }

// Audit actions.
const (
	AuditContactCreate = "contact.create"
	AuditContactUpdate = "contact.update"
	AuditContactDelete = "contact.delete"
	AuditContactMerge  = "contact.merge"
	AuditMergeUndo     = "contact.merge_undo"
	AuditNoteCreate    = "note.create"
	AuditPurgeVisitor  = "contact.purge_anonymous"
)

// AuditEntry is one append-only record of a change.
type AuditEntry struct {
	ID        int64           `json:"id"`
	ProjectID int64           `json:"project_id"`
	ActorKind string          `json:"actor_kind"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Action    string          `json:"action"`
	ContactID int64           `json:"contact_id"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	At        time.Time       `json:"at"`
}

// NewAudit builds an entry; before and after are marshalled as given (nil
// stays empty).
func NewAudit(projectID int64, a Actor, action string, contactID int64, before, after any, at time.Time) AuditEntry {
	e := AuditEntry{ProjectID: projectID, ActorKind: a.Kind, ActorID: a.ID, ActorName: a.Name,
		Action: action, ContactID: contactID, At: at}
	if before != nil {
		e.Before, _ = json.Marshal(before)
	}
	if after != nil {
		e.After, _ = json.Marshal(after)
	}
	return e
}

// AuditQuery filters the audit log; zero values do not filter. Entries come
// newest first.
type AuditQuery struct {
	ProjectID int64
	ContactID int64
	Action    string   // one action
	Actions   []string // any of these actions
	ActorKind string
	ActorID   int64  // with ActorKind: one user or API key
	ActorName string // the actor's name as recorded (a user's email, a key's name)
	From      time.Time
	To        time.Time // exclusive
	BeforeID  int64     // keyset paging: entries older than this id
	Limit     int
}
