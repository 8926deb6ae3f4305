package contacts

import "time"

// Sortable columns of the contact list.
var SortFields = []string{"created_at", "updated_at", "last_seen_at", "name", "conversation_count"}

// ListQuery is the contact list's search, filters, sort and page. Zero
// values mean "no filter".
type ListQuery struct {
	ProjectID    int64
	Q            string
	Channels     []Channel
	Tags         []string
	TagsAll      bool // all tags must match, not any
	CreatedFrom  time.Time
	CreatedTo    time.Time
	LastSeenFrom time.Time
	LastSeenTo   time.Time
	HasEmail     *bool
	HasPhone     *bool
	DoNotContact *bool
	ConvMin      *int
	ConvMax      *int
	LeadStatuses []LeadStatus
	Countries    []string
	// IDs limits the list to these contacts (a selection in the admin UI,
	// exported as it is); at most MaxListIDs.
	IDs []int64

	Sort    string // one of SortFields
	Desc    bool
	Page    int // 1-based; ignored in cursor mode
	PerPage int
	// After switches to cursor mode: contacts with id greater than After in
	// id order, and no total. Zero with Cursor set starts from the beginning.
	After  int64
	Cursor bool
	// CountWait bounds how long a page of the list's first pages waits for
	// an exact total that is not known yet: past it the page comes back
	// with TotalPending, and the count goes on in the background so the
	// next request for the same view finds it. Zero waits for the total
	// (the API's behaviour); below zero does not wait: a total not known
	// already is pending.
	CountWait time.Duration
}

// ListResult is one page of contacts.
type ListResult struct {
	Contacts []*Contact
	Total    int // -1 in cursor mode; with TotalPending, the matches seen so far
	// TotalPending says the exact total was still being counted when the
	// page was read (see ListQuery.CountWait).
	TotalPending bool
	// NextAfter is the cursor for the next page in cursor mode, 0 at the end.
	NextAfter int64
}

// Paging limits.
const (
	DefaultPerPage = 25
	MaxPerPage     = 200
	// MaxPage keeps OFFSET arithmetic far from overflow; pages past the end
	// are simply empty.
	MaxPage = 10_000_000
	// MaxListIDs is how many ids a list query may name.
	MaxListIDs = 10_000
)

// DuplicateGroup is a set of contacts that look like one person.
type DuplicateGroup struct {
	Reason   string     `json:"reason"` // email, phone, claimed or name_company
	Value    string     `json:"value"`
	Contacts []*Contact `json:"-"`
}

// Stats summarises a project's contacts.
type Stats struct {
	Total            int64            `json:"total_contacts"`
	NewThisMonth     int64            `json:"new_this_month"`
	ByChannel        map[string]int64 `json:"by_channel"`
	ByLeadStatus     map[string]int64 `json:"by_lead_status"`
	AvgConversations float64          `json:"avg_conversations_per_contact"`
	ShareWithEmail   float64          `json:"share_with_email"`
	ShareWithPhone   float64          `json:"share_with_phone"`
	// AIToday and AIThisMonth count the model's tokens (UTC days).
	AIToday     AIUsage `json:"ai_usage_today"`
	AIThisMonth AIUsage `json:"ai_usage_this_month"`
}
