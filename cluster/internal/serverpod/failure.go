// Package serverpod implements the commands of the Kopia server pod (docs/server-pod.md):
// `bsls-controller server-init` connects to or creates the repository with the pod's fixed
// identity, makes it the maintenance owner, enables ACLs and syncs the users; `server-sync`
// re-syncs the users whenever the mounted user list changes and tells the running server to
// refresh. Both wrap the real kopia binary and run the same inside and outside a container.
package serverpod

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Reasons of a *Failure. The controller copies them unchanged into its Degraded condition.
const (
	ReasonRepositoryInitFailed = "RepositoryInitFailed"
	ReasonUserListInvalid      = "UserListInvalid"
)

// Failure is why a command of the pod failed, with a message an admin can act on. It never
// holds a secret.
type Failure struct {
	Reason string
	Err    error
}

func (f *Failure) Error() string { return f.Reason + ": " + f.Err.Error() }

func (f *Failure) Unwrap() error { return f.Err }

func fail(reason string, format string, args ...any) *Failure {
	return &Failure{Reason: reason, Err: fmt.Errorf(format, args...)}
}

// TerminationMessage is the one line `<Reason>: <message>` the commands print last on stderr
// and write to the termination log. Errors that are not a *Failure get
// ReasonRepositoryInitFailed: everything the pod does is part of bringing the repository up.
func TerminationMessage(err error) string {
	var f *Failure
	if !errors.As(err, &f) {
		f = &Failure{Reason: ReasonRepositoryInitFailed, Err: err}
	}
	return f.Reason + ": " + strings.Join(strings.Fields(f.Err.Error()), " ")
}

// ReportFailure prints the end of kopia's stderr when a kopia command failed, then
// TerminationMessage(err) as the last line of stderr, and, when terminationLog is not empty,
// writes the message there too (Kubernetes shows the file's content in the container's
// status). An error writing the file is printed before the message.
func ReportFailure(stderr io.Writer, terminationLog string, err error) {
	if tail := kopiaStderrTail(err); tail != "" {
		fmt.Fprint(stderr, tail)
	}
	msg := TerminationMessage(err)
	if werr := writeTerminationLog(terminationLog, msg); werr != nil {
		fmt.Fprintf(stderr, "writing the termination log: %v\n", werr)
	}
	fmt.Fprintln(stderr, msg)
}

// stderrTailLines is how much of a failed kopia command's stderr is shown.
const stderrTailLines = 20

// kopiaStderrTail returns the last lines of the stderr of the kopia command err comes from,
// each indented under a header line, or "" when err is not from kopia.
func kopiaStderrTail(err error) string {
	var cmdErr *CommandError
	if !errors.As(err, &cmdErr) || strings.TrimSpace(cmdErr.Stderr) == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(cmdErr.Stderr, "\n"), "\n")
	lines = lines[max(0, len(lines)-stderrTailLines):]
	return fmt.Sprintf("kopia %s wrote:\n  %s\n", cmdErr.Command, strings.Join(lines, "\n  "))
}

// writeTerminationLog replaces the content of terminationLog ("" means none) with msg.
func writeTerminationLog(terminationLog, msg string) error {
	if terminationLog == "" {
		return nil
	}
	return os.WriteFile(terminationLog, []byte(msg+"\n"), 0o644)
}

// clearTerminationLog empties a termination log written by an earlier failure, so that a
// later stop does not report a problem that has since been fixed.
func clearTerminationLog(terminationLog string) {
	if terminationLog == "" {
		return
	}
	if info, err := os.Stat(terminationLog); err == nil && info.Mode().IsRegular() && info.Size() > 0 {
		_ = os.Truncate(terminationLog, 0)
	}
}
