package serverpod

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTerminationMessage(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fail(ReasonUserListInvalid, "users:3: duplicate user %q (first on line 1)", "a@b"),
			`UserListInvalid: users:3: duplicate user "a@b" (first on line 1)`},
		{fail(ReasonRepositoryInitFailed, "connecting:\n  kopia said\tno"),
			"RepositoryInitFailed: connecting: kopia said no"},
		{errors.New("plain error"), "RepositoryInitFailed: plain error"},
	} {
		if got := TerminationMessage(tc.err); got != tc.want {
			t.Errorf("TerminationMessage(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestReportFailureWritesStderrAndTerminationLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "termination-log")
	var stderr bytes.Buffer
	stderr.WriteString("earlier output\n")
	ReportFailure(&stderr, path, fail(ReasonUserListInvalid, "users:2: bad"))
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if last := lines[len(lines)-1]; last != "UserListInvalid: users:2: bad" {
		t.Errorf("last stderr line %q", last)
	}
	if got, _ := os.ReadFile(path); string(got) != "UserListInvalid: users:2: bad\n" {
		t.Errorf("termination log %q", got)
	}
	clearTerminationLog(path)
	if got, _ := os.ReadFile(path); len(got) != 0 {
		t.Errorf("termination log %q after clearing", got)
	}

	stderr.Reset()
	ReportFailure(&stderr, filepath.Join(path, "not-a-dir", "log"), errors.New("x"))
	if !strings.HasPrefix(stderr.String(), "writing the termination log: ") ||
		!strings.HasSuffix(stderr.String(), "\nRepositoryInitFailed: x\n") {
		t.Errorf("an unwritable termination log: stderr %q", stderr.String())
	}
}

func TestReportFailureShowsTheEndOfKopiasStderr(t *testing.T) {
	var stderr bytes.Buffer
	lines := make([]string, 30)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d", i+1)
	}
	err := fail(ReasonRepositoryInitFailed, "connecting: %w", &CommandError{
		Command: "repository connect s3", Stderr: strings.Join(lines, "\n") + "\n", Err: errors.New("exit status 1")})
	ReportFailure(&stderr, "", err)
	want := "kopia repository connect s3 wrote:\n  line 11\n"
	if got := stderr.String(); !strings.HasPrefix(got, want) ||
		!strings.HasSuffix(got, "  line 30\nRepositoryInitFailed: connecting: kopia repository connect s3: line 30\n") {
		t.Errorf("stderr:\n%s", got)
	}
}
