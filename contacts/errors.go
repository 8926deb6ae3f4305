package contacts

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors of the contact engine. Callers test them with errors.Is;
// the HTTP layer maps them to status codes in one table.
var (
	// ErrNotFound: the entity does not exist, or belongs to another project
	// (callers must not be able to tell the two apart).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write would break a uniqueness or state rule.
	ErrConflict = errors.New("conflict")
	// ErrUnauthorized: missing or wrong credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the actor is known but its role does not allow the action.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: a request that is malformed as a whole (not a field problem).
	ErrInvalid = errors.New("invalid request")
)

// ValidationError lists per-field problems. It answers 422 over HTTP.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return "validation failed: " + strings.Join(parts, "; ")
}

// Add records a problem for field; the first problem of a field wins.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Err returns e when it holds problems, else nil, so callers can write
// `return v.Err()` after collecting.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid builds a one-field validation error.
func Invalid(field, msg string) error {
	v := &ValidationError{}
	v.Add(field, msg)
	return v
}

// DuplicateError is the ErrConflict raised when a unique value (email, phone,
// external id or identity) already belongs to another contact.
type DuplicateError struct {
	Field      string
	Value      string
	ExistingID int64
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s %q already belongs to contact %d", e.Field, e.Value, e.ExistingID)
}

func (e *DuplicateError) Unwrap() error { return ErrConflict }
