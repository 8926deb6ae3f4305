package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/switchboard-oss/switchboard/contacts"
)

// FindDuplicates groups contacts that look like one person: the same email
// key (case, +tags, Gmail dots folded), a phone that is another contact's
// WhatsApp number, or the same name at the same company.
func (db *DB) FindDuplicates(ctx context.Context, projectID int64, limit int) ([]contacts.DuplicateGroup, error) {
	type pair struct {
		Key string `db:"k"`
		ID  int64  `db:"id"`
	}
	queries := []struct {
		reason, sql string
		args        []any
	}{
		{"email", `SELECT c.email_key AS k, c.id FROM contacts c JOIN (SELECT email_key FROM contacts
			WHERE project_id = ? AND email_key IS NOT NULL GROUP BY email_key HAVING COUNT(*) > 1 LIMIT ?) d
			ON d.email_key = c.email_key WHERE c.project_id = ? ORDER BY c.email_key, c.id`, []any{projectID, limit, projectID}},
		{"phone", `SELECT c.phone AS k, c.id FROM contacts c JOIN identities i ON i.project_id = c.project_id
			AND i.channel = 'whatsapp' AND c.phone = '+' || i.external_id AND i.contact_id <> c.id
			WHERE c.project_id = ?
			UNION SELECT c.phone AS k, i.contact_id AS id FROM contacts c JOIN identities i ON i.project_id = c.project_id
			AND i.channel = 'whatsapp' AND c.phone = '+' || i.external_id AND i.contact_id <> c.id
			WHERE c.project_id = ? ORDER BY 1, 2`, []any{projectID, projectID}},
		{"claimed", `SELECT d.field || ': ' || d.value AS k, d.other_id AS id FROM duplicate_claims d
			WHERE d.project_id = ?
			UNION SELECT d.field || ': ' || d.value AS k, d.contact_id AS id FROM duplicate_claims d WHERE d.project_id = ?
			ORDER BY 1, 2`, []any{projectID, projectID}},
		{"name_company", `SELECT LOWER(c.first_name) || ' ' || LOWER(c.last_name) || ' @ ' || LOWER(c.company) AS k, c.id
			FROM contacts c JOIN (SELECT LOWER(first_name) AS f, LOWER(last_name) AS l, LOWER(company) AS co FROM contacts
			WHERE project_id = ? AND company <> '' AND (first_name <> '' OR last_name <> '')
			GROUP BY LOWER(first_name), LOWER(last_name), LOWER(company) HAVING COUNT(*) > 1 LIMIT ?) d
			ON LOWER(c.first_name) = d.f AND LOWER(c.last_name) = d.l AND LOWER(c.company) = d.co
			WHERE c.project_id = ? ORDER BY 1, c.id`, []any{projectID, limit, projectID}},
	}
	var groups []contacts.DuplicateGroup
	for _, dq := range queries {
		var pairs []pair
		if err := db.r.SelectContext(ctx, &pairs, db.q(dq.sql), dq.args...); err != nil {
			return nil, fmt.Errorf("find %s duplicates: %w", dq.reason, err)
		}
		byKey := map[string][]int64{}
		var keys []string
		for _, p := range pairs {
			if _, ok := byKey[p.Key]; !ok {
				keys = append(keys, p.Key)
			}
			byKey[p.Key] = append(byKey[p.Key], p.ID)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ids := byKey[k]
			if len(ids) < 2 {
				continue
			}
			cs, err := db.contactsByID(ctx, projectID, ids)
			if err != nil {
				return nil, err
			}
			if len(cs) < 2 {
				continue // the others are in their erasure grace period
			}
			groups = append(groups, contacts.DuplicateGroup{Reason: dq.reason, Value: k, Contacts: cs})
			if len(groups) >= limit {
				return groups, nil
			}
		}
	}
	return groups, nil
}

// contactsByID loads the listed contacts of the project that are not in
// their erasure grace period.
func (db *DB) contactsByID(ctx context.Context, projectID int64, ids []int64) ([]*contacts.Contact, error) {
	args := []any{projectID, projectID, projectID}
	for _, id := range ids {
		args = append(args, id)
	}
	return db.selectContacts(ctx, `SELECT `+contactColumns+` FROM contacts c WHERE c.project_id = ? AND `+notErasingIn+` AND c.id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) ORDER BY c.id`, args...)
}
