package contacts

import (
	"fmt"
	"strings"
	"time"
)

// MergeRequest merges ContactIDs into PrimaryID. Fields picks, per field,
// which contact's value wins where several hold one.
type MergeRequest struct {
	PrimaryID  int64
	ContactIDs []int64
	Fields     map[string]int64
}

// Merge records a merge so it can be undone.
type Merge struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	PrimaryID int64     `json:"primary_id"`
	MergedIDs []int64   `json:"merged_ids"`
	CreatedAt time.Time `json:"created_at"`
	UndoneAt  time.Time `json:"undone_at"`
}

// mergeableFields are the single-valued profile fields merge decides on.
var mergeableFields = []string{
	"first_name", "last_name", "email", "phone", "company", "external_id",
	"notes", "context", "country", "region", "city",
}

func fieldPtr(c *Contact, field string) *string {
	switch field {
	case "first_name":
		return &c.FirstName
	case "last_name":
		return &c.LastName
	case "email":
		return &c.Email
	case "phone":
		return &c.Phone
	case "company":
		return &c.Company
	case "external_id":
		return &c.ExternalID
	case "notes":
		return &c.Notes
	case "context":
		return &c.Context
	case "country":
		return &c.Country
	case "region":
		return &c.Region
	case "city":
		return &c.City
	}
	return nil
}

// ValidateMerge checks a request's shape before any contact is loaded.
func ValidateMerge(req MergeRequest) error {
	v := &ValidationError{}
	if len(req.ContactIDs) == 0 {
		v.Add("contact_ids", "name at least one contact to merge into the primary")
	}
	seen := map[int64]bool{req.PrimaryID: true}
	for _, id := range req.ContactIDs {
		if seen[id] {
			v.Add("contact_ids", fmt.Sprintf("contact %d is listed twice or is the primary", id))
		}
		seen[id] = true
	}
	for f, id := range req.Fields {
		if fieldPtr(&Contact{}, f) == nil {
			v.Add("fields", "cannot choose a winner for "+f)
		} else if !seen[id] {
			v.Add("fields", fmt.Sprintf("%s names contact %d, which is not part of the merge", f, id))
		}
	}
	return v.Err()
}

// ApplyMerge folds others into primary. Empty fields of the primary are
// filled; where several contacts hold a value, the request's pick wins, else
// the more trusted source (staff over AI), else the primary. Every losing
// value is kept in the primary's conflicts. Tags, identities and memories are
// unioned; counts and activity times combine.
func ApplyMerge(primary *Contact, others []*Contact, picks map[string]int64, now time.Time) {
	all := append([]*Contact{primary}, others...)
	for _, field := range mergeableFields {
		winner := primary
		if id, ok := picks[field]; ok {
			for _, c := range all {
				if c.ID == id {
					winner = c
				}
			}
		} else {
			for _, c := range all {
				if *fieldPtr(winner, field) == "" && *fieldPtr(c, field) != "" ||
					*fieldPtr(c, field) != "" && c.Sources[field].Source.Trust() > winner.Sources[field].Source.Trust() {
					winner = c
				}
			}
		}
		win := *fieldPtr(winner, field)
		if win == "" {
			// An explicit pick of an empty value falls back to any value.
			for _, c := range all {
				if v := *fieldPtr(c, field); v != "" {
					winner, win = c, v
					break
				}
			}
		}
		for _, c := range all {
			v := *fieldPtr(c, field)
			if v != "" && !strings.EqualFold(v, win) {
				primary.addConflict(Conflict{Field: field, Value: v, FromContactID: c.ID, At: now})
			}
		}
		*fieldPtr(primary, field) = win
		if winner != primary {
			if src, ok := winner.Sources[field]; ok {
				primary.SetSource(field, src.Source, src.At)
			}
		}
	}
	for _, o := range others {
		primary.Tags = unionStrings(primary.Tags, o.Tags)
		primary.Memories = unionFold(primary.Memories, o.Memories)
		for _, id := range o.Identities {
			if _, ok := primary.Identity(id.Channel); !ok {
				primary.Identities = append(primary.Identities, id)
			} else {
				// One identity per channel: the other's is kept as a conflict.
				primary.addConflict(Conflict{Field: "identity:" + string(id.Channel), Value: id.ExternalID, FromContactID: o.ID, At: now})
			}
		}
		for k, v := range o.Custom {
			if primary.Custom == nil {
				primary.Custom = map[string]string{}
			}
			if cur, ok := primary.Custom[k]; !ok || cur == "" {
				primary.Custom[k] = v
			} else if cur != v {
				primary.addConflict(Conflict{Field: "custom." + k, Value: v, FromContactID: o.ID, At: now})
			}
		}
		primary.Conflicts = append(primary.Conflicts, o.Conflicts...)
		primary.DoNotContact = primary.DoNotContact || o.DoNotContact
		primary.ConversationCount += o.ConversationCount
		if o.CreatedAt.Before(primary.CreatedAt) {
			primary.CreatedAt = o.CreatedAt
		}
		primary.LastSeenAt = later(primary.LastSeenAt, o.LastSeenAt)
		primary.LastInboundAt = later(primary.LastInboundAt, o.LastInboundAt)
		primary.LastOutboundAt = later(primary.LastOutboundAt, o.LastOutboundAt)
	}
	primary.ApplyLead(now)
}

func (c *Contact) addConflict(k Conflict) {
	for _, e := range c.Conflicts {
		if e.Field == k.Field && strings.EqualFold(e.Value, k.Value) {
			return
		}
	}
	c.Conflicts = append(c.Conflicts, k)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func unionStrings(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	out := make([]string, 0, len(a)+len(b))
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func unionFold(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if k := strings.ToLower(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}
