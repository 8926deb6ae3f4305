package contacts

import (
	"context"
	"encoding/json"
	"time"
)

// QueuedJob is a unit of durable background work: committed with the change
// that needs it, claimed with a lease, retried until done.
type QueuedJob struct {
	ID        int64
	ProjectID int64
	Kind      string
	Payload   json.RawMessage
	RunAt     time.Time
	Attempts  int // including the current one once claimed
	LastError string
	CreatedAt time.Time
}

// JobInboundMessage follows up a stored inbound message (bot reply,
// enrichment). Its payload is an InboundJob.
const JobInboundMessage = "inbound.message"

// InboundJob is the payload of JobInboundMessage.
type InboundJob struct {
	MessageID      int64 `json:"message_id"`
	ConversationID int64 `json:"conversation_id"`
	ContactID      int64 `json:"contact_id"`
	OptedOut       bool  `json:"opted_out,omitempty"`
	OptedIn        bool  `json:"opted_in,omitempty"`
}

// Queue is the durable job queue the store provides.
type Queue interface {
	Enqueue(ctx context.Context, j *QueuedJob) error
	// EnqueueKeyed adds a job unless one with the same key is pending (not
	// yet claimed), in which case that one moves to j's run time and
	// payload: a burst of triggers runs the job once.
	EnqueueKeyed(ctx context.Context, j *QueuedJob, key string) error
	// Claim leases the oldest due job of the kinds until now+lease and
	// counts the attempt; it returns nil, nil when no job is due. Across
	// processes a job is claimed by one worker at a time.
	Claim(ctx context.Context, now time.Time, lease time.Duration, kinds JobKinds) (*QueuedJob, error)
	// Complete marks a job done.
	Complete(ctx context.Context, id int64, at time.Time) error
	// Retry releases a job to run again at runAt, recording why it failed.
	Retry(ctx context.Context, id int64, runAt time.Time, reason string) error
	// Abandon marks a job done for good after its last failed attempt.
	Abandon(ctx context.Context, id int64, at time.Time, reason string) error
}

// JobKinds selects the job kinds a worker claims: only the listed ones when
// Only is set, else all but Except. Workers split by kind so slow jobs of
// one kind (webhook deliveries waiting on a receiver) never hold up the
// rest (the bot's replies).
type JobKinds struct {
	Only   []string
	Except []string
}
