package contacts

import (
	"context"
	"errors"
	"testing"
)

// TestAgentsCannotMergeOrExport checks the role rule comes before any
// store access: the service here has no store at all, so reaching it would
// panic.
func TestAgentsCannotMergeOrExport(t *testing.T) {
	svc := NewService(Config{})
	t.Cleanup(svc.Close)
	ctx := context.Background()
	agent := Actor{Kind: ActorUser, ID: 7, Name: "agent@example.com", Role: RoleAgent}
	req := MergeRequest{PrimaryID: 1, ContactIDs: []int64{2}}
	calls := map[string]func() error{
		"export": func() error { _, err := svc.ExportContact(ctx, agent, 1, 1); return err },
		"merge":  func() error { _, _, err := svc.Merge(ctx, agent, 1, req); return err },
		"preview": func() error {
			_, err := svc.PreviewMerge(ctx, agent, 1, req)
			return err
		},
		"undo":  func() error { _, err := svc.UndoMerge(ctx, agent, 1, 1); return err },
		"erase": func() error { _, err := svc.EraseContact(ctx, agent, 1, 1, nil); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s as an agent: %v, want ErrForbidden", name, err)
		}
	}
}
