package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

// TestServerInitThenSyncAsProcesses runs both commands as processes with the pod's flag shapes
// against MinIO over TLS: server-init creates the repository, server-sync connects its own
// configuration, finds nothing to do and exits 0 on SIGTERM.
func TestServerInitThenSyncAsProcesses(t *testing.T) {
	bin := kopia.Binary(t)
	s3 := minio.Start(t, minio.Options{TLS: true})
	s3.CreateBucket(t, "velero")
	dir := t.TempDir()
	hash, err := userlist.HashPassword("alice password")
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("alice@vm-1:"+hash+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	certPEM, _, err := tlscert.GenerateSelfSigned([]string{"bsls.ns.svc"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(dir, "tls.crt")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(kopia.Env(dir, append(s3.CredentialsEnv(), "KOPIA_PASSWORD=repository password")...),
		runAsCommandEnv+"=1")
	common := func(conn string) []string {
		return []string{"--config-file=" + filepath.Join(dir, conn, "repository.config"),
			"--cache-dir=" + filepath.Join(dir, "cache", conn), "--identity=kopia-server@bsls.ns",
			"--users-file=" + users, "--prune=true", "--kopia=" + bin}
	}
	storage := append([]string{"--"}, s3.KopiaArgs("velero", "kopia/_bsls/ns/bsls/")...)

	initCmd := exec.Command(os.Args[0], append(append([]string{"server-init"}, common("server")...), storage...)...)
	initCmd.Env = env
	if out, err := initCmd.CombinedOutput(); err != nil {
		t.Fatalf("server-init: %v\n%s", err, out)
	}

	args := append(append([]string{"server-sync"}, common("sync")...),
		"--server-address=https://127.0.0.1:1", "--tls-cert-file="+certFile, "--interval=200ms")
	syncCmd := exec.Command(os.Args[0], append(args, storage...)...)
	syncCmd.Env = env
	stderr, err := syncCmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := syncCmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	scanner := bufio.NewScanner(stderr)
	for scanner.Scan() {
		log.WriteString(scanner.Text() + "\n")
		if strings.Contains(scanner.Text(), "users: no change") {
			break
		}
	}
	if err := syncCmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for scanner.Scan() {
		log.WriteString(scanner.Text() + "\n")
	}
	if err := syncCmd.Wait(); err != nil {
		t.Errorf("server-sync after SIGTERM: %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "connected to the repository as kopia-server@bsls.ns\nusers: no change\n") {
		t.Errorf("server-sync log:\n%s", log.String())
	}
}
