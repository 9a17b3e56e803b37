package main

import (
	"context"
	"io"

	"github.com/guestbackup/guestbackup/cluster/internal/serverpod"
)

func init() {
	register("server-sync", subcommand{
		summary: "server pod sidecar: re-sync users when the user list changes, refresh the server",
		run:     runServerSync,
	})
}

// runServerSync runs until SIGTERM or SIGINT and then exits 0; 2 on bad flags. Failed rounds
// are logged and retried, not fatal.
func runServerSync(args []string, _ io.Reader, _, stderr io.Writer) int {
	flags := newPodFlags("server-sync",
		"Connects its own configuration to the repository, then every --interval re-reads the user\n"+
			"list; when it changed, syncs the users and runs `kopia server refresh` against\n"+
			"--server-address, pinning --tls-cert-file. KOPIA_PASSWORD, AWS_* and the control\n"+
			"credentials KOPIA_SERVER_USERNAME/KOPIA_SERVER_PASSWORD come from the environment.",
		stderr)
	opts := serverpod.SyncOptions{}
	flags.set.StringVar(&opts.ServerAddress, "server-address", "", "URL of the local kopia server, e.g. https://127.0.0.1:51515")
	flags.set.StringVar(&opts.TLSCertFile, "tls-cert-file", "", "the server's certificate (its SHA-256 is pinned)")
	flags.set.DurationVar(&opts.Interval, "interval", serverpod.DefaultInterval, "how often to check the user list")
	if code, done := flags.parse(args); done {
		return code
	}
	opts.Options = flags.options
	opts.Options.Log = stderr
	opts.TerminationLog = flags.terminationLog
	if err := opts.Validate(); err != nil {
		return flags.usageError(err)
	}
	return flags.runUntilSignal(stderr, func(ctx context.Context) error {
		return serverpod.Sync(ctx, &opts)
	})
}
