package contacts

import (
	"context"
	"fmt"
	"strings"
)

// MergePreview is what a merge would make of its contacts, computed without
// writing anything, so staff can check the result before confirming.
type MergePreview struct {
	// Contacts are the contacts as stored, the primary first.
	Contacts []*Contact
	// Result is the primary as the merge would save it.
	Result *Contact
	// Fields are the profile fields whose contacts hold different values:
	// the choices staff make.
	Fields []MergeField
	// Kept are the values this merge would keep as conflicts (the losers).
	Kept []Conflict
}

// MergeField is one field the merging contacts disagree on.
type MergeField struct {
	Field string
	// Values are the contacts' non-empty values, in the order of Contacts.
	Values []MergeValue
	// Winner is the contact whose value the merge keeps.
	Winner int64
}

// MergeValue is one contact's value of a field.
type MergeValue struct {
	ContactID int64
	Value     string
}

// PreviewMerge runs the merge rule (ApplyMerge, as Merge does) on copies of
// the request's contacts and stores nothing. ErrNotFound when a contact is
// missing; agents may not merge, so they may not preview either.
func (s *Service) PreviewMerge(ctx context.Context, actor Actor, projectID int64, req MergeRequest) (*MergePreview, error) {
	if actor.Role == RoleAgent {
		return nil, fmt.Errorf("agents cannot merge contacts: %w", ErrForbidden)
	}
	if err := ValidateMerge(req); err != nil {
		return nil, err
	}
	p := &MergePreview{}
	ids := append([]int64{req.PrimaryID}, req.ContactIDs...)
	for _, id := range ids {
		c, err := s.store.GetContact(ctx, projectID, id)
		if err != nil {
			return nil, fmt.Errorf("preview merge: contact %d: %w", id, err)
		}
		p.Contacts = append(p.Contacts, c)
	}
	primary := p.Contacts[0].Clone()
	others := make([]*Contact, 0, len(p.Contacts)-1)
	for _, c := range p.Contacts[1:] {
		others = append(others, c.Clone())
	}
	ApplyMerge(primary, others, req.Fields, s.now())
	p.Result = primary
	// The conflicts the contacts held already are not this merge's losers.
	old := map[Conflict]bool{}
	for _, c := range p.Contacts {
		for _, k := range c.Conflicts {
			old[conflictKey(k)] = true
		}
	}
	for _, k := range primary.Conflicts {
		if !old[conflictKey(k)] {
			p.Kept = append(p.Kept, k)
		}
	}
	p.Fields = differingFields(p.Contacts, primary, req.Fields)
	return p, nil
}

func conflictKey(k Conflict) Conflict {
	return Conflict{Field: k.Field, Value: strings.ToLower(k.Value), FromContactID: k.FromContactID}
}

// differingFields lists the fields on which the contacts hold two or more
// different non-empty values, naming whose value won in result.
func differingFields(cs []*Contact, result *Contact, picks map[string]int64) []MergeField {
	var out []MergeField
	for _, field := range mergeableFields {
		f := MergeField{Field: field}
		distinct := map[string]bool{}
		for _, c := range cs {
			if v := *fieldPtr(c, field); v != "" {
				f.Values = append(f.Values, MergeValue{ContactID: c.ID, Value: v})
				distinct[strings.ToLower(v)] = true
			}
		}
		if len(distinct) < 2 {
			continue
		}
		won := *fieldPtr(result, field)
		for _, v := range f.Values {
			if strings.EqualFold(v.Value, won) && (f.Winner == 0 || v.ContactID == picks[field]) {
				f.Winner = v.ContactID
			}
		}
		out = append(out, f)
	}
	return out
}
