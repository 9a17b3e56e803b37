package serverpod

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// roundTimeout bounds one round's kopia commands, so a hung storage cannot stop later rounds.
// stopGrace is how long a kopia command under way may go on after SIGTERM (the pod's
// termination grace period is 30 s).
const (
	roundTimeout = 5 * time.Minute
	stopGrace    = 10 * time.Second
)

// Sync is `bsls-controller server-sync`: it connects its own configuration once, then every
// Interval reads the users file anew (Kubernetes updates a Secret volume by swapping a `..data`
// symlink, so the path is opened each time) and, when its content differs from what was last
// applied, syncs the users and runs `kopia server refresh` so the running server sees them. A
// failed round is logged (and written to the termination log) and retried next interval. Sync
// returns nil when ctx is cancelled (SIGTERM), once the round under way has ended.
func Sync(ctx context.Context, o *SyncOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	s := syncer{o: o}
	ticker := time.NewTicker(o.Interval)
	defer ticker.Stop()
	for {
		s.round(ctx)
		if ctx.Err() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// syncer is the state Sync keeps between rounds.
type syncer struct {
	o *SyncOptions
	// connected: this connection's config has been written.
	connected bool
	// applied is the SHA-256 of the users file content last synced; nil before the first sync.
	applied []byte
	// refreshPending: users changed but the server has not confirmed a refresh yet.
	refreshPending bool
}

// round does one check. SIGTERM (ctx) cancels its kopia commands only after stopGrace, so a
// user write is not cut in the middle, yet a hung one does not hold the shutdown.
func (s *syncer) round(ctx context.Context) {
	opCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), roundTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, cancel) })
	defer stop()
	if err := s.step(opCtx); err != nil {
		msg := TerminationMessage(err)
		if tail := kopiaStderrTail(err); tail != "" {
			s.o.logf("%s", strings.TrimSuffix(tail, "\n"))
		}
		s.o.logf("%s (retrying in %s)", msg, s.o.Interval)
		if werr := writeTerminationLog(s.o.TerminationLog, msg); werr != nil {
			s.o.logf("writing the termination log: %v", werr)
		}
		return
	}
	clearTerminationLog(s.o.TerminationLog)
}

func (s *syncer) step(ctx context.Context) error {
	o := &s.o.Options
	if !s.connected {
		if _, err := connectOrCreate(ctx, o, false); err != nil {
			return fail(ReasonRepositoryInitFailed, "connecting to the repository: %w", err)
		}
		s.connected = true
		o.logf("connected to the repository as %s", o.Identity)
	}
	content, err := os.ReadFile(o.UsersFile)
	if err != nil {
		return fail(ReasonUserListInvalid, "reading the user list: %v", err)
	}
	sum := sha256.Sum256(content)
	if !bytes.Equal(s.applied, sum[:]) {
		changes, err := SyncUsers(ctx, o)
		if !changes.Empty() {
			// Also after a partial sync: the next round sees those users as unchanged.
			s.refreshPending = true
		}
		if err != nil {
			return initFailed("syncing users", err)
		}
		s.applied = sum[:]
		o.logf("users: %s", changes)
	}
	if s.refreshPending {
		if err := s.refresh(ctx); err != nil {
			return fail(ReasonRepositoryInitFailed, "refreshing the server: %w", err)
		}
		s.refreshPending = false
		o.logf("server refreshed")
	}
	return nil
}

// refresh runs `kopia server refresh` (cli/command_server_refresh.go) against the local
// server, pinning the certificate of --tls-cert-file. The control credentials come from
// KOPIA_SERVER_USERNAME / KOPIA_SERVER_PASSWORD, the environment variables of its
// --server-control-username/--server-control-password (cli/command_server.go).
func (s *syncer) refresh(ctx context.Context) error {
	certPEM, err := os.ReadFile(s.o.TLSCertFile)
	if err != nil {
		return fmt.Errorf("reading the server certificate: %w", err)
	}
	fingerprint, err := tlscert.Fingerprint(certPEM)
	if err != nil {
		return err
	}
	_, err = s.o.Kopia.Run(ctx, "server", "refresh",
		"--address="+s.o.ServerAddress, "--server-cert-fingerprint="+fingerprint)
	return err
}
