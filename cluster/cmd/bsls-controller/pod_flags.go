package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/guestbackup/guestbackup/cluster/internal/serverpod"
)

// defaultTerminationLog is where Kubernetes reads a container's termination message; it is
// used by default only when it exists, so the commands also run outside a pod.
const defaultTerminationLog = "/dev/termination-log"

// podFlags are the flags server-init and server-sync share (docs/server-pod.md).
type podFlags struct {
	set            *flag.FlagSet
	options        serverpod.Options
	terminationLog string
}

func newPodFlags(name, usage string, stderr io.Writer) *podFlags {
	f := &podFlags{set: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.set.SetOutput(stderr)
	f.set.Usage = func() {
		fmt.Fprintf(stderr, "usage: bsls-controller %s [flags] -- <kopia S3 flags>\n\n%s\n\n", name, usage)
		f.set.PrintDefaults()
	}
	o := &f.options
	f.set.StringVar(&o.ConfigFile, "config-file", "", "kopia repository.config of this connection")
	f.set.StringVar(&o.CacheDir, "cache-dir", "", "kopia cache directory of this connection")
	f.set.StringVar(&o.Identity, "identity", "", "fixed user@host of the connection and maintenance owner")
	f.set.StringVar(&o.UsersFile, "users-file", "", "the user list: user@host:<kopia password hash> lines")
	f.set.BoolVar(&o.Prune, "prune", true, "delete users the list does not name")
	f.set.StringVar(&o.Kopia.Binary, "kopia", "kopia", "kopia executable")
	f.set.StringVar(&f.terminationLog, "termination-log", defaultTerminationLog,
		"file for the failure message (the default is used only when it exists)")
	return f
}

// parse parses args: flags, then `--` and kopia's S3 flags. When the command must not go on
// (--help, or a usage error it has printed) it returns done and the exit code.
func (f *podFlags) parse(args []string) (code int, done bool) {
	own, storage := args, []string(nil)
	if i := slices.Index(args, "--"); i >= 0 {
		own, storage = args[:i], args[i+1:]
	}
	if err := f.set.Parse(own); errors.Is(err, flag.ErrHelp) {
		return 0, true
	} else if err != nil {
		return 2, true
	}
	if f.set.NArg() > 0 {
		fmt.Fprintf(f.set.Output(), "%s: unexpected argument %q before --\n", f.set.Name(), f.set.Arg(0))
		return 2, true
	}
	f.options.StorageArgs = storage
	explicit := false
	f.set.Visit(func(fl *flag.Flag) { explicit = explicit || fl.Name == "termination-log" })
	if _, err := os.Stat(f.terminationLog); !explicit && errors.Is(err, os.ErrNotExist) {
		f.terminationLog = ""
	}
	return 0, false
}

func (f *podFlags) usageError(err error) int {
	fmt.Fprintf(f.set.Output(), "%s: %v\n", f.set.Name(), err)
	return 2
}

// runUntilSignal runs the command with a context that SIGTERM or SIGINT cancels, and maps its
// result to an exit code: 0, or 1 after reporting the failure as `<Reason>: <message>` on
// stderr and in the termination log.
func (f *podFlags) runUntilSignal(stderr io.Writer, run func(context.Context) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		serverpod.ReportFailure(stderr, f.terminationLog, err)
		return 1
	}
	return 0
}
