package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

// exportPageSize is how many contacts one keyset page of an export reads.
const exportPageSize = 2000

// exportContactColumns are what an export needs of a contact. The rest
// (the AI's learned context, merge conflicts and field sources above all,
// whose JSON would cost more to decode than the rest of the row) is left
// out: over a million rows every column counts.
const exportContactColumns = `c.id, c.first_name, c.last_name, c.email, c.phone, c.company, c.external_id,
	c.channel, c.do_not_contact, c.notes, c.context, c.memories, c.tags, c.country, c.region, c.city, c.custom,
	c.lead_status, c.lead_score, c.created_at, c.updated_at, c.last_seen_at`

// exportPackedColumns reads the same, the 17 text columns joined into one
// value by a separator (the first parameter): the driver's per-column
// conversions, not SQLite, were the reader's largest cost, and one column
// costs one. Profile values never hold the separator (a control
// character: validation refuses them and JSON escapes them); a row that
// does is read again column by column.
const exportPackedColumns = `c.id, c.do_not_contact, c.created_at, c.updated_at, c.last_seen_at,
	concat_ws(CAST(? AS TEXT), c.first_name, c.last_name, COALESCE(c.email, ''), COALESCE(c.phone, ''), c.company,
	COALESCE(c.external_id, ''), c.channel, c.notes, c.context, c.memories, c.tags, c.country, c.region, c.city,
	c.custom, c.lead_status, c.lead_score)`

const (
	exportSep        = "\x1f"
	exportPackedText = 17
)

