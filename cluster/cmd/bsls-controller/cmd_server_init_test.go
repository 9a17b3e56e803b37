package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServerInitUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"nothing", nil, "server-init: --config-file is required; --cache-dir is required; --identity is required; " +
			"--users-file is required; kopia's S3 flags are required after --\n"},
		{"bad identity", []string{"--config-file=c", "--cache-dir=d", "--identity=server", "--users-file=u", "--", "--bucket=b"},
			`server-init: --identity "server" must be user@host` + "\n"},
		{"S3 flags without --", []string{"--config-file=c", "bucket"}, `server-init: unexpected argument "bucket" before --` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, "", append([]string{"server-init"}, tc.args...)...)
			if code != 2 || stdout != "" || stderr != tc.stderr {
				t.Errorf("exit %d, stderr %q; want exit 2, stderr %q", code, stderr, tc.stderr)
			}
		})
	}
	if code, _, stderr := runCommand(t, "", "server-init", "--help"); code != 0 || !strings.Contains(stderr, "-users-file") {
		t.Errorf("--help: exit %d, stderr %q", code, stderr)
	}
}

// TestServerInitReportsAnInvalidUserList: the list is checked before kopia runs, and the
// failure is the last stderr line and the termination log's content.
func TestServerInitReportsAnInvalidUserList(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("# list\nalice@vm-1:alice's password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	termLog := filepath.Join(dir, "termination-log")
	code, _, stderr := runCommand(t, "", "server-init", "--config-file="+filepath.Join(dir, "repository.config"),
		"--cache-dir="+dir, "--identity=kopia-server@bsls.ns", "--users-file="+users,
		"--termination-log="+termLog, "--kopia=/nonexistent/kopia", "--", "--bucket=b")
	want := "UserListInvalid: " + users + `:2: user "alice@vm-1": the value is not a kopia password hash; ` +
		"it looks like a plain password; use `bsls-controller hash-password`\n"
	if code != 1 || !strings.HasSuffix(stderr, "\n"+want) && stderr != want {
		t.Errorf("exit %d, stderr %q; want exit 1 and last line %q", code, stderr, want)
	}
	if got, _ := os.ReadFile(termLog); string(got) != want {
		t.Errorf("termination log %q, want %q", got, want)
	}
	if strings.Contains(stderr, "alice's password") {
		t.Error("the password is echoed")
	}
}
