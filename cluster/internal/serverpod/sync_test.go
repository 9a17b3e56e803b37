package serverpod

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// TestSyncRotatesUsersOfARunningServer plays the pod: init, a real `kopia server start` on the
// init's connection with a certificate file, and Sync beside it. Changing the users file
// rotates a password and adds a user without restarting the server (the old password stops
// working); an invalid file is reported and changes nothing; pruning revokes a user; SIGTERM
// (ctx) ends Sync cleanly.
func TestSyncRotatesUsersOfARunningServer(t *testing.T) {
	f := newFixture(t, minio.Options{})
	f.writeUsers("alice@vm-1 alice 1")
	if err := Init(t.Context(), f.options("server", true)); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}
	certFile, keyFile := writeServerCert(t, f.dir)
	server := kopia.StartServer(t, f.bin, kopia.ServerOptions{
		ConfigFile: f.options("server", true).ConfigFile, Env: f.env,
		TLSCertFile: certFile, TLSKeyFile: keyFile,
		ControlUser: "server-control", ControlPassword: "control password",
	})
	connects := func(user, password string) bool {
		t.Helper()
		return server.ConnectAs(t.Context(), f.dir, user, password) == nil
	}
	if !connects("alice@vm-1", "alice 1") {
		t.Fatal("alice cannot log in after init")
	}

	opts := &SyncOptions{
		Options:        *f.options("sync", true),
		ServerAddress:  server.URL,
		TLSCertFile:    certFile,
		Interval:       100 * time.Millisecond,
		TerminationLog: filepath.Join(f.dir, "termination-log"),
	}
	opts.Kopia.Env = append(append([]string(nil), f.env...),
		"KOPIA_SERVER_USERNAME=server-control", "KOPIA_SERVER_PASSWORD=control password")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Sync(ctx, opts) }()
	waitForLog(t, f.log, "users: no change", 1) // the first round found init's work done

	f.writeUsers("alice@vm-1 alice 2", "bob@vm-2 bob 1")
	waitForLog(t, f.log, "server refreshed", 1)
	if !connects("alice@vm-1", "alice 2") || !connects("bob@vm-2", "bob 1") {
		t.Error("the server does not accept the new password or the new user")
	}
	if connects("alice@vm-1", "alice 1") {
		t.Error("the server still accepts alice's old password")
	}

	f.writeUsers("alice@vm-1 alice 3", "!bob@vm-2:bob 2")
	waitForLog(t, f.log, "UserListInvalid: "+f.usersFile()+`:3: user "bob@vm-2": the value is not a kopia password hash`, 1)
	if msg, _ := os.ReadFile(opts.TerminationLog); !strings.HasPrefix(string(msg), "UserListInvalid: ") {
		t.Errorf("termination log %q after an invalid list", msg)
	}
	if !connects("alice@vm-1", "alice 2") {
		t.Error("an invalid list changed alice's password")
	}

	f.writeUsers("alice@vm-1 alice 2")
	waitForLog(t, f.log, "server refreshed", 2)
	if connects("bob@vm-2", "bob 1") {
		t.Error("bob, pruned from the list, can still log in")
	}
	if msg, _ := os.ReadFile(opts.TerminationLog); len(msg) != 0 {
		t.Errorf("termination log %q after a good round, want it emptied", msg)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Sync after cancel: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Sync did not return after cancel")
	}
}

// TestSyncRetriesUntilTheServerAnswers: with no server listening, the refresh fails and is
// retried each round; the users are synced once, not again.
func TestSyncRetriesUntilTheServerAnswers(t *testing.T) {
	f := newFixture(t, minio.Options{})
	if err := Init(t.Context(), f.options("server", true)); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}
	certFile, _ := writeServerCert(t, f.dir)
	opts := &SyncOptions{
		Options:       *f.options("sync", true),
		ServerAddress: "https://127.0.0.1:1",
		TLSCertFile:   certFile,
		Interval:      100 * time.Millisecond,
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Sync(ctx, opts) }()
	waitForLog(t, f.log, "users: no change", 1)
	f.writeUsers("alice@vm-1 alice 1")
	waitForLog(t, f.log, "RepositoryInitFailed: refreshing the server: kopia server refresh: ", 2)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Sync: %v", err)
	}
	if n := strings.Count(f.log.String(), "users: added alice@vm-1"); n != 1 {
		t.Errorf("alice was added %d times, want once:\n%s", n, f.log)
	}
}

func writeServerCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	certPEM, keyPEM, err := tlscert.GenerateSelfSigned([]string{"bsls.tenant-a.svc"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// waitForLog waits until log holds substr at least n times. The minute is a bound on a hung
// test, not a performance expectation.
func waitForLog(t *testing.T, log *syncBuffer, substr string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for strings.Count(log.String(), substr) < n {
		if time.Now().After(deadline) {
			t.Fatalf("log does not show %q %d times:\n%s", substr, n, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
