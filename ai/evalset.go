package ai

import _ "embed"

// EvalSet is the labelled conversations extractors are scored on (see
// ai/eval), built into the binary so `switchboard eval-ai` needs no
// checkout.
//
//go:embed testdata/conversations.json
var EvalSet []byte
