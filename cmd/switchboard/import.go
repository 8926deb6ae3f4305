package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

const importUsage = `usage: switchboard import FILE --project NAME [--map column=field ...]
       [--on-duplicate skip|update|create] [--dry-run] [--custom-unmapped] [--errors FILE]
       switchboard import --resume ID --project NAME [--force]`

// cliActor is who the command line acts as in the audit log.
var cliActor = contacts.Actor{Kind: contacts.ActorSystem, Name: "cli", Role: contacts.RoleOwner}

// mapFlags collects --map column=field, once per column.
type mapFlags map[string]string

func (m mapFlags) String() string { return "" }

func (m mapFlags) Set(v string) error {
	col, field, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(col) == "" {
		return fmt.Errorf("%q: want column=field", v)
	}
	m[strings.TrimSpace(col)] = strings.TrimSpace(field)
	return nil
}

// importCmd imports a CSV file into a project (issue #5).
func (c *cli) importCmd(ctx context.Context, args []string) error {
	fs, common := newFlags("import", c.stderr)
	project := fs.String("project", "", "project name (required)")
	onDup := fs.String("on-duplicate", contacts.OnDuplicateSkip,
		"a row matching a contact (email, phone, external id, channel id; or name and company): skip, update (fill in its non-empty values) or create")
	dry := fs.Bool("dry-run", false, "read and check everything, report what would happen, write no contact")
	custom := fs.Bool("custom-unmapped", false, "keep columns that match no field as custom attributes")
	errorsTo := fs.String("errors", "", "write the report of failed rows (CSV) to this file")
	resume := fs.Int64("resume", 0, "resume a failed or cancelled import by its id, from its last committed row")
	force := fs.Bool("force", false, "with --resume: also resume an import still marked running, when no process runs it any more (after a crash)")
	maps := mapFlags{}
	fs.Var(maps, "map", "column=field: read the column into the field (first_name, email, custom.<key>, ignore...); repeatable")
	fs.Usage = func() { fmt.Fprintln(c.stderr, importUsage); fs.PrintDefaults() }
	if err := fs.Parse(importArgs(args)); err != nil {
		return err
	}
	if (*resume == 0) != (fs.NArg() == 1) || fs.NArg() > 1 {
		fmt.Fprintln(c.stderr, importUsage)
		return errors.New("name one FILE to import, or --resume ID")
	}
	_, db, svc, err := common.open(ctx, c.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	p, err := c.needProject(ctx, svc, *project)
	if err != nil {
		return err
	}
	progress := c.importProgress()
	var imp *contacts.Import
	if *resume != 0 {
		imp, err = svc.RunResumedImport(ctx, cliActor, p.ID, *resume, *force, progress)
	} else {
		path, aerr := filepath.Abs(fs.Arg(0))
		if aerr != nil {
			return aerr
		}
		opts := contacts.ImportOptions{OnDuplicate: *onDup, CustomUnmapped: *custom, DryRun: *dry}
		if len(maps) > 0 {
			opts.Map = maps
		}
		imp, err = svc.RunImport(ctx, cliActor, p.ID, contacts.ImportFile{Name: filepath.Base(path), Path: path}, opts, progress)
	}
	if err != nil {
		var ve *contacts.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("import: %s", strings.TrimPrefix(ve.Error(), "validation failed: "))
		}
		return err
	}
	c.printImport(imp, p.Name)
	if err := c.importReport(ctx, svc, imp, *errorsTo); err != nil {
		return err
	}
	if imp.Status != contacts.JobDone {
		return fmt.Errorf("import %d %s: %s", imp.ID, imp.Status, imp.Error)
	}
	return nil
}

// importArgs puts flags before the file name (flag stops at the first
// positional argument), knowing which flags take no value.
func importArgs(args []string) []string {
	bools := map[string]bool{"dry-run": true, "custom-unmapped": true, "force": true, "log-json": true, "h": true, "help": true}
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && !bools[strings.TrimLeft(a, "-")] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(append(flags, "--"), pos...)
}

// importProgress prints progress to stderr at most once a second.
func (c *cli) importProgress() func(*contacts.Import) {
	last := time.Now()
	return func(imp *contacts.Import) {
		if time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		pct := ""
		if imp.Size > 0 {
			pct = fmt.Sprintf(" (%.0f%% of the file)", 100*float64(imp.BytesRead)/float64(imp.Size))
		}
		n := imp.Counts
		fmt.Fprintf(c.stderr, "%d rows read%s: %d created, %d updated, %d unchanged, %d skipped, %d failed\n",
			n.Rows, pct, n.Created, n.Updated, n.Unchanged, n.Skipped(), n.Failed)
	}
}

func (c *cli) printImport(imp *contacts.Import, project string) {
	what := "import"
	if imp.Options.DryRun {
		what = "dry run (nothing written)"
	}
	fmt.Fprintf(c.stdout, "%s %d of %s into project %q: %s\n", what, imp.ID, imp.FileName, project, imp.Status)
	if imp.Error != "" {
		fmt.Fprintf(c.stdout, "  %s\n", imp.Error)
	}
	n := imp.Counts
	for _, l := range []struct {
		label string
		n     int
	}{
		{"rows read", n.Rows}, {"created", n.Created}, {"updated", n.Updated}, {"unchanged", n.Unchanged},
		{"skipped, duplicate of an earlier row", n.SkippedInFile}, {"skipped, duplicate of an existing contact", n.SkippedExisting},
		{"failed", n.Failed},
	} {
		fmt.Fprintf(c.stdout, "  %-42s %9d\n", l.label, l.n)
	}
}

// importReport writes the failed rows to a file, or shows the first ones.
func (c *cli) importReport(ctx context.Context, svc *contacts.Service, imp *contacts.Import, path string) error {
	if imp.ErrorRows == 0 {
		return nil
	}
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("error report: %w", err)
		}
		if err := svc.WriteImportErrors(ctx, imp.ProjectID, imp.ID, f); err != nil {
			f.Close()
			return fmt.Errorf("error report: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("error report: %w", err)
		}
		fmt.Fprintf(c.stdout, "error report (%d problems): %s\n", imp.ErrorRows, path)
		return nil
	}
	const show = 20
	shown := 0
	errStop := errors.New("enough")
	err := svc.ImportErrors(ctx, imp.ProjectID, imp.ID, func(page []contacts.ImportRowError) error {
		for _, e := range page {
			if shown == show {
				return errStop
			}
			where := "row " + strconv.Itoa(e.Row)
			if e.Column != "" {
				where += ", column " + strconv.Quote(e.Column)
			}
			fmt.Fprintf(c.stderr, "  %s: %s\n", where, e.Reason)
			shown++
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	if imp.ErrorRows > shown {
		fmt.Fprintf(c.stderr, "  ... %d more; --errors FILE writes them all\n", imp.ErrorRows-shown)
	}
	return nil
}
