// Package kopia runs the real kopia binary for tests: plain commands, a TLS `kopia server start`
// and a client connecting to it as a user. Tests call Binary first; it skips the test when
// GUESTBACKUP_KOPIA (the kopia v0.23.1 binary CI provides) is unset.
package kopia

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
)

// BinaryEnv names the kopia binary the tests run.
const BinaryEnv = "GUESTBACKUP_KOPIA"

// Binary returns the kopia binary from $GUESTBACKUP_KOPIA (require.Env: skips, or fails in CI).
func Binary(t testing.TB) string {
	t.Helper()
	return require.Env(t, BinaryEnv, "the tests against the real kopia v0.23.1 need it")
}

// Env returns a small environment for a kopia child that keeps its home, logs and caches
// under home: PATH, HOME, KOPIA_LOG_DIR, no update check, then extra ("NAME=value").
func Env(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"KOPIA_LOG_DIR=" + filepath.Join(home, "logs"),
		"KOPIA_CHECK_FOR_UPDATES=false",
	}
	return append(env, extra...)
}

// Run runs `bin args...` with env and returns its stdout. The error holds the exit status and
// stderr.
func Run(ctx context.Context, bin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kopia %s: %w: %s", strings.Join(args[:min(len(args), 3)], " "),
			err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// MustRun is Run that fails the test on error.
func MustRun(t testing.TB, bin string, env []string, args ...string) string {
	t.Helper()
	out, err := Run(t.Context(), bin, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// CreateFilesystemRepository creates a repository in dir/repo, connected through dir/repository.config
// as user@host, with KOPIA_PASSWORD from env. It returns the config file.
func CreateFilesystemRepository(t testing.TB, bin string, env []string, dir, identity string) string {
	t.Helper()
	user, host, _ := strings.Cut(identity, "@")
	configFile := filepath.Join(dir, "repository.config")
	MustRun(t, bin, env, "repository", "create", "filesystem", "--path="+filepath.Join(dir, "repo"),
		"--config-file="+configFile, "--cache-directory="+filepath.Join(dir, "cache"),
		"--override-username="+user, "--override-hostname="+host, "--no-persist-credentials")
	return configFile
}
