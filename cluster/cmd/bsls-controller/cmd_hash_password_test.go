package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

func runCommand(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = dispatch(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHashPasswordPrintsAUsersFileLine(t *testing.T) {
	code, stdout, stderr := runCommand(t, "s3cret pass\nignored second line\n", "hash-password", "--user", "alice@vm-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := userlist.Parse([]byte(stdout), "stdout")
	if err != nil || len(entries) != 1 || entries[0].Name != "alice@vm-1" {
		t.Fatalf("output %q is not one users-file line for alice@vm-1: %v", stdout, err)
	}
	if strings.Contains(stdout+stderr, "s3cret") {
		t.Error("the password is echoed")
	}
}

func TestHashPasswordWithoutUserPrintsTheHash(t *testing.T) {
	code, stdout, stderr := runCommand(t, "no newline at the end", "hash-password")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := userlist.DecodeHash(strings.TrimSuffix(stdout, "\n")); err != nil {
		t.Errorf("output %q is not a kopia hash: %v", stdout, err)
	}
}

func TestHashPasswordRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"empty stdin", "", nil, 1, "hash-password: empty password on stdin (give it on the first line)\n"},
		{"empty first line", "\nsecond\n", nil, 1, "hash-password: empty password on stdin (give it on the first line)\n"},
		{"bad user", "pw\n", []string{"--user", "Alice"}, 2,
			`hash-password: --user: "Alice" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'` + "\n"},
		{"password as argument", "", []string{"hunter2"}, 2,
			"hash-password: takes no arguments; the password is read from stdin\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCommand(t, tc.stdin, append([]string{"hash-password"}, tc.args...)...)
			if code != tc.code || stderr != tc.stderr || stdout != "" {
				t.Errorf("got exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, stdout, stderr, tc.code, tc.stderr)
			}
		})
	}
}