// ExportContacts streams the contacts q matches in id order, a keyset page
// at a time, all pages from one read transaction so the count, the custom
// keys and the rows agree. The next page is read while fn handles the
// current one. Contacts carry what an export writes (exportContactColumns
// and identities); LearnedContext, Conflicts, Sources, ConversationCount
// and the last message times are left empty.
func (db *DB) ExportContacts(ctx context.Context, q contacts.ListQuery, customKeys bool,
	head func(total int, keys []string) error, fn func(*contacts.Contact) error) error {
	// Not the list's sort: with the created_at sort listWhere pins SQLite to
	// the list index, which would sort every page's matches by id again.
	q.Sort, q.Cursor = "", true
	src := db.listWhere(q)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sctx := db.dialect.stmtContext(ctx)
	var opts *sql.TxOptions
	if db.dialect.name() == "postgres" {
		// One snapshot for every statement; SQLite's WAL readers have one.
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.r.BeginTxx(sctx, opts)
	if err != nil {
		return fmt.Errorf("export: begin: %w", err)
	}
	defer tx.Rollback()

	var total int
	if err := tx.GetContext(sctx, &total, db.q(`SELECT COUNT(*) FROM `+src.from+` WHERE `+src.where), src.args...); err != nil {
		return fmt.Errorf("export: count contacts: %w", err)
	}
	var keys []string
	if customKeys && total > 0 {
		if keys, err = db.customKeys(sctx, tx, src); err != nil {
			return err
		}
	}
	if err := head(total, keys); err != nil {
		return err
	}

	from := src.from
	if from == "contacts c" && db.dialect.name() == "sqlite" {
		// Walk the table in rowid order from the cursor. Left alone SQLite
		// reads the project's rows through some (project_id, ...) index and
		// sorts them all by id again for every page.
		from = "contacts c NOT INDEXED"
	}
	pageSQL := db.q(`SELECT ` + exportPackedColumns + ` FROM ` + from + ` WHERE ` + src.where + ` AND c.id > ? ORDER BY c.id LIMIT ?`)
	args := append(append([]any{exportSep}, src.args...), int64(0), exportPageSize)
	var st exportStmts
	for _, p := range []struct {
		dst   **sqlx.Stmt
		query string
	}{
		{&st.page, pageSQL},
		{&st.identities, db.q(exportIdentitiesSQL)},
		{&st.one, db.q(`SELECT ` + exportContactColumns + ` FROM contacts c WHERE c.id = ?`)},
	} {
		if *p.dst, err = tx.PreparexContext(sctx, p.query); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer (*p.dst).Close()
	}

	// The reader only scans rows (SQLite is most of an export's work);
	// decoding them into contacts and fn run here, on another core. Page
	// buffers go round between the two, so memory stays at a few pages.
	pages, free := make(chan *exportBatch, 1), make(chan *exportBatch, 3)
	for range cap(free) {
		free <- &exportBatch{rows: make([]exportRaw, 0, exportPageSize)}
	}
	go func() {
		defer close(pages)
		for ctx.Err() == nil {
			var b *exportBatch
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			b.read(sctx, st, args)
			pages <- b // buffered enough: the consumer drains it to the end
			if b.err != nil || len(b.rows) < exportPageSize {
				return
			}
			args[len(args)-2] = b.rows[len(b.rows)-1].ID
		}
	}()
	defer func() {
		cancel()
		for range pages { // let the reader finish before the deferred rollback
		}
	}()
	for b := range pages {
		if b.err != nil {
			return fmt.Errorf("export: %w", b.err)
		}
		if err := b.each(q.ProjectID, fn); err != nil {
			return err
		}
		free <- b
	}
	return ctx.Err()
}

// exportIdentitiesSQL reads the identities of a page's id range on the
// contact_id index, to be merged in id order: cheaper than an IN list of
// every id. Rows of other contacts in the range (filtered out, or of other
// projects) match nothing in the page. (A project_id condition would lead
// SQLite to the unique index, scanning all the project's identities for
// every page.)
const exportIdentitiesSQL = `SELECT id, contact_id, channel, external_id, handle, created_at
	FROM identities WHERE contact_id >= ? AND contact_id <= ? ORDER BY contact_id, id`

// exportStmts are an export's prepared statements: the page, its
// identities, and one contact read column by column.
type exportStmts struct{ page, identities, one *sqlx.Stmt }

// exportRaw is one row of exportContactColumns as scanned.
type exportRaw struct {
	ID                             int64
	FirstName, LastName, Company   string
	Email, Phone, ExternalID       sql.NullString
	Channel                        string
	DoNotContact                   bool
	Notes, Context, Memories, Tags string
	Country, Region, City, Custom  string
	LeadStatus, LeadScore          string
	CreatedAt, UpdatedAt           int64
	LastSeenAt                     sql.NullInt64
}

// unpack fills the text columns from their packed value; false when the
// value does not split into them.
func (r *exportRaw) unpack(packed string) bool {
	var parts [exportPackedText]string
	for i := range parts {
		if i == len(parts)-1 {
			if strings.Contains(packed, exportSep) {
				return false
			}
			parts[i] = packed
			break
		}
		j := strings.Index(packed, exportSep)
		if j < 0 {
			return false
		}
		parts[i], packed = packed[:j], packed[j+len(exportSep):]
	}
	r.FirstName, r.LastName, r.Company = parts[0], parts[1], parts[4]
	r.Email = sql.NullString{String: parts[2], Valid: parts[2] != ""}
	r.Phone = sql.NullString{String: parts[3], Valid: parts[3] != ""}
	r.ExternalID = sql.NullString{String: parts[5], Valid: parts[5] != ""}
	r.Channel, r.Notes, r.Context, r.Memories, r.Tags = parts[6], parts[7], parts[8], parts[9], parts[10]
	r.Country, r.Region, r.City, r.Custom = parts[11], parts[12], parts[13], parts[14]
	r.LeadStatus, r.LeadScore = parts[15], parts[16]
	return true
}

func (r *exportRaw) scanColumns(row interface{ Scan(...any) error }) error {
	return row.Scan(&r.ID, &r.FirstName, &r.LastName, &r.Email, &r.Phone, &r.Company, &r.ExternalID,
		&r.Channel, &r.DoNotContact, &r.Notes, &r.Context, &r.Memories, &r.Tags, &r.Country, &r.Region, &r.City,
		&r.Custom, &r.LeadStatus, &r.LeadScore, &r.CreatedAt, &r.UpdatedAt, &r.LastSeenAt)
}

// exportBatch is one keyset page: its rows and their identities.
type exportBatch struct {
	rows []exportRaw
	ids  []identityRow
	err  error
}

// read fills the batch with the page args select.
func (b *exportBatch) read(ctx context.Context, st exportStmts, args []any) {
	b.rows, b.ids, b.err = b.rows[:0], b.ids[:0], nil
	var again []int
	if b.err = b.scan(ctx, st.page, args, &again); b.err != nil {
		return
	}
	for _, i := range again {
		if err := b.rows[i].scanColumns(st.one.QueryRowContext(ctx, b.rows[i].ID)); err != nil {
			b.err = fmt.Errorf("list contacts: %w", err)
			return
		}
	}
	if len(b.rows) > 0 {
		if err := st.identities.SelectContext(ctx, &b.ids, b.rows[0].ID, b.rows[len(b.rows)-1].ID); err != nil {
			b.err = fmt.Errorf("list identities: %w", err)
		}
	}
}

// scan reads the packed page, noting the rows to read again.
func (b *exportBatch) scan(ctx context.Context, page *sqlx.Stmt, args []any, again *[]int) error {
	rows, err := page.QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("list contacts: %w", err)
	}
	defer rows.Close()
	var packed string
	for rows.Next() {
		b.rows = append(b.rows, exportRaw{})
		r := &b.rows[len(b.rows)-1]
		if err := rows.Scan(&r.ID, &r.DoNotContact, &r.CreatedAt, &r.UpdatedAt, &r.LastSeenAt, &packed); err != nil {
			return fmt.Errorf("list contacts: %w", err)
		}
		if !r.unpack(packed) {
			*again = append(*again, len(b.rows)-1)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list contacts: %w", err)
	}
	return nil
}

// each builds the batch's contacts, identities merged in by id, and hands
// them to fn.
func (b *exportBatch) each(projectID int64, fn func(*contacts.Contact) error) error {
	j := 0
	for i := range b.rows {
		r := &b.rows[i]
		c := &contacts.Contact{ID: r.ID, ProjectID: projectID, FirstName: r.FirstName, LastName: r.LastName,
			Email: r.Email.String, Phone: r.Phone.String, Company: r.Company, ExternalID: r.ExternalID.String,
			Channel: contacts.Channel(r.Channel), DoNotContact: r.DoNotContact, Notes: r.Notes, Context: r.Context,
			Country: r.Country, Region: r.Region, City: r.City, LeadStatus: contacts.LeadStatus(r.LeadStatus),
			LeadScore: contacts.LeadScore(r.LeadScore), CreatedAt: time.UnixMilli(r.CreatedAt).UTC(),
			UpdatedAt: time.UnixMilli(r.UpdatedAt).UTC(), LastSeenAt: fromMS(r.LastSeenAt), Identities: []contacts.Identity{}}
		if err := decodeStringList(r.Memories, &c.Memories); err != nil {
			return fmt.Errorf("export: decode contact %d memories: %w", c.ID, err)
		}
		if err := decodeStringList(r.Tags, &c.Tags); err != nil {
			return fmt.Errorf("export: decode contact %d tags: %w", c.ID, err)
		}
		if err := decodeJSONColumn(r.Custom, "{}", &c.Custom); err != nil {
			return fmt.Errorf("export: decode contact %d custom: %w", c.ID, err)
		}
		for j < len(b.ids) && b.ids[j].ContactID < c.ID {
			j++
		}
		for ; j < len(b.ids) && b.ids[j].ContactID == c.ID; j++ {
			c.Identities = append(c.Identities, b.ids[j].toIdentity())
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// decodeStringList decodes a JSON array of strings. The usual list (no
// escapes) is cut out of the text without encoding/json, which took a
// tenth of an export's time on tags alone.
func decodeStringList(raw string, dst *[]string) error {
	if raw == "" || raw == "[]" {
		return nil
	}
	if len(raw) >= 4 && raw[:2] == `["` && raw[len(raw)-2:] == `"]` && !strings.ContainsAny(raw, `\`) {
		// Without backslashes a quote never sits inside a string: when all
		// of them pair up as "," separators, those split the items.
		if body := raw[2 : len(raw)-2]; strings.Count(body, `"`) == 2*strings.Count(body, `","`) {
			*dst = strings.Split(body, `","`)
			return nil
		}
	}
	return json.Unmarshal([]byte(raw), dst)
}

// decodeJSONColumn decodes a JSON column, skipping the common empty value.
func decodeJSONColumn(raw, empty string, dst any) error {
	if raw == "" || raw == empty {
		return nil
	}
	return json.Unmarshal([]byte(raw), dst)
}

// customKeys lists the custom attribute keys the matching contacts use.
func (db *DB) customKeys(ctx context.Context, tx *sqlx.Tx, src listSource) ([]string, error) {
	var query string
	if db.dialect.name() == "postgres" {
		query = `SELECT DISTINCT k.key FROM ` + src.from + ` CROSS JOIN LATERAL jsonb_object_keys(CAST(c.custom AS jsonb)) AS k(key) WHERE ` +
			src.where + ` AND c.custom <> '{}'`
	} else {
		query = `SELECT DISTINCT k.key FROM ` + src.from + `, json_each(c.custom) k WHERE ` + src.where + ` AND c.custom <> '{}'`
	}
	var keys []string
	if err := tx.SelectContext(ctx, &keys, db.q(query), src.args...); err != nil {
		return nil, fmt.Errorf("export: custom keys: %w", err)
	}
	sort.Strings(keys) // byte order, the same on both dialects
	return keys, nil
}

const exportSelectSQL = `SELECT e.id, e.project_id, e.format, e.query, e.column_names, e.actor, e.row_count,
	e.size_bytes, e.file_key, e.created_at, e.finished_at, e.expires_at,
	j.id AS job_id, j.status, j.total, j.done, j.failed, j.error, j.created_at AS job_created_at, j.updated_at AS job_updated_at
	FROM exports e JOIN jobs j ON j.id = e.job_id`

type exportRow struct {
	ID           int64         `db:"id"`
	ProjectID    int64         `db:"project_id"`
	Format       string        `db:"format"`
	Query        string        `db:"query"`
	Columns      string        `db:"column_names"`
	Actor        string        `db:"actor"`
	Rows         int           `db:"row_count"`
	Size         int64         `db:"size_bytes"`
	FileKey      string        `db:"file_key"`
	CreatedAt    int64         `db:"created_at"`
	FinishedAt   sql.NullInt64 `db:"finished_at"`
	ExpiresAt    sql.NullInt64 `db:"expires_at"`
	JobID        int64         `db:"job_id"`
	Status       string        `db:"status"`
	Total        int           `db:"total"`
	Done         int           `db:"done"`
	Failed       int           `db:"failed"`
	Error        string        `db:"error"`
	JobCreatedAt int64         `db:"job_created_at"`
	JobUpdatedAt int64         `db:"job_updated_at"`
}

func (r *exportRow) toExport() (*contacts.Export, error) {
	e := &contacts.Export{ID: r.ID, ProjectID: r.ProjectID, Format: r.Format, Query: r.Query, Actor: r.Actor,
		Rows: r.Rows, Size: r.Size, FileKey: r.FileKey, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		FinishedAt: fromMS(r.FinishedAt), ExpiresAt: fromMS(r.ExpiresAt),
		Job: contacts.Job{ID: r.JobID, ProjectID: r.ProjectID, Kind: contacts.JobExport, Status: r.Status, Total: r.Total,
			Done: r.Done, Failed: r.Failed, Error: r.Error, CreatedAt: fromMS(sql.NullInt64{Int64: r.JobCreatedAt, Valid: true}),
			UpdatedAt: fromMS(sql.NullInt64{Int64: r.JobUpdatedAt, Valid: true})}}
	if err := json.Unmarshal([]byte(r.Columns), &e.Columns); err != nil {
		return nil, fmt.Errorf("decode export %d columns: %w", r.ID, err)
	}
	return e, nil
}

// CreateExport records an export and its job.
func (db *DB) CreateExport(ctx context.Context, e *contacts.Export) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		j := &e.Job
		j.ProjectID, j.Kind = e.ProjectID, contacts.JobExport
		if err := tx.GetContext(ctx, &j.ID, db.q(`INSERT INTO jobs (project_id, kind, status, total, done, failed, error,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), j.ProjectID, j.Kind, j.Status,
			j.Total, j.Done, j.Failed, j.Error, msNotNull(j.CreatedAt), msNotNull(j.UpdatedAt)); err != nil {
			return fmt.Errorf("insert export job: %w", err)
		}
		if err := tx.GetContext(ctx, &e.ID, db.q(`INSERT INTO exports (project_id, job_id, format, query, column_names,
			actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), e.ProjectID, j.ID, e.Format, e.Query,
			jsonText(e.Columns, "[]"), e.Actor, msNotNull(e.CreatedAt)); err != nil {
			return fmt.Errorf("insert export: %w", err)
		}
		return nil
	})
}

// FinishExport records the written file, the job's end and the audit entry.
func (db *DB) FinishExport(ctx context.Context, e *contacts.Export, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE exports SET row_count = ?, size_bytes = ?, file_key = ?,
			finished_at = ?, expires_at = ? WHERE id = ?`), e.Rows, e.Size, e.FileKey, ms(e.FinishedAt), ms(e.ExpiresAt), e.ID); err != nil {
			return fmt.Errorf("update export: %w", err)
		}
		j := &e.Job
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE jobs SET status = ?, total = ?, done = ?, failed = ?, error = ?,
			updated_at = ? WHERE id = ?`), j.Status, j.Total, j.Done, j.Failed, j.Error, msNotNull(j.UpdatedAt), j.ID); err != nil {
			return fmt.Errorf("update export job: %w", err)
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// GetExport loads an export of the project with its job.
func (db *DB) GetExport(ctx context.Context, projectID, id int64) (*contacts.Export, error) {
	var r exportRow
	if err := db.r.GetContext(ctx, &r, db.q(exportSelectSQL+` WHERE e.project_id = ? AND e.id = ?`), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	return r.toExport()
}

// ExpiredExports lists exports whose kept file expired by before.
func (db *DB) ExpiredExports(ctx context.Context, before time.Time, limit int) ([]contacts.Export, error) {
	out, err := db.selectExports(ctx, ` WHERE e.file_key <> '' AND e.expires_at <= ? ORDER BY e.expires_at, e.id LIMIT ?`,
		before.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("expired exports: %w", err)
	}
	return out, nil
}

// ForgetExportFile clears the file of an export whose file was deleted.
func (db *DB) ForgetExportFile(ctx context.Context, id int64) error {
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE exports SET file_key = '' WHERE id = ?`), id); err != nil {
		return fmt.Errorf("forget export %d file: %w", id, err)
	}
	return nil
}
