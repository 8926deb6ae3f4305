package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard-oss/switchboard/contacts"
)

const webhookColumns = `id, project_id, url, description, events, active, secret, previous_secret, previous_until, created_at, updated_at`

type webhookRow struct {
	ID             int64  `db:"id"`
	ProjectID      int64  `db:"project_id"`
	URL            string `db:"url"`
	Description    string `db:"description"`
	Events         string `db:"events"`
	Active         bool   `db:"active"`
	Secret         string `db:"secret"`
	PreviousSecret string `db:"previous_secret"`
	PreviousUntil  int64  `db:"previous_until"`
	CreatedAt      int64  `db:"created_at"`
	UpdatedAt      int64  `db:"updated_at"`
}

func (r webhookRow) toEndpoint() (*contacts.WebhookEndpoint, error) {
	w := &contacts.WebhookEndpoint{ID: r.ID, ProjectID: r.ProjectID, URL: r.URL, Description: r.Description, Active: r.Active,
		Secret: r.Secret, PreviousSecret: r.PreviousSecret, CreatedAt: fromMS(sql.NullInt64{Int64: r.CreatedAt, Valid: true}),
		UpdatedAt: fromMS(sql.NullInt64{Int64: r.UpdatedAt, Valid: true})}
	if r.PreviousUntil != 0 {
		w.PreviousUntil = fromMS(sql.NullInt64{Int64: r.PreviousUntil, Valid: true})
	}
	if err := json.Unmarshal([]byte(r.Events), &w.Events); err != nil {
		return nil, fmt.Errorf("webhook %d: decode events: %w", r.ID, err)
	}
	return w, nil
}

func eventsJSON(evs []string) string {
	b, _ := json.Marshal(evs) // a []string always marshals
	return string(b)
}

// CreateWebhook stores an endpoint, within the per-project limit.
func (db *DB) CreateWebhook(ctx context.Context, w *contacts.WebhookEndpoint) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		// Locking the project serialises creations, so two at once cannot
		// both pass the count.
		var pid int64
		if err := tx.GetContext(ctx, &pid, db.q(`SELECT id FROM projects WHERE id = ?`+db.dialect.forUpdate()), w.ProjectID); err != nil {
			return db.mapErr(err)
		}
		var n int
		if err := tx.GetContext(ctx, &n, db.q(`SELECT COUNT(*) FROM webhook_endpoints WHERE project_id = ?`), w.ProjectID); err != nil {
			return err
		}
		if n >= contacts.MaxWebhooksPerProject {
			return fmt.Errorf("a project may have at most %d webhooks: %w", contacts.MaxWebhooksPerProject, contacts.ErrConflict)
		}
		var err error
		w.ID, err = db.insertID(ctx, tx, `INSERT INTO webhook_endpoints (project_id, url, description, events, active, secret,
			previous_secret, previous_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.ProjectID, w.URL, w.Description, eventsJSON(w.Events), w.Active, w.Secret, w.PreviousSecret,
			ms(w.PreviousUntil).Int64, msNotNull(w.CreatedAt), msNotNull(w.UpdatedAt))
		return err
	})
}

// ListWebhooks lists a project's endpoints in creation order.
func (db *DB) ListWebhooks(ctx context.Context, projectID int64) ([]contacts.WebhookEndpoint, error) {
	var rows []webhookRow
	if err := db.r.SelectContext(ctx, &rows, db.q(`SELECT `+webhookColumns+` FROM webhook_endpoints WHERE project_id = ? ORDER BY id`), projectID); err != nil {
		return nil, err
	}
	out := make([]contacts.WebhookEndpoint, len(rows))
	for i, r := range rows {
		w, err := r.toEndpoint()
		if err != nil {
			return nil, err
		}
		out[i] = *w
	}
	return out, nil
}

// GetWebhook loads an endpoint of the project.
func (db *DB) GetWebhook(ctx context.Context, projectID, id int64) (*contacts.WebhookEndpoint, error) {
	return db.getWebhook(ctx, db.r, projectID, id, "")
}

func (db *DB) getWebhook(ctx context.Context, q sqlx.QueryerContext, projectID, id int64, suffix string) (*contacts.WebhookEndpoint, error) {
	var r webhookRow
	if err := sqlx.GetContext(ctx, q, &r, db.q(`SELECT `+webhookColumns+` FROM webhook_endpoints WHERE project_id = ? AND id = ?`+suffix), projectID, id); err != nil {
		return nil, db.mapErr(err)
	}
	return r.toEndpoint()
}

// UpdateWebhook changes an endpoint in one transaction.
func (db *DB) UpdateWebhook(ctx context.Context, projectID, id int64, mutate func(*contacts.WebhookEndpoint) error) (*contacts.WebhookEndpoint, error) {
	var w *contacts.WebhookEndpoint
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if w, err = db.getWebhook(ctx, tx, projectID, id, db.dialect.forUpdate()); err != nil {
			return err
		}
		if err := mutate(w); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, active = ?, secret = ?,
			previous_secret = ?, previous_until = ?, updated_at = ? WHERE id = ?`),
			w.URL, w.Description, eventsJSON(w.Events), w.Active, w.Secret, w.PreviousSecret, ms(w.PreviousUntil).Int64,
			msNotNull(w.UpdatedAt), w.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// DeleteWebhook removes an endpoint; its delivery log goes with it.
