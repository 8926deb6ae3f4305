package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Exact totals and deep OFFSETs over a million matching contacts cost a walk
// over every match (seconds on SQLite when a filter needs the table). For
// large result sets the store walks once, keeping the total and the sort key
// of every anchorStride-th row, then serves any page by seeking to the
// nearest anchor and skipping fewer than anchorStride rows.
//
// An entry is valid while no write has committed through this store since it
// was built, and for staleFor after one: a list being paged through under
// constant inbound traffic is not rebuilt on every message, at the price of a
// total that may lag by a couple of seconds. Other processes' writes are seen
// within maxAge.
//
// The walk costs a pass over every match (a quarter of a second at a
// million), the count alone a tenth of that. Pages near either end of the
// result, the ones a list opens on, are read with a plain OFFSET of under
// directOffset rows; the walk is built only when a deeper page is asked for.
//
// A smaller result is counted exactly on every page, unless counting it
// took slowCount or more: a selective filter the indexes cannot answer
// alone (a tag with a channel, say) can cost a fifth of a second to count
// at a million contacts while matching only thousands, and paging through
// it should not pay that on every page.
const (
	anchorStride   = 250
	pageCacheFrom  = 20_000 // smaller results are counted exactly each time, unless slow to count
	slowCount      = 40 * time.Millisecond
	directOffset   = 2_500
	staleFor       = 2 * time.Second
	maxAge         = time.Minute
	pageCacheLimit = 64
)

type anchor struct {
	v  any
	id int64
}

type pageEntry struct {
	stride  int
	version uint64
	built   time.Time
	total   int
	hidden  int  // hidden matches the count left out (-1: not counted apart)
	walked  bool // anchors holds the walk (built on the first deep page)
	anchors []anchor
}

type pageCache struct {
	mu      sync.Mutex
	entries map[string]*pageEntry
	writes  atomic.Uint64
	// tuning, zero meaning the constants above (tests set small values;
	// with a stride set, direct 0 walks for every page; slow below zero
	// makes every count slow)
	stride, from, direct int
	stale, slow          time.Duration
	commonTag            int           // 0: the constant
	tagWalk              time.Duration // 0: tagWalkBudget

	// counts in progress, one per view, shared by the requests that want
	// it (guarded by mu)
	counting map[string]*countCall
	// beforeCount, when set (tests), runs before each count
	beforeCount func()
}

// countCall is one view's count, run off the request so a caller that stops
// waiting (ListQuery.CountWait) leaves it to finish for the next request.
type countCall struct {
	done chan struct{}
	// set under pageCache.mu
	finished  bool
	waitedOut bool // a caller stopped waiting: keep the result in the cache
	entry     *pageEntry
	total     int
	err       error
}

func (p *pageCache) commonTagSize() int {
	if p.commonTag > 0 {
		return p.commonTag
	}
	return commonTag
}

func (p *pageCache) tagWalkBudget() time.Duration {
	if p.tagWalk != 0 {
		return p.tagWalk
	}
	return tagWalkBudget
}

func (p *pageCache) slowCount() time.Duration {
	if p.slow != 0 {
		return p.slow
	}
	return slowCount
}

func (p *pageCache) tuning() (stride, from, direct int, stale time.Duration) {
	stride, from, direct, stale = anchorStride, pageCacheFrom, directOffset, staleFor
	if p.stride > 0 {
		stride, from, direct, stale = p.stride, p.from, p.direct, p.stale
	}
	return
}

// wrote records a committed write, invalidating (after staleFor) every entry.
func (p *pageCache) wrote() { p.writes.Add(1) }

func (p *pageCache) get(key string, now time.Time) *pageEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.entries[key]
	if e == nil {
		return nil
	}
	_, _, _, stale := p.tuning()
	age := now.Sub(e.built)
	if age > maxAge || e.version != p.writes.Load() && age >= stale {
		delete(p.entries, key)
		return nil
	}
	return e
}

func (p *pageCache) put(key string, e *pageEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.putLocked(key, e)
}

func (p *pageCache) putLocked(key string, e *pageEntry) {
	if p.entries == nil || len(p.entries) >= pageCacheLimit {
		p.entries = map[string]*pageEntry{}
	}
	p.entries[key] = e
}

func cacheKey(q contacts.ListQuery, src listSource) string {
	return fmt.Sprintf("%d|%s|%s|%v|%s|%v", q.ProjectID, src.from, src.where, src.args, q.Sort, q.Desc)
}

