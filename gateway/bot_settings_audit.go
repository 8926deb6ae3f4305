package gateway

import (
	"context"
	"fmt"
	"reflect"
	"unicode/utf8"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/contacts"
)

// auditTextLimit bounds a long setting (the knowledge text may be 100,000
// characters) in the audit log: enough to see what changed, not a copy per
// save.
const auditTextLimit = 2000

// UpdateBotSettings validates and stores a project's bot settings as actor
// (an admin or owner), and audits the fields that changed.
func (r *Router) UpdateBotSettings(ctx context.Context, actor contacts.Actor, projectID int64, s ai.BotSettings) (ai.BotSettings, error) {
	if err := contacts.MayChangeSettings(actor); err != nil {
		return s, fmt.Errorf("agents cannot change the bot's settings: %w", contacts.ErrForbidden)
	}
	before, err := r.BotSettings(ctx, projectID)
	if err != nil {
		return s, err
	}
	saved, err := r.SetBotSettings(ctx, projectID, s)
	if err != nil {
		return saved, err
	}
	if b, a := botChanges(before, saved); len(a) > 0 {
		r.cfg.Service.AuditSettings(ctx, actor, projectID, contacts.AuditBotUpdate, b, a)
	}
	return saved, nil
}

// botChanges returns the settings' fields that differ, before and after,
// by their JSON names.
func botChanges(before, after ai.BotSettings) (map[string]any, map[string]any) {
	b, a := map[string]any{}, map[string]any{}
	bv, av := reflect.ValueOf(before), reflect.ValueOf(after)
	t := bv.Type()
	for i := 0; i < t.NumField(); i++ {
		x, y := bv.Field(i).Interface(), av.Field(i).Interface()
		if reflect.DeepEqual(x, y) || (isEmptyList(x) && isEmptyList(y)) {
			continue
		}
		name := jsonName(t.Field(i))
		b[name], a[name] = shorten(x), shorten(y)
	}
	return b, a
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			return tag[:i]
		}
	}
	if tag == "" {
		return f.Name
	}
	return tag
}

// isEmptyList: nil and empty lists are the same setting.
func isEmptyList(v any) bool {
	l, ok := v.([]string)
	return ok && len(l) == 0
}

func shorten(v any) any {
	s, ok := v.(string)
	if !ok || utf8.RuneCountInString(s) <= auditTextLimit {
		return v
	}
	r := []rune(s)
	return string(r[:auditTextLimit]) + fmt.Sprintf("… (%d characters in all)", len(r))
}