func (db *DB) DeleteWebhook(ctx context.Context, projectID, id int64) error {
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM webhook_endpoints WHERE project_id = ? AND id = ?`), projectID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return contacts.ErrNotFound
		}
		return nil
	})
}

const deliveryColumns = `id, project_id, endpoint_id, event, attempt, manual, outcome, status_code, error, response, duration_ms, retry_at, at`

type deliveryRow struct {
	ID         int64         `db:"id"`
	ProjectID  int64         `db:"project_id"`
	EndpointID int64         `db:"endpoint_id"`
	Event      string        `db:"event"`
	Attempt    int           `db:"attempt"`
	Manual     bool          `db:"manual"`
	Outcome    string        `db:"outcome"`
	StatusCode int           `db:"status_code"`
	Error      string        `db:"error"`
	Response   string        `db:"response"`
	DurationMS int64         `db:"duration_ms"`
	RetryAt    sql.NullInt64 `db:"retry_at"`
	At         int64         `db:"at"`
}

func (r deliveryRow) toDelivery() (contacts.WebhookDelivery, error) {
	d := contacts.WebhookDelivery{ID: r.ID, ProjectID: r.ProjectID, EndpointID: r.EndpointID, Attempt: r.Attempt, Manual: r.Manual,
		Outcome: r.Outcome, StatusCode: r.StatusCode, Error: r.Error, Response: r.Response,
		Duration: time.Duration(r.DurationMS) * time.Millisecond, RetryAt: fromMS(r.RetryAt),
		At: fromMS(sql.NullInt64{Int64: r.At, Valid: true})}
	if err := json.Unmarshal([]byte(r.Event), &d.Event); err != nil {
		return d, fmt.Errorf("delivery %d: decode event: %w", r.ID, err)
	}
	return d, nil
}

// RecordWebhookDelivery appends an attempt to the delivery log.
func (db *DB) RecordWebhookDelivery(ctx context.Context, d *contacts.WebhookDelivery) error {
	ev, err := json.Marshal(d.Event)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		d.ID, err = db.insertID(ctx, tx, `INSERT INTO webhook_deliveries (project_id, endpoint_id, event_type, event_id, event,
			attempt, manual, outcome, status_code, error, response, duration_ms, retry_at, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ProjectID, d.EndpointID, d.Event.Type, d.Event.ID, string(ev), d.Attempt, d.Manual, d.Outcome, d.StatusCode,
			d.Error, d.Response, d.Duration.Milliseconds(), ms(d.RetryAt), msNotNull(d.At))
		return err
	})
}

// ListWebhookDeliveries pages an endpoint's log newest first by id.
func (db *DB) ListWebhookDeliveries(ctx context.Context, projectID, endpointID, beforeID int64, limit int) ([]contacts.WebhookDelivery, error) {
	query := `SELECT ` + deliveryColumns + ` FROM webhook_deliveries WHERE endpoint_id = ? AND project_id = ?`
	args := []any{endpointID, projectID}
	if beforeID > 0 {
		query += ` AND id < ?`
		args = append(args, beforeID)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	var rows []deliveryRow
	if err := db.r.SelectContext(ctx, &rows, db.q(query), args...); err != nil {
		return nil, err
	}
	out := make([]contacts.WebhookDelivery, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.toDelivery(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetWebhookDelivery loads one logged attempt of an endpoint.
func (db *DB) GetWebhookDelivery(ctx context.Context, projectID, endpointID, id int64) (*contacts.WebhookDelivery, error) {
	var r deliveryRow
	if err := db.r.GetContext(ctx, &r, db.q(`SELECT `+deliveryColumns+` FROM webhook_deliveries
		WHERE id = ? AND endpoint_id = ? AND project_id = ?`), id, endpointID, projectID); err != nil {
		return nil, db.mapErr(err)
	}
	d, err := r.toDelivery()
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// PruneWebhookDeliveries drops old log entries.
func (db *DB) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM webhook_deliveries WHERE at < ?`), msNotNull(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
