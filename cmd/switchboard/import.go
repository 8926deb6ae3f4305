package main

import (
	"context"
	"errors"
)

// importCmd imports a CSV file into a project (issue #5).
func (c *cli) importCmd(ctx context.Context, args []string) error {
	return errors.New("import: not built yet")
}
