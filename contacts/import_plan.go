package contacts

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A row's match keys: its unique values, each prefixed by its kind, and
// for a row without any, its name and company.
const (
	keyEmail    = "e\x00"
	keyPhone    = "p\x00"
	keyExternal = "x\x00"
	keyIdentity = "i\x00"
	keyName     = "n\x00"
)

func rowKeys(c *Contact) (keys []string, name string) {
	if c.Email != "" {
		keys = append(keys, keyEmail+c.Email)
	}
	if c.Phone != "" {
		keys = append(keys, keyPhone+c.Phone)
	}
	if c.ExternalID != "" {
		keys = append(keys, keyExternal+c.ExternalID)
	}
	for _, id := range c.Identities {
		keys = append(keys, keyIdentity+string(id.Channel)+"\x00"+id.ExternalID)
	}
	if len(keys) == 0 {
		name = keyName + sortName(c) + "\x00" + strings.ToLower(c.Company)
	}
	return keys, name
}

// sortName is the store's sort_name of a contact: its display name in
// lower case.
func sortName(c *Contact) string { return strings.ToLower(c.Name()) }

// describeKey says what a key is, for the error report.
func describeKey(k string) (field, text string) {
	kind, v, _ := strings.Cut(k, "\x00")
	switch kind + "\x00" {
	case keyEmail:
		return "email", fmt.Sprintf("email %q", v)
	case keyPhone:
		return "phone", fmt.Sprintf("phone %q", v)
	case keyExternal:
		return "external_id", fmt.Sprintf("external id %q", v)
	case keyIdentity:
		ch, id, _ := strings.Cut(v, "\x00")
		return identityField(Channel(ch)), fmt.Sprintf("%s id %q", ch, id)
	}
	return "name", "the same name and company"
}

// identityField is the contact field of a channel's identity.
func identityField(ch Channel) string {
	for f, c := range SocialChannels {
		if c == ch {
			return f
		}
	}
	return "identities"
}

// batchKeys lists what a batch's valid rows match on.
func batchKeys(rows []*importRow) *ImportKeys {
	k := &ImportKeys{}
	for _, r := range rows {
		if r.c == nil {
			continue
		}
		c := r.c
		if c.Email != "" {
			k.Emails = append(k.Emails, c.Email)
		}
		if c.Phone != "" {
			k.Phones = append(k.Phones, c.Phone)
		}
		if c.ExternalID != "" {
			k.ExternalIDs = append(k.ExternalIDs, c.ExternalID)
		}
		for _, id := range c.Identities {
			k.Identities = append(k.Identities, IdentityKey{id.Channel, id.ExternalID})
		}
		if keys, _ := rowKeys(c); len(keys) == 0 {
			k.Names = append(k.Names, sortName(c))
		}
	}
	return k
}

// matchIndex flattens what the store found into key -> contact id.
func matchIndex(f *ImportMatches) map[string]int64 {
	m := make(map[string]int64, len(f.Email)+len(f.Phone)+len(f.ExternalID)+len(f.Identity))
	for v, id := range f.Email {
		m[keyEmail+v] = id
	}
	for v, id := range f.Phone {
		m[keyPhone+v] = id
	}
	for v, id := range f.ExternalID {
		m[keyExternal+v] = id
	}
	for k, id := range f.Identity {
		m[keyIdentity+string(k.Channel)+"\x00"+k.ExternalID] = id
	}
	return m
}

// target is what a row duplicates: an existing contact (id), or a contact
// an earlier row of the batch creates (pending, its index in creates).
type target struct {
	id      int64
	pending int // -1: none
	row     int // the row that created it, when pending
	key     string
}

func (t target) same(u target) bool {
	if t.pending >= 0 || u.pending >= 0 {
		return t.pending == u.pending
	}
	return t.id == u.id
}

func (t target) String() string {
	if t.pending >= 0 {
		return "row " + strconv.Itoa(t.row)
	}
	if t.id < 0 {
		return "row " + strconv.Itoa(int(-t.id))
	}
	return "contact " + strconv.FormatInt(t.id, 10)
}

