package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

var sortColumns = map[string]string{
	"created_at":         "c.created_at",
	"updated_at":         "c.updated_at",
	"last_seen_at":       "c.last_seen_at",
	"name":               "c.sort_name",
	"conversation_count": "c.conversation_count",
}

// listSource is a list query's FROM and WHERE, shared by the page, the
// count, cursor mode and bulk actions, so a filter means the same everywhere.
// The WHERE leaves out contacts in their erasure grace period; plainWhere is
// the same without that last condition, for a project with none and for
// counts that subtract the hidden matches instead of testing every row
// (skipErasureFilter, countVisible).
type listSource struct {
	from, where string
	args        []any // the FROM's arguments, then the WHERE's
	searched    bool  // the FROM is driven by the search index
	plainWhere  string
	plainArgs   []any
	noneHidden  bool // known: the project has no contact in its grace period
}

func (db *DB) listWhere(q contacts.ListQuery) listSource { return db.listWhereTags(q, false) }

// listWhereTags is listWhere with the tag filters written either way:
// as c.id IN (the tag's contacts), which SQLite answers by reading every
// contact holding the tag (right for a count, and for a rare tag), or, with
// tagsExist, as a test on each contact the sort's index walk meets, which
// finds a page of a common tag's contacts without reading them all.
func (db *DB) listWhereTags(q contacts.ListQuery, tagsExist bool) listSource {
	src := listSource{from: "contacts c"}
	conds := []string{"c.project_id = ?"}
	args := []any{q.ProjectID}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN (?"+strings.Repeat(", ?", len(vals)-1)+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if long, short := searchTerms(q.Q); len(long) > 0 {
		from, cond, a, driven := db.dialect.searchFrom(long, onlySearch(q))
		src.from, src.searched = from, driven
		if cond != "" {
			conds = append(conds, cond)
			args = append(args, a...)
		} else {
			args = append(a, args...)
		}
	} else if short != "" {
		// Too short for the trigram index: match the start of the display
		// name through its B-tree index, the same on both dialects.
		conds = append(conds, "c.sort_name >= ? AND c.sort_name < ?")
		args = append(args, short, prefixEnd(short))
	}
	var chans []string
	for _, c := range q.Channels {
		chans = append(chans, string(c))
	}
	in("c.channel", chans)
	if len(q.Tags) > 0 {
		tagged := func(n int) string {
			if tagsExist {
				return "EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.project_id = ? AND t.tag IN (?" + strings.Repeat(", ?", n-1) + "))"
			}
			return "c.id IN (SELECT contact_id FROM contact_tags WHERE project_id = ? AND tag IN (?" + strings.Repeat(", ?", n-1) + "))"
		}
		if q.TagsAll {
			for _, t := range q.Tags {
				conds = append(conds, tagged(1))
				args = append(args, q.ProjectID, t)
			}
		} else {
			conds = append(conds, tagged(len(q.Tags)))
			args = append(args, q.ProjectID)
			for _, t := range q.Tags {
				args = append(args, t)
			}
		}
	}
	rng := func(col string, from, to interface{ IsZero() bool }, fromV, toV int64) {
		if !from.IsZero() {
			conds = append(conds, col+" >= ?")
			args = append(args, fromV)
		}
		if !to.IsZero() {
			conds = append(conds, col+" < ?")
			args = append(args, toV)
		}
	}
	rng("c.created_at", q.CreatedFrom, q.CreatedTo, q.CreatedFrom.UnixMilli(), q.CreatedTo.UnixMilli())
	rng("c.last_seen_at", q.LastSeenFrom, q.LastSeenTo, q.LastSeenFrom.UnixMilli(), q.LastSeenTo.UnixMilli())
	// Written as the list index's expression, so the index covers it.
	has := func(col string, b *bool) {
		if b != nil {
			conds = append(conds, "("+col+" IS NOT NULL) = ?")
			args = append(args, *b)
		}
	}
	has("c.email", q.HasEmail)
	has("c.phone", q.HasPhone)
	if q.DoNotContact != nil {
		conds = append(conds, "c.do_not_contact = ?")
		args = append(args, *q.DoNotContact)
	}
	if q.ConvMin != nil {
		conds = append(conds, "c.conversation_count >= ?")
		args = append(args, *q.ConvMin)
	}
	if q.ConvMax != nil {
		conds = append(conds, "c.conversation_count <= ?")
		args = append(args, *q.ConvMax)
	}
	var statuses []string
	for _, s := range q.LeadStatuses {
		statuses = append(statuses, string(s))
	}
	in("c.lead_status", statuses)
	in("c.country", q.Countries)
	if len(q.IDs) > 0 {
		conds = append(conds, "c.id IN (?"+strings.Repeat(", ?", len(q.IDs)-1)+")")
		for _, id := range q.IDs {
			args = append(args, id)
		}
	}
	src.plainWhere, src.plainArgs = strings.Join(conds, " AND "), args
	src.where = src.plainWhere + " AND " + notErasingIn
	src.args = append(append([]any{}, args...), q.ProjectID, q.ProjectID)
	// Tags written as c.id IN (...) are left to the planner, which reads
	// the tag's contacts and sorts them: forced onto the creation index it
	// would walk past every contact newer than the tagged ones (0.6 s for
	// a tag on the oldest 100,000 of a million).
	if src.from == "contacts c" && q.Sort == "created_at" && q.LastSeenFrom.IsZero() && q.LastSeenTo.IsZero() && q.Q == "" &&
		(len(q.Tags) == 0 || tagsExist) {
		src.from = db.dialect.listFrom()
	}
	return src
}

