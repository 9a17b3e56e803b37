package kopia

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// ServerOptions start a `kopia server start` on a connected repository.
type ServerOptions struct {
	ConfigFile string
	// Env is the server's whole environment; it must hold KOPIA_PASSWORD.
	Env []string
	// TLSCertFile and TLSKeyFile are the server's certificate; both empty means
	// --tls-generate-cert (an in-memory certificate whose fingerprint kopia prints).
	TLSCertFile, TLSKeyFile string
	// ControlUser and ControlPassword are the server control credentials (for `kopia server
	// refresh`); they go to the environment.
	ControlUser, ControlPassword string
}

// Server is a running kopia server on a random loopback port.
type Server struct {
	// URL is https://127.0.0.1:PORT.
	URL string
	// Fingerprint is the lowercase hex SHA-256 of the server certificate, as kopia prints it.
	Fingerprint string

	bin string
}

var (
	serverAddressLine = regexp.MustCompile(`SERVER ADDRESS: (https://\S+)`)
	serverCertLine    = regexp.MustCompile(`SERVER CERT SHA256: ([0-9a-f]{64})`)
)

// StartServer starts kopia's server on 127.0.0.1:0 and waits until it prints its address. The
// server is stopped (SIGTERM, then killed) when the test ends.
func StartServer(t testing.TB, bin string, opts ServerOptions) *Server {
	t.Helper()
	args := []string{"server", "start", "--config-file=" + opts.ConfigFile,
		"--address=127.0.0.1:0", "--no-ui"}
	if opts.TLSCertFile != "" {
		args = append(args, "--tls-cert-file="+opts.TLSCertFile, "--tls-key-file="+opts.TLSKeyFile)
	} else {
		args = append(args, "--tls-generate-cert")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append([]string(nil), opts.Env...),
		"KOPIA_SERVER_CONTROL_USER="+opts.ControlUser, "KOPIA_SERVER_CONTROL_PASSWORD="+opts.ControlPassword)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(t.TempDir(), "kopia-server.log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting kopia server: %v", err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logFile.Close()
		if t.Failed() {
			if log, err := os.ReadFile(logFile.Name()); err == nil {
				t.Logf("kopia server stderr:\n%s", log)
			}
		}
	})

	server := &Server{bin: bin}
	if opts.TLSCertFile != "" {
		certPEM, err := os.ReadFile(opts.TLSCertFile)
		if err != nil {
			t.Fatal(err)
		}
		if server.Fingerprint, err = tlscert.Fingerprint(certPEM); err != nil {
			t.Fatal(err)
		}
	}
	// Start-up lines go to the channel (buffered, so none is lost while this goroutine waits);
	// every line goes to the log file shown when the test fails.
	lines := make(chan string, 1024)
	go func() {
		defer close(done)
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			fmt.Fprintln(logFile, scanner.Text())
			select {
			case lines <- scanner.Text():
			default: // start-up is over and nobody reads any more
			}
		}
		close(lines)
		_ = cmd.Wait()
	}()
	timeout := time.After(60 * time.Second)
	for server.URL == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("kopia server exited before listening (its stderr is logged below)")
			}
			if m := serverCertLine.FindStringSubmatch(line); m != nil {
				server.Fingerprint = m[1]
			}
			if m := serverAddressLine.FindStringSubmatch(line); m != nil {
				server.URL = m[1]
			}
		case <-timeout:
			t.Fatalf("kopia server did not print its address within 60 s")
		}
	}
	return server
}

// ConnectAs connects a fresh client configuration to the server as user (user@host) with
// password, as a guest would, and returns nil when the server accepted the credentials.
func (s *Server) ConnectAs(ctx context.Context, dir, user, password string) error {
	name, host, ok := strings.Cut(user, "@")
	if !ok {
		return errors.New("user must be user@host")
	}
	home, err := os.MkdirTemp(dir, "client-")
	if err != nil {
		return err
	}
	env := append(Env(home), "KOPIA_PASSWORD="+password)
	_, err = Run(ctx, s.bin, env, "repository", "connect", "server",
		"--url="+s.URL, "--server-cert-fingerprint="+s.Fingerprint,
		"--config-file="+filepath.Join(home, "repository.config"),
		"--override-username="+name, "--override-hostname="+host, "--no-persist-credentials")
	return err
}
