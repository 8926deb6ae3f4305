// Command switchboard is the chat-channel gateway and contact engine: one
// binary that serves the API and admin UI and administers the database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "switchboard:", err)
		}
		os.Exit(2)
	}
}

const usage = `Usage: switchboard <command> [flags]

Commands:
  serve                               run the server (migrates the database first)
  migrate                             apply database migrations and exit
  project create NAME                 create a project; prints its id
  apikey create --project NAME        create an API key; prints the key
  apikey list [--project NAME]        list API keys
  apikey revoke ID                    revoke an API key
  user add EMAIL --project NAME --role owner|admin|agent
  user passwd EMAIL                   set a password (read from stdin)
  import FILE --project NAME [--map COL=FIELD ...] [--on-duplicate skip|update|create] [--dry-run]
                                      import contacts from a CSV file
  eval-ai [--set FILE] [--llm-*]      score the configured AI's extraction on the
                                      labelled conversations (precision, recall, F1)

Every command takes --db (env SWITCHBOARD_DATABASE_URL); run
"switchboard <command> -h" for its flags.
`

// run is main without the process: tests call it with their own arguments,
// streams and context.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	env := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return env.serve(ctx, rest)
	case "migrate":
		return env.migrate(ctx, rest)
	case "project":
		return env.project(ctx, rest)
	case "apikey":
		return env.apikey(ctx, rest)
	case "user":
		return env.user(ctx, rest)
	case "import":
		return env.importCmd(ctx, rest)
	case "eval-ai":
		return env.evalAI(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}
