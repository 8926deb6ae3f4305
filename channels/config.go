package channels

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboard-oss/switchboard/contacts"
)

// ChannelLookup finds a configured channel by id (contacts.Service.ChannelByID).
type ChannelLookup func(ctx context.Context, id int64) (*contacts.ChannelConfig, error)

// DecodeConfig decodes a channel's settings strictly into dst; an unknown
// or mistyped setting is a validation error that lists the known ones.
func DecodeConfig(raw json.RawMessage, dst any, known string) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return contacts.Invalid("config", "the settings are "+known+": "+strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// Normalize validates raw with parse and returns it in canonical form: the
// body of every ChannelKind's Normalize.
func Normalize[T any](raw json.RawMessage, parse func(json.RawMessage) (*T, error)) (json.RawMessage, error) {
	cfg, err := parse(raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(cfg)
}

// LoadConfig looks a channel up for sending and parses its settings.
func LoadConfig[T any](ctx context.Context, lookup ChannelLookup, id int64, parse func(json.RawMessage) (*T, error)) (*T, error) {
	ch, err := lookup(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("channel %d: %w", id, err)
	}
	return parse(ch.Config)
}
