package serverpod

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Kopia runs the kopia binary. Secrets never go to its argv: kopia reads KOPIA_PASSWORD and
// the AWS_* credentials from the environment. The one sensitive value that must be an argument
// is a user's password hash (`server user add|set --user-password-hash`): kopia v0.23.1 has no
// environment variable for it and disables kingpin's @file expansion (cli/app.go). It is a
// salted scrypt hash, not the password, and it is never logged.
type Kopia struct {
	// Binary is the kopia executable; empty means "kopia" on PATH.
	Binary string
	// Env is the child's whole environment; nil means this process's (the pod sets HOME,
	// KOPIA_LOG_DIR and the credentials there).
	Env []string
}

// CommandError is a failed kopia run. Its message names the kopia subcommand (never the
// arguments) and kopia's last error line.
type CommandError struct {
	// Command is the subcommand, e.g. "repository connect s3".
	Command string
	// Stderr is everything kopia wrote to stderr.
	Stderr string
	Err    error
}

func (e *CommandError) Error() string {
	return fmt.Sprintf("kopia %s: %s", e.Command, lastLine(e.Stderr, e.Err))
}

func (e *CommandError) Unwrap() error { return e.Err }

// Run runs kopia with args and returns its stdout, or a *CommandError.
func (k Kopia) Run(ctx context.Context, args ...string) ([]byte, error) {
	bin := k.Binary
	if bin == "" {
		bin = "kopia"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = k.Env
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &CommandError{Command: subcommand(args), Stderr: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}

// subcommand is the leading words of args before the first flag.
func subcommand(args []string) string {
	var words []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			break
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// lastLine is the last non-empty line of kopia's stderr, where it prints the error that made it
// exit, or err when stderr is empty.
func lastLine(stderr string, err error) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return last
	}
	return err.Error()
}