// anchoredTotal returns the cached entry of a large result, counting it
// when there is none, and walking it when the page at offset is deeper than
// directOffset from both ends. It returns a nil entry for small results,
// whose total is then the exact count. An entry without the walk (and sorts
// with NULLs, which keyset seeks cannot express simply) seeks nothing: the
// page is read with OFFSET.
func (db *DB) anchoredTotal(ctx context.Context, q contacts.ListQuery, src listSource, offset int) (e *pageEntry, total int, pending bool, err error) {
	key := cacheKey(q, src)
	stride, _, direct, _ := db.pages.tuning()
	if e = db.pages.get(key, time.Now()); e == nil {
		// Only the first pages can be read without the total; a deeper one
		// needs it (and the walk) to find its rows.
		wait := q.CountWait
		if offset >= direct {
			wait = 0
		}
		e, total, pending, err = db.countView(ctx, key, q.ProjectID, src, stride, wait)
		if e == nil || pending || err != nil {
			return nil, total, pending, err
		}
	}
	if e.walked || q.Sort == "last_seen_at" || min(offset, e.total-offset-q.PerPage) < direct {
		return e, e.total, false, nil
	}
	// Entries are shared by concurrent requests: the walk goes into a copy,
	// which replaces the counted one.
	w := *e
	w.walked = true
	// With no hidden contact among the matches the walk without the
	// erasure filter is the same walk, minus a test on every row.
	where, args := src.where, src.args
	if w.hidden == 0 {
		where, args = src.plainWhere, src.plainArgs
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+sortColumns[q.Sort]+`, c.id FROM `+src.from+` WHERE `+where+
		` ORDER BY `+orderBy(q.Sort, q.Desc)), args...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("walk contacts: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n%w.stride == 0 {
			var a anchor
			if err := rows.Scan(&a.v, &a.id); err != nil {
				return nil, 0, false, err
			}
			w.anchors = append(w.anchors, a)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("walk contacts: %w", err)
	}
	// The walk sees the rows as they are now; its count wins.
	w.total = n
	db.pages.put(key, &w)
	return &w, w.total, false, nil
}

// countTimeout bounds a count nobody may be waiting for any more.
const countTimeout = time.Minute

// countView counts a view's matches, joining a count of the same view
// already running, and waits for it as the query asks (see
// ListQuery.CountWait). It returns the cache entry of a result worth
// keeping (large, slow to count, or one a caller stopped waiting for), or
// for a small result its exact total with no entry; pending when the wait
// ran out first.
func (db *DB) countView(ctx context.Context, key string, projectID int64, src listSource, stride int, wait time.Duration) (*pageEntry, int, bool, error) {
	p := &db.pages
	p.mu.Lock()
	c := p.counting[key]
	if c == nil {
		c = &countCall{done: make(chan struct{})}
		if p.counting == nil {
			p.counting = map[string]*countCall{}
		}
		p.counting[key] = c
		before := p.beforeCount
		go db.runCount(key, c, projectID, src, stride, before)
	}
	p.mu.Unlock()

	if wait >= 0 {
		var expired <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			expired = t.C
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			return nil, 0, false, ctx.Err()
		case <-expired:
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// Not waiting at all answers pending even for a count that has just
	// ended, so the caller sees the same thing every time.
	if !c.finished || wait < 0 {
		c.waitedOut = true
		return nil, 0, true, nil
	}
	if c.err != nil {
		return nil, 0, false, fmt.Errorf("count contacts: %w", c.err)
	}
	return c.entry, c.total, false, nil
}

// runCount is a countCall's work, on a context of its own: the request that
// started it may be gone by the time it ends.
func (db *DB) runCount(key string, c *countCall, projectID int64, src listSource, stride int, before func()) {
	defer close(c.done)
	if before != nil {
		before()
	}
	ctx, cancel := context.WithTimeout(context.Background(), countTimeout)
	defer cancel()
	p := &db.pages
	_, from, _, _ := p.tuning()
	version := p.writes.Load()
	began := time.Now()
	total, hidden, err := db.countVisible(ctx, projectID, src)
	took := time.Since(began)

	p.mu.Lock()
	defer p.mu.Unlock()
	c.finished, c.total, c.err = true, total, err
	delete(p.counting, key)
	if err == nil && (total >= from || took >= p.slowCount() || c.waitedOut) {
		c.entry = &pageEntry{version: version, built: time.Now(), total: total, hidden: hidden, stride: stride}
		p.putLocked(key, c.entry)
	}
}

// seek turns an offset into a keyset condition from the nearest anchor and
// the few rows to skip after it.
func (e *pageEntry) seek(q contacts.ListQuery, offset int) (cond string, args []any, skip int, ok bool) {
	if e == nil || !e.walked {
		return "", nil, 0, false
	}
	k := offset / e.stride
	if k >= len(e.anchors) || q.Sort == "last_seen_at" {
		return "", nil, 0, false
	}
	a := e.anchors[k]
	op := ">="
	if q.Desc {
		op = "<="
	}
	col := sortColumns[q.Sort]
	return fmt.Sprintf("(%s %s ? AND (%s <> ? OR c.id %s ?))", col, op, col, op), []any{a.v, a.v, a.id}, offset % e.stride, true
}
