package loop

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Agent runs the real guestbackup binary as one VM's agent: its own policy, data, state and
// password file, configured only from what a VM owner is given (server URL, fingerprint, user,
// password).
type Agent struct {
	Binary, Kopia string
	Dir           string
	User, Host    string
}

// ServerConfig is what the client-config ConfigMap and the user's password give the agent.
type ServerConfig struct {
	URL, Fingerprint, Password string
}

// DataDir is the directory the agent's `docs` job backs up.
func (a *Agent) DataDir() string { return filepath.Join(a.Dir, "data") }

// Configure writes the policy and the 0600 password file.
func (a *Agent) Configure(server ServerConfig) error {
	if err := os.MkdirAll(a.DataDir(), 0o700); err != nil {
		return err
	}
	passwordFile := filepath.Join(a.Dir, "password")
	if err := os.WriteFile(passwordFile, []byte(server.Password+"\n"), 0o600); err != nil {
		return err
	}
	policy := fmt.Sprintf(`version: 1
kopia: %s
state_dir: %s
server:
  url: %s
  fingerprint: %s
  username: %s
  hostname: %s
  password_file: %s
jobs:
  docs:
    paths: [%s]
`, a.Kopia, filepath.Join(a.Dir, "state"), server.URL, server.Fingerprint, a.User, a.Host,
		passwordFile, a.DataDir())
	return os.WriteFile(filepath.Join(a.Dir, "policy.yaml"), []byte(policy), 0o600)
}

// Result of one agent command.
type Result struct {
	ExitCode       int
	Stdout, Stderr string
}

// Run runs `guestbackup --policy <policy> args...`.
func (a *Agent) Run(ctx context.Context, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.Binary, append([]string{"--policy", filepath.Join(a.Dir, "policy.yaml")}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	result := Result{Stdout: stdout.String(), Stderr: strings.TrimSpace(stderr.String())}
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		if !ok {
			return result, fmt.Errorf("running guestbackup %s: %w", strings.Join(args, " "), err)
		}
		result.ExitCode = exitErr.ExitCode()
	}
	return result, nil
}
