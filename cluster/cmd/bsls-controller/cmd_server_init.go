package main

import (
	"context"
	"io"

	"github.com/guestbackup/guestbackup/cluster/internal/serverpod"
)

func init() {
	register("server-init", subcommand{
		summary: "server pod init: connect to or create the repository, enable ACLs, sync users",
		run:     runServerInit,
	})
}

// runServerInit exits 0 when the repository is ready, 1 after a failure (reported as
// `<Reason>: <message>` on the last stderr line and in the termination log), 2 on bad flags.
func runServerInit(args []string, _ io.Reader, _, stderr io.Writer) int {
	flags := newPodFlags("server-init",
		"Connects to the Kopia repository on S3 with the fixed identity (creating the repository\n"+
			"when the location is empty), makes the identity the maintenance owner, enables ACLs once\n"+
			"and syncs the users from the user list. KOPIA_PASSWORD and AWS_* come from the environment.",
		stderr)
	if code, done := flags.parse(args); done {
		return code
	}
	opts := flags.options
	opts.Log = stderr
	if err := opts.Validate(); err != nil {
		return flags.usageError(err)
	}
	return flags.runUntilSignal(stderr, func(ctx context.Context) error {
		return serverpod.Init(ctx, &opts)
	})
}
