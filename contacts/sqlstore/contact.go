package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const contactColumns = `c.id, c.project_id, c.first_name, c.last_name, c.email, c.phone, c.company,
	c.external_id, c.channel, c.do_not_contact, c.notes, c.context, c.memories, c.learned_context,
	c.tags, c.country, c.region, c.city, c.custom, c.conflicts, c.sources, c.lead_status,
	c.lead_score, c.lead_refresh_at, c.conversation_count, c.created_at, c.updated_at,
	c.last_seen_at, c.last_inbound_at, c.last_outbound_at, c.version`

const (
	getContactSQL = `SELECT ` + contactColumns + ` FROM contacts c WHERE c.project_id = ? AND c.id = ?`

	insertContactSQL = `INSERT INTO contacts (project_id, first_name, last_name, sort_name, email, email_key,
	phone, company, external_id, channel, do_not_contact, notes, context, memories, learned_context,
	tags, country, region, city, custom, conflicts, sources, lead_status, lead_score, lead_refresh_at,
	conversation_count, created_at, updated_at, last_seen_at, last_inbound_at, last_outbound_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	// insertContactWithIDSQL restores a contact under its old id (merge undo).
	insertContactWithIDSQL = `INSERT INTO contacts (project_id, first_name, last_name, sort_name, email, email_key,
	phone, company, external_id, channel, do_not_contact, notes, context, memories, learned_context,
	tags, country, region, city, custom, conflicts, sources, lead_status, lead_score, lead_refresh_at,
	conversation_count, created_at, updated_at, last_seen_at, last_inbound_at, last_outbound_at, id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	updateContactSQL = `UPDATE contacts SET version = version + 1, project_id = ?, first_name = ?, last_name = ?, sort_name = ?,
	email = ?, email_key = ?, phone = ?, company = ?, external_id = ?, channel = ?, do_not_contact = ?, notes = ?,
	context = ?, memories = ?, learned_context = ?, tags = ?, country = ?, region = ?, city = ?,
	custom = ?, conflicts = ?, sources = ?, lead_status = ?, lead_score = ?, lead_refresh_at = ?,
	conversation_count = ?, created_at = ?, updated_at = ?, last_seen_at = ?, last_inbound_at = ?,
	last_outbound_at = ? WHERE id = ?`

	identitiesOfSQL     = `SELECT id, contact_id, channel, external_id, handle, created_at FROM identities WHERE contact_id = ? ORDER BY id`
	deleteIdentitiesSQL = `DELETE FROM identities WHERE contact_id = ?`
	insertIdentitySQL   = `INSERT INTO identities (project_id, contact_id, channel, external_id, handle, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	deleteTagsSQL       = `DELETE FROM contact_tags WHERE contact_id = ?`
	insertTagSQL        = `INSERT INTO contact_tags (contact_id, project_id, tag) VALUES (?, ?, ?)`
)

// contactRow is a contacts row as stored; toContact converts it in one place.
type contactRow struct {
	ID                int64          `db:"id"`
	ProjectID         int64          `db:"project_id"`
	FirstName         string         `db:"first_name"`
	LastName          string         `db:"last_name"`
	Email             sql.NullString `db:"email"`
	Phone             sql.NullString `db:"phone"`
	Company           string         `db:"company"`
	ExternalID        sql.NullString `db:"external_id"`
	Channel           string         `db:"channel"`
	DoNotContact      bool           `db:"do_not_contact"`
	Notes             string         `db:"notes"`
	Context           string         `db:"context"`
	Memories          string         `db:"memories"`
	LearnedContext    string         `db:"learned_context"`
	Tags              string         `db:"tags"`
	Country           string         `db:"country"`
	Region            string         `db:"region"`
	City              string         `db:"city"`
	Custom            string         `db:"custom"`
	Conflicts         string         `db:"conflicts"`
	Sources           string         `db:"sources"`
	LeadStatus        string         `db:"lead_status"`
	LeadScore         string         `db:"lead_score"`
	LeadRefreshAt     int64          `db:"lead_refresh_at"`
	ConversationCount int            `db:"conversation_count"`
	CreatedAt         int64          `db:"created_at"`
	UpdatedAt         int64          `db:"updated_at"`
	LastSeenAt        sql.NullInt64  `db:"last_seen_at"`
	LastInboundAt     sql.NullInt64  `db:"last_inbound_at"`
	LastOutboundAt    sql.NullInt64  `db:"last_outbound_at"`
	Version           int64          `db:"version"`
}

func (r *contactRow) toContact() (*contacts.Contact, error) {
	c := &contacts.Contact{
		ID: r.ID, ProjectID: r.ProjectID, FirstName: r.FirstName, LastName: r.LastName,
		Email: r.Email.String, Phone: r.Phone.String, Company: r.Company, ExternalID: r.ExternalID.String,
		Channel: contacts.Channel(r.Channel), DoNotContact: r.DoNotContact, Notes: r.Notes, Context: r.Context,
		Country: r.Country, Region: r.Region, City: r.City,
		LeadStatus: contacts.LeadStatus(r.LeadStatus), LeadScore: contacts.LeadScore(r.LeadScore),
		LeadRefreshAt: fromMS(sql.NullInt64{Int64: r.LeadRefreshAt, Valid: true}), ConversationCount: r.ConversationCount,
		CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}), UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true}),
		LastSeenAt: fromMS(r.LastSeenAt), LastInboundAt: fromMS(r.LastInboundAt), LastOutboundAt: fromMS(r.LastOutboundAt),
		Identities: []contacts.Identity{}, Version: r.Version,
	}
	for _, f := range []struct {
		src string
		dst any
	}{
		{r.Memories, &c.Memories}, {r.LearnedContext, &c.LearnedContext}, {r.Tags, &c.Tags},
		{r.Custom, &c.Custom}, {r.Conflicts, &c.Conflicts}, {r.Sources, &c.Sources},
	} {
		if f.src == "" {
			continue
		}
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, fmt.Errorf("decode contact %d: %w", r.ID, err)
		}
	}
	return c, nil
}

func jsonText(v any, empty string) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return empty
	}
	return string(b)
}

// PostgreSQL keeps the search text in a column of the row (trigram-indexed),
// so it is written with the row rather than by a second statement.
var (
	insertContactSearchSQL       = withSearchColumn(insertContactSQL)
	insertContactWithIDSearchSQL = withSearchColumn(insertContactWithIDSQL)
	updateContactSearchSQL       = strings.Replace(updateContactSQL, "last_outbound_at = ? WHERE", "last_outbound_at = ?, search_text = ? WHERE", 1)
)

func withSearchColumn(insert string) string {
	insert = strings.Replace(insert, "last_outbound_at", "last_outbound_at, search_text", 1)
	return strings.Replace(insert, "VALUES (?", "VALUES (?, ?", 1)
}

// rowSQL picks the insert or update statement for the dialect and its
// arguments (id last where the statement takes one).
func (db *DB) rowSQL(c *contacts.Contact, kind string) (string, []any) {
	args := contactArgs(c)
	search := db.dialect.searchColumn()
	if search {
		args = append(args, c.SearchText())
	}
	switch {
	case kind == "insert" && search:
		return insertContactSearchSQL, args
	case kind == "insert":
		return insertContactSQL, args
	case kind == "insert-id" && search:
		return insertContactWithIDSearchSQL, append(args, c.ID)
	case kind == "insert-id":
		return insertContactWithIDSQL, append(args, c.ID)
	case search:
		return updateContactSearchSQL, append(args, c.ID)
	default:
		return updateContactSQL, append(args, c.ID)
	}
}

// contactArgs lists the values of insertContactSQL / updateContactSQL in order.
func contactArgs(c *contacts.Contact) []any {
	return []any{c.ProjectID, c.FirstName, c.LastName, strings.ToLower(c.Name()), nullStr(c.Email), nullStr(emailKey(c.Email)),
		nullStr(c.Phone), c.Company, nullStr(c.ExternalID), string(c.Channel), c.DoNotContact, c.Notes,
		c.Context, jsonText(c.Memories, "[]"), jsonText(c.LearnedContext, "{}"), jsonText(c.Tags, "[]"),
		c.Country, c.Region, c.City, jsonText(c.Custom, "{}"), jsonText(c.Conflicts, "[]"),
		jsonText(c.Sources, "{}"), string(c.LeadStatus), string(c.LeadScore), msNotNull(c.LeadRefreshAt),
		c.ConversationCount, msNotNull(c.CreatedAt), msNotNull(c.UpdatedAt), ms(c.LastSeenAt),
		ms(c.LastInboundAt), ms(c.LastOutboundAt)}
}

type identityRow struct {
	ID         int64  `db:"id"`
	ContactID  int64  `db:"contact_id"`
	Channel    string `db:"channel"`
	ExternalID string `db:"external_id"`
	Handle     string `db:"handle"`
	CreatedAt  int64  `db:"created_at"`
}

func (r identityRow) toIdentity() contacts.Identity {
	return contacts.Identity{ID: r.ID, ContactID: r.ContactID, Channel: contacts.Channel(r.Channel),
		ExternalID: r.ExternalID, Handle: r.Handle, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true})}
}

// CreateContact inserts a contact with its identities, tags and search text.
func (db *DB) CreateContact(ctx context.Context, c *contacts.Contact, audit contacts.AuditEntry) error {
	err := db.inBatch(ctx, func(tx *sqlx.Tx) error {
		if err := db.insertContact(ctx, tx, c, false); err != nil {
			return err
		}
		audit.ContactID = c.ID
		return db.appendAudit(ctx, tx, audit)
	})
	if err != nil {
		c.ID = 0
	}
	return db.duplicate(ctx, c, err)
}

// insertContact writes a new row (under c.ID when withID) and its side tables.
func (db *DB) insertContact(ctx context.Context, tx *sqlx.Tx, c *contacts.Contact, withID bool) error {
	if withID {
		query, args := db.rowSQL(c, "insert-id")
		if _, err := tx.ExecContext(ctx, db.q(query), args...); err != nil {
			return err
		}
	} else {
		query, args := db.rowSQL(c, "insert")
		var err error
		if c.ID, err = db.insertID(ctx, tx, query, args...); err != nil {
			return err
		}
	}
	return db.writeSideTables(ctx, tx, c, true)
}

// saveContact writes back an existing row and its side tables.
func (db *DB) saveContact(ctx context.Context, tx *sqlx.Tx, c *contacts.Contact) error {
	query, args := db.rowSQL(c, "update")
	res, err := tx.ExecContext(ctx, db.q(query), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return contacts.ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, db.q(deleteIdentitiesSQL), c.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.q(deleteTagsSQL), c.ID); err != nil {
		return err
	}
	return db.writeSideTables(ctx, tx, c, false)
}

func (db *DB) writeSideTables(ctx context.Context, tx *sqlx.Tx, c *contacts.Contact, isNew bool) error {
	if !isNew {
		if err := db.dialect.unindexSearch(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	sw := newSideWriter(ctx, db, tx)
	defer sw.close()
	return sw.write(c)
}

// GetContact loads one contact with its identities; a contact in its
// erasure grace period is not found.
func (db *DB) GetContact(ctx context.Context, projectID, id int64) (*contacts.Contact, error) {
	return db.getContact(db.dialect.stmtContext(ctx), db.r, projectID, id, notErasing)
}

func (db *DB) getContact(ctx context.Context, q sqlx.QueryerContext, projectID, id int64, suffix string) (*contacts.Contact, error) {
	var row contactRow
	var ids []identityRow
	if q == db.r {
		// The hottest read: statements prepared once, not per request.
		query := getContactSQL
		if suffix == notErasing {
			query = getVisibleContactSQL // a constant: no concatenation per read
		}
		get, err := db.stmt(ctx, query)
		if err != nil {
			return nil, err
		}
		idents, err := db.stmt(ctx, identitiesOfSQL)
		if err != nil {
			return nil, err
		}
		if err := get.GetContext(ctx, &row, projectID, id); err != nil {
			return nil, db.mapErr(err)
		}
		if err := idents.SelectContext(ctx, &ids, id); err != nil {
			return nil, err
		}
		return contactWith(&row, ids)
	}
	if tx, ok := q.(*sqlx.Tx); ok {
		if err := db.txGet(ctx, tx, &row, getContactSQL+suffix, projectID, id); err != nil {
			return nil, db.mapErr(err)
		}
		st, err := db.prep(ctx, tx, identitiesOfSQL)
		if err != nil {
			return nil, err
		}
		if err := st.SelectContext(ctx, &ids, id); err != nil {
			return nil, err
		}
		return contactWith(&row, ids)
	}
	if err := sqlx.GetContext(ctx, q, &row, db.q(getContactSQL+suffix), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	if err := sqlx.SelectContext(ctx, q, &ids, db.q(identitiesOfSQL), id); err != nil {
		return nil, err
	}
	return contactWith(&row, ids)
}

func contactWith(row *contactRow, ids []identityRow) (*contacts.Contact, error) {
	c, err := row.toContact()
	if err != nil {
		return nil, err
	}
	for _, r := range ids {
		c.Identities = append(c.Identities, r.toIdentity())
	}
	return c, nil
}

// UpdateContact is the read-modify-write of one contact.
func (db *DB) UpdateContact(ctx context.Context, projectID, id int64, actor contacts.Actor, action string, at time.Time, mutate func(*contacts.Contact) error) (*contacts.Contact, error) {
	var out *contacts.Contact
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := db.getContact(ctx, tx, projectID, id, notErasing+db.dialect.forUpdate())
		if err != nil {
			return err
		}
		before := c.Clone()
		if err := mutate(c); err != nil {
			return err
		}
		out = c
		if err := db.saveContact(ctx, tx, c); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, contacts.NewAudit(projectID, actor, action, id, before, c, at))
	})
	if err != nil {
		return nil, db.duplicate(ctx, out, err)
	}
	return out, nil
}

// DeleteContact removes a contact; its identities, tags, notes and pending
// erasure go with it (foreign keys cascade). Conversations and messages are
// deleted, or with a redact func unlinked and their texts redacted. Its
// earlier audit snapshots and merge records are scrubbed (scrubErased)
// before the erasure's own entry is written.
func (db *DB) DeleteContact(ctx context.Context, projectID, id int64, redact func(string) string, audit contacts.AuditEntry) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM contacts WHERE project_id = ? AND id = ?`), projectID, id); err != nil {
			return err
		}
		if n == 0 {
			return contacts.ErrNotFound
		}
		if redact == nil {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?)`), id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM conversations WHERE contact_id = ?`), id); err != nil {
				return err
			}
		} else {
			if err := db.redactMessages(ctx, tx, id, redact); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET contact_id = NULL WHERE contact_id = ?`), id); err != nil {
				return err
			}
		}
		if err := db.scrubErased(ctx, tx, projectID, id); err != nil {
			return err
		}
		if err := db.deleteContactRow(ctx, tx, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, audit)
	})
}

// redactMessages redacts the texts of the contact's conversations: each
// message, the first version of an edited one, and the conversation's
// summary; the bot's collection state (values it asked for) is dropped.
func (db *DB) redactMessages(ctx context.Context, tx *sqlx.Tx, contactID int64, redact func(string) string) error {
	var msgs []struct {
		ID       int64          `db:"id"`
		Text     string         `db:"text"`
		Original sql.NullString `db:"original_text"`
	}
	if err := tx.SelectContext(ctx, &msgs, db.q(`SELECT id, text, original_text FROM messages WHERE conversation_id IN
		(SELECT id FROM conversations WHERE contact_id = ?)`), contactID); err != nil {
		return err
	}
	for _, m := range msgs {
		t, o := redact(m.Text), m.Original
		if o.Valid {
			o.String = redact(o.String)
		}
		if t != m.Text || o != m.Original {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE messages SET text = ?, original_text = ? WHERE id = ?`), t, o, m.ID); err != nil {
				return err
			}
		}
	}
	var convs []struct {
		ID      int64  `db:"id"`
		Summary string `db:"summary"`
	}
	if err := tx.SelectContext(ctx, &convs, db.q(`SELECT id, summary FROM conversations WHERE contact_id = ?`), contactID); err != nil {
		return err
	}
	for _, c := range convs {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE conversations SET summary = ?, bot_state = '{}' WHERE id = ?`), redact(c.Summary), c.ID); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) deleteContactRow(ctx context.Context, tx *sqlx.Tx, id int64) error {
	if err := db.dialect.unindexSearch(ctx, tx, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, db.q(`DELETE FROM contacts WHERE id = ?`), id)
	return err
}

// duplicate turns a unique violation while writing c into a
// *contacts.DuplicateError naming the field and the contact already holding
// the value.
func (db *DB) duplicate(ctx context.Context, c *contacts.Contact, err error) error {
	if err == nil || c == nil {
		return err
	}
	what, ok := db.dialect.uniqueViolation(err)
	if !ok {
		return err
	}
	field := ""
	switch {
	case strings.Contains(what, "email"):
		field = "email"
	case strings.Contains(what, "phone"):
		field = "phone"
	case strings.Contains(what, "external_id") && strings.Contains(what, "contacts"):
		field = "external_id"
	case strings.Contains(what, "identities"):
		field = "identity"
	default:
		// Not a contact field: say so without leaking the SQL constraint.
		return fmt.Errorf("a unique value already exists: %w", contacts.ErrConflict)
	}
	de := &contacts.DuplicateError{Field: field}
	var q string
	var args []any
	switch de.Field {
	case "email":
		q, args, de.Value = `SELECT id FROM contacts WHERE project_id = ? AND email = ?`, []any{c.ProjectID, c.Email}, c.Email
	case "phone":
		q, args, de.Value = `SELECT id FROM contacts WHERE project_id = ? AND phone = ?`, []any{c.ProjectID, c.Phone}, c.Phone
	case "external_id":
		q, args, de.Value = `SELECT id FROM contacts WHERE project_id = ? AND external_id = ?`, []any{c.ProjectID, c.ExternalID}, c.ExternalID
	case "identity":
		for _, id := range c.Identities {
			var owner int64
			if e := db.r.GetContext(ctx, &owner, db.q(`SELECT contact_id FROM identities WHERE project_id = ? AND channel = ? AND external_id = ?`), c.ProjectID, string(id.Channel), id.ExternalID); e == nil && owner != c.ID {
				de.Field, de.Value, de.ExistingID = identityField(id.Channel), id.ExternalID, owner
				return de
			}
		}
		return de
	}
	_ = db.r.GetContext(ctx, &de.ExistingID, db.q(q), args...)
	return de
}

func identityField(ch contacts.Channel) string {
	for f, c := range contacts.SocialChannels {
		if c == ch {
			return f
		}
	}
	return "identities." + string(ch)
}

func emailKey(email string) string {
	if email == "" {
		return ""
	}
	return contacts.EmailKey(email)
}