// onlySearch reports whether q filters on nothing but its search text and
// sorts by creation time: the shape of a search box query.
func onlySearch(q contacts.ListQuery) bool {
	return q.Sort == "created_at" && !q.Cursor && len(q.Channels)+len(q.Tags)+len(q.LeadStatuses)+len(q.Countries)+len(q.IDs) == 0 &&
		q.CreatedFrom.IsZero() && q.CreatedTo.IsZero() && q.LastSeenFrom.IsZero() && q.LastSeenTo.IsZero() &&
		q.HasEmail == nil && q.HasPhone == nil && q.DoNotContact == nil && q.ConvMin == nil && q.ConvMax == nil
}

// searchTerms splits q into lower-cased substring terms of at least three
// characters (the trigram index's unit). Shorter words add little to a longer
// one and are dropped; a query made only of short words comes back as short,
// for a name-prefix match. A query that looks like a phone number
// ("+1 (415) 555") becomes its digits, since the index holds phones as digits.
func searchTerms(q string) (long []string, short string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return nil, ""
	}
	digits, phoneish := 0, true
	for _, r := range q {
		switch {
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune("+-(). ", r):
		default:
			phoneish = false
		}
	}
	if phoneish && digits >= 3 {
		var b strings.Builder
		for _, r := range q {
			if unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
		return []string{b.String()}, ""
	}
	for _, t := range strings.Fields(q) {
		if utf8.RuneCountInString(t) >= 3 {
			long = append(long, t)
		}
	}
	if len(long) > 8 {
		long = long[:8]
	}
	if len(long) == 0 {
		short = strings.Join(strings.Fields(q), " ")
	}
	return long, short
}

