package main

import (
	"context"
	"fmt"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/eval"
	"github.com/switchboard-oss/switchboard/ai/heuristic"
)

// evalAI scores whichever extractor the --llm-* flags configure (the
// heuristic without them) on the labelled set, so a real model can be
// compared with the embedded default on the same conversations.
func (c *cli) evalAI(ctx context.Context, args []string) error {
	fs, common := newFlags("eval-ai", c.stderr)
	setPath := fs.String("set", "", "a labelled set in the format of ai/testdata/conversations.json; empty: the built-in set")
	llm := addLLMFlags(fs, common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := common.envErr(); err != nil {
		return err
	}
	log, err := common.logger(c.stderr)
	if err != nil {
		return err
	}
	var set []eval.Conversation
	if *setPath != "" {
		set, err = eval.Load(*setPath)
	} else {
		set, err = eval.Parse(ai.EvalSet, "the built-in set")
	}
	if err != nil {
		return err
	}
	extractor, _, err := llm.build(nil, log)
	if err != nil {
		return err
	}
	factory := eval.Same(extractor)
	if extractor == nil {
		factory = func(region string) ai.Extractor { return heuristic.Extractor{Region: region} }
	}
	fmt.Fprintf(c.stdout, "extractor: %s\n", llm.describe())
	report := eval.Run(ctx, factory, set)
	return report.Write(c.stdout)
}