// importPlanner decides a batch's rows. Plan may run more than once (the
// store retries after a clash), so it starts from the counts before the
// batch each time.
type importPlanner struct {
	policy    string
	region    string
	now       time.Time
	rows      []*importRow
	base      ImportCounts
	createdBy *idRanges // contacts this import created in earlier batches
	// extra finds keys a dry run "created" in earlier batches (negative ids).
	extra func(key string) (int64, bool)
	// onRow, when set, hears each row's outcome (for previews): create,
	// update, unchanged, skip or fail, with the contact as it would be
	// stored and the existing contact it concerns.
	onRow func(r *importRow, action string, c *Contact, existing int64)

	counts  ImportCounts
	errs    []ImportRowError
	creates []*Contact
	rowOf   []*importRow // the row each create comes from
}

func (p *importPlanner) plan(found *ImportMatches) (*ImportPlan, error) {
	p.counts, p.errs, p.creates, p.rowOf = p.base, nil, nil, nil
	var updates []ImportUpdate
	db := matchIndex(found)
	owner := map[string]target{}
	for _, r := range p.rows {
		p.counts.Rows++
		if r.c == nil {
			p.counts.Failed++
			p.errs = append(p.errs, r.errs...)
			p.hear(r, "fail", nil, 0)
			continue
		}
		keys, name := rowKeys(r.c)
		ts := p.targets(r, keys, name, owner, db, found)
		register := func(t target) {
			for _, k := range keys {
				owner[k] = t
			}
			if name != "" {
				owner[name] = t
			}
		}
		switch {
		case len(ts) == 0 || (p.policy == OnDuplicateCreate && name != ""):
			p.creates = append(p.creates, r.c.Clone())
			p.rowOf = append(p.rowOf, r)
			register(target{pending: len(p.creates) - 1, row: r.row})
			p.counts.Created++
			p.hear(r, "create", p.creates[len(p.creates)-1], 0)
		case p.policy == OnDuplicateSkip:
			if p.inFile(ts) {
				p.counts.SkippedInFile++
			} else {
				p.counts.SkippedExisting++
			}
			p.hear(r, "skip", nil, max(ts[0].id, 0))
		case p.policy == OnDuplicateCreate:
			field, what := describeKey(ts[0].key)
			p.fail(r, field, fmt.Sprintf("%s already belongs to %s, so no new contact can have it", what, ts[0]))
		case len(ts) > 1:
			names := make([]string, len(ts))
			for i, t := range ts {
				names[i] = t.String()
			}
			p.fail(r, "", "the row matches "+strings.Join(names, " and ")+": merge them, or fix the row, to import it")
		case ts[0].pending >= 0:
			c := p.creates[ts[0].pending]
			if changed, err := p.apply(c, r); err != nil {
				p.fail(r, "", err.Error())
			} else if changed {
				p.counts.Updated++
				p.hear(r, "update", c, 0)
			} else {
				p.counts.Unchanged++
				p.hear(r, "unchanged", c, 0)
			}
			register(ts[0])
		case ts[0].id < 0:
			// A dry run's contact from an earlier batch: not loaded, so
			// counted as updated.
			p.counts.Updated++
			p.hear(r, "update", nil, 0)
		default:
			r, id := r, ts[0].id
			register(ts[0])
			updates = append(updates, ImportUpdate{ContactID: id, Apply: func(c *Contact) bool {
				if c == nil {
					p.fail(r, "", fmt.Sprintf("contact %d, which the row matched, was deleted while the import ran", id))
					return false
				}
				changed, err := p.apply(c, r)
				switch {
				case err != nil:
					p.fail(r, "", err.Error())
				case changed:
					p.counts.Updated++
					p.hear(r, "update", c, id)
				default:
					p.counts.Unchanged++
					p.hear(r, "unchanged", c, id)
				}
				return changed && err == nil
			}})
		}
	}
	return &ImportPlan{Creates: p.creates, Updates: updates}, nil
}

