package bot

import (
	"maps"

	"github.com/switchboard-oss/switchboard/ai"
)

// cloneState copies st with its maps allocated, so Decide can write to it
// without touching the caller's state.
func cloneState(st ai.BotState) ai.BotState {
	out := ai.BotState{Pending: st.Pending, Waited: st.Waited, Asked: maps.Clone(st.Asked), Declined: maps.Clone(st.Declined)}
	if out.Asked == nil {
		out.Asked = map[string]int{}
	}
	if out.Declined == nil {
		out.Declined = map[string]bool{}
	}
	return out
}

// settle closes the pending question.
func settle(st *ai.BotState) {
	st.Pending, st.Waited = "", false
}

func waited(st ai.BotState) bool { return st.Waited }

func wait(st *ai.BotState) { st.Waited = true }