// ListContacts answers a list query: a page with the total, or a cursor page.
func (db *DB) ListContacts(ctx context.Context, q contacts.ListQuery) (*contacts.ListResult, error) {
	src := db.listWhere(q)
	if err := db.skipErasureFilter(ctx, q.ProjectID, &src); err != nil {
		return nil, err
	}
	if q.Cursor {
		rows, err := db.selectContacts(ctx, `SELECT `+contactColumns+` FROM `+src.from+` WHERE `+src.where+
			` AND c.id > ? ORDER BY c.id LIMIT ?`, append(src.args, q.After, q.PerPage+1)...)
		if err != nil {
			return nil, err
		}
		res := &contacts.ListResult{Total: -1, Contacts: rows}
		if len(rows) > q.PerPage {
			res.Contacts = rows[:q.PerPage]
			res.NextAfter = res.Contacts[q.PerPage-1].ID
		}
		return res, nil
	}
	offset := (q.Page - 1) * q.PerPage
	if src.searched {
		return db.searchPage(ctx, q, src, offset)
	}

	walk, total, pending, err := db.anchoredTotal(ctx, q, src, offset)
	if err != nil {
		return nil, err
	}
	if pending {
		// A first page, read without the total (still being counted).
		rows, err := db.pageRows(ctx, q, src, orderBy(q.Sort, q.Desc), q.PerPage, offset)
		if err != nil {
			return nil, err
		}
		res := &contacts.ListResult{Contacts: rows, Total: offset + len(rows)}
		// A page short of full (and not past the end) ends the list: that
		// is the total.
		res.TotalPending = len(rows) == q.PerPage || (len(rows) == 0 && offset > 0)
		return res, nil
	}
	res := &contacts.ListResult{Total: total, Contacts: []*contacts.Contact{}}
	if offset >= total {
		return res, nil
	}
	if cond, cargs, skip, ok := walk.seek(q, offset); ok {
		order := orderBy(q.Sort, q.Desc)
		args := append(append(append([]any{}, src.args...), cargs...), q.PerPage, skip)
		if res.Contacts, err = db.selectContacts(ctx, `SELECT `+contactColumns+` FROM contacts c JOIN (SELECT c.id FROM `+src.from+
			` WHERE `+src.where+` AND `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?) p ON p.id = c.id ORDER BY `+order, args...); err != nil {
			return nil, err
		}
		return res, nil
	}
	limit := q.PerPage
	desc := q.Desc
	// Past the middle, read from the other end: the index walk is shorter.
	reversed := offset > total/2
	if reversed {
		desc = !desc
		end := min(offset+limit, total)
		limit = end - offset
		offset = total - end
	}
	rows, err := db.pageRows(ctx, q, src, orderBy(q.Sort, desc), limit, offset)
	if err != nil {
		return nil, err
	}
	if reversed {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	res.Contacts = rows
	return res, nil
}

// commonTag is how many contacts a tag filter must hold before a page is
// first looked for by walking the sort's index and testing each contact
// for the tag (see listWhereTags): at a million contacts a tag on one in
// eight took 31–44 ms to page through c.id IN (...), and 4 ms walking.
// The walk is given tagWalkBudget: a page it has not found by then (the
// tag's contacts sit far down the sort order, or the page is deep) is read
// the other way, whose cost does not depend on where they sit.
const (
	commonTag     = 10_000
	tagWalkBudget = 20 * time.Millisecond
)

// pageRows reads a page with OFFSET as a deferred join: the page's ids are
// found on the index alone, then their rows fetched. A common tag's page is
// first looked for by the walk (commonTagSource), within tagWalkBudget.
func (db *DB) pageRows(ctx context.Context, q contacts.ListQuery, src listSource, order string, limit, offset int) ([]*contacts.Contact, error) {
	read := func(ctx context.Context, src listSource) ([]*contacts.Contact, error) {
		return db.selectContacts(ctx, `SELECT `+contactColumns+` FROM contacts c JOIN (SELECT c.id FROM `+src.from+` WHERE `+
			src.where+` ORDER BY `+order+` LIMIT ? OFFSET ?) p ON p.id = c.id ORDER BY `+order, append(src.args, limit, offset)...)
	}
	walked, ok, err := db.commonTagSource(ctx, q, src)
	if err != nil {
		return nil, err
	}
	if ok {
		wctx, cancel := context.WithTimeout(ctx, db.pages.tagWalkBudget())
		rows, err := read(wctx, walked)
		cancel()
		if err == nil || ctx.Err() != nil {
			return rows, err
		}
		if wctx.Err() == nil {
			return nil, err
		}
	}
	return read(ctx, src)
}

// commonTagSource is src with its tag filters tested per walked contact,
// when the tags are common enough for that to find a page sooner.
func (db *DB) commonTagSource(ctx context.Context, q contacts.ListQuery, src listSource) (listSource, bool, error) {
	if len(q.Tags) == 0 {
		return src, false, nil
	}
	var n int
	if err := db.r.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM (SELECT 1 FROM contact_tags WHERE project_id = ? AND tag IN (?`+
		strings.Repeat(", ?", len(q.Tags)-1)+`) LIMIT ?) t`), append(append([]any{q.ProjectID}, stringsToAny(q.Tags)...), db.pages.commonTagSize())...); err != nil {
		return src, false, fmt.Errorf("size of the tag filter: %w", err)
	}
	if n < db.pages.commonTagSize() {
		return src, false, nil
	}
	walked := db.listWhereTags(q, true)
	if walked.noneHidden = src.noneHidden; walked.noneHidden {
		walked.where, walked.args = walked.plainWhere, walked.plainArgs // as skipErasureFilter chose
	}
	return walked, true, nil
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// searchPage answers a query driven by the search index: one pass over the
// matches finds the page's ids and the total together.
func (db *DB) searchPage(ctx context.Context, q contacts.ListQuery, src listSource, offset int) (*contacts.ListResult, error) {
	order := orderBy(q.Sort, q.Desc)
	var hits []struct {
		ID    int64 `db:"id"`
		Total int   `db:"total"`
	}
	if err := db.r.SelectContext(ctx, &hits, db.q(`SELECT c.id, COUNT(*) OVER () AS total FROM `+src.from+
		` WHERE `+src.where+` ORDER BY `+order+` LIMIT ? OFFSET ?`), append(src.args, q.PerPage, offset)...); err != nil {
		return nil, fmt.Errorf("search contacts: %w", err)
	}
	res := &contacts.ListResult{Contacts: []*contacts.Contact{}}
	if len(hits) == 0 {
		// Past the last page (or nothing matched): count on its own.
		if err := db.r.GetContext(ctx, &res.Total, db.q(`SELECT COUNT(*) FROM `+src.from+` WHERE `+src.where), src.args...); err != nil {
			return nil, fmt.Errorf("count contacts: %w", err)
		}
		return res, nil
	}
	res.Total = hits[0].Total
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	cs, err := db.contactsByID(ctx, q.ProjectID, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*contacts.Contact, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, id := range ids {
		if c := byID[id]; c != nil {
			res.Contacts = append(res.Contacts, c)
		}
	}
	return res, nil
}

// orderBy is the ORDER BY of a sort, with the id as tie-breaker so pages
// never overlap.
func orderBy(sort string, desc bool) string {
	dir, nulls := " ASC", ""
	if desc {
		dir = " DESC"
	}
	if sort == "last_seen_at" {
		// Never-seen contacts sort as the oldest in both dialects.
		nulls = map[bool]string{false: " NULLS FIRST", true: " NULLS LAST"}[desc]
	}
	return sortColumns[sort] + dir + nulls + ", c.id" + dir
}

// selectContacts runs a contact query and attaches identities in one more query.
func (db *DB) selectContacts(ctx context.Context, query string, args ...any) ([]*contacts.Contact, error) {
	return db.selectContactsWith(ctx, db.r, query, args...)
}

func (db *DB) selectContactsWith(ctx context.Context, qr sqlx.QueryerContext, query string, args ...any) ([]*contacts.Contact, error) {
	var rows []contactRow
	if err := sqlx.SelectContext(ctx, qr, &rows, db.q(query), args...); err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	out := make([]*contacts.Contact, 0, len(rows))
	byID := make(map[int64]*contacts.Contact, len(rows))
	ids := make([]any, 0, len(rows))
	for i := range rows {
		c, err := rows[i].toContact()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		byID[c.ID] = c
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var idRows []identityRow
	if err := sqlx.SelectContext(ctx, qr, &idRows, db.q(`SELECT id, contact_id, channel, external_id, handle, created_at
		FROM identities WHERE contact_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY id`), ids...); err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	for _, r := range idRows {
		if c := byID[r.ContactID]; c != nil {
			c.Identities = append(c.Identities, r.toIdentity())
		}
	}
	return out, nil
}