// targets finds what a row duplicates: by its unique values in the batch
// and in the store, or, having none, by name and company.
func (p *importPlanner) targets(r *importRow, keys []string, name string, owner map[string]target,
	db map[string]int64, found *ImportMatches) []target {
	var ts []target
	add := func(t target) {
		for _, u := range ts {
			if u.same(t) {
				return
			}
		}
		ts = append(ts, t)
	}
	for _, k := range keys {
		if t, ok := owner[k]; ok {
			t.key = k
			add(t)
		} else if id, ok := db[k]; ok {
			add(target{id: id, pending: -1, key: k})
		} else if id, ok := p.lookupExtra(k); ok {
			add(target{id: id, pending: -1, key: k})
		}
	}
	if name == "" {
		return ts
	}
	if t, ok := owner[name]; ok {
		t.key = name
		add(t)
	}
	company := strings.ToLower(r.c.Company)
	for _, m := range found.Name[sortName(r.c)] {
		if strings.ToLower(m.Company) == company {
			add(target{id: m.ID, pending: -1, key: name})
		}
	}
	if id, ok := p.lookupExtra(name); ok {
		add(target{id: id, pending: -1, key: name})
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].pending < 0 && ts[j].pending >= 0 })
	return ts
}

func (p *importPlanner) lookupExtra(k string) (int64, bool) {
	if p.extra == nil {
		return 0, false
	}
	return p.extra(k)
}

// inFile reports whether every target comes from this file: a row of the
// batch, a contact an earlier batch created, or a dry run's earlier row.
func (p *importPlanner) inFile(ts []target) bool {
	for _, t := range ts {
		if t.pending < 0 && t.id > 0 && !p.createdBy.has(t.id) {
			return false
		}
	}
	return true
}

func (p *importPlanner) fail(r *importRow, field, reason string) {
	p.counts.Failed++
	p.errs = append(p.errs, ImportRowError{Row: r.row, Line: r.line, Field: field, Reason: reason})
	p.hear(r, "fail", nil, 0)
}

func (p *importPlanner) hear(r *importRow, action string, c *Contact, existing int64) {
	if p.onRow != nil {
		p.onRow(r, action, c, existing)
	}
}

// apply writes a row's values onto a contact with provenance import:
// only the row's non-empty values, tags and memories added to those it has. It reports
// whether anything changed; on an error c is left as it was.
func (p *importPlanner) apply(c *Contact, r *importRow) (bool, error) {
	in := r.in
	if in.Tags != nil {
		tags := unionStrings(c.Tags, r.c.Tags)
		in.Tags = &tags
	}
	if in.Memories != nil {
		mems := unionStrings(c.Memories, r.c.Memories)
		in.Memories = &mems
	}
	d := c.Clone()
	if err := in.Apply(d, SourceImport, p.now, p.region); err != nil {
		return false, err
	}
	if reflect.DeepEqual(c, d) {
		return false, nil
	}
	d.UpdatedAt = p.now
	d.ApplyLead(p.now)
	*c = *d
	return true, nil
}

// idRanges is a set of contact ids kept as runs of consecutive ids: the
// contacts one import created arrive in increasing runs, so a million of
// them take a few ranges.
type idRanges struct{ r [][2]int64 }

func (s *idRanges) add(id int64) {
	if n := len(s.r); n > 0 && s.r[n-1][1]+1 == id {
		s.r[n-1][1] = id
		return
	}
	if n := len(s.r); n > 0 && id <= s.r[n-1][1] {
		// Out of order (never expected): keep the set sorted.
		i := sort.Search(n, func(i int) bool { return s.r[i][1] >= id })
		if s.r[i][0] <= id {
			return
		}
		s.r = append(s.r[:i], append([][2]int64{{id, id}}, s.r[i:]...)...)
		return
	}
	s.r = append(s.r, [2]int64{id, id})
}

func (s *idRanges) has(id int64) bool {
	if s == nil {
		return false
	}
	i := sort.Search(len(s.r), func(i int) bool { return s.r[i][1] >= id })
	return i < len(s.r) && s.r[i][0] <= id
}
