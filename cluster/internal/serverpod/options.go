package serverpod

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Options are the settings server-init and server-sync share (docs/server-pod.md, "Common
// flags").
type Options struct {
	// ConfigFile is this command's kopia repository.config (kopia creates its directory).
	ConfigFile string
	// CacheDir is kopia's cache directory for this connection.
	CacheDir string
	// Identity is the fixed user@host the connection uses and the maintenance owner.
	Identity string
	// UsersFile is the user list (userlist format).
	UsersFile string
	// Prune deletes users the list does not name; false leaves them alone.
	Prune bool
	// StorageArgs are kopia's S3 flags (render.KopiaS3Storage.Args), without credentials.
	StorageArgs []string

	Kopia Kopia
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// SyncOptions are server-sync's settings.
type SyncOptions struct {
	Options
	// ServerAddress is the running server's URL, e.g. https://127.0.0.1:51515.
	ServerAddress string
	// TLSCertFile is the server's certificate; its fingerprint pins the refresh call.
	TLSCertFile string
	// Interval is how often the user list is checked.
	Interval time.Duration
	// TerminationLog, when set, receives the message of a failed round (and is emptied after a
	// good one).
	TerminationLog string
}

// DefaultInterval is server-sync's --interval default.
const DefaultInterval = 10 * time.Second

// Validate says which required option is missing or malformed.
func (o *Options) Validate() error {
	var problems []string
	for _, f := range []struct{ name, value string }{
		{"--config-file", o.ConfigFile}, {"--cache-dir", o.CacheDir},
		{"--identity", o.Identity}, {"--users-file", o.UsersFile},
	} {
		if f.value == "" {
			problems = append(problems, f.name+" is required")
		}
	}
	if o.Identity != "" {
		if _, _, err := splitIdentity(o.Identity); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(o.StorageArgs) == 0 {
		problems = append(problems, "kopia's S3 flags are required after --")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Validate checks the shared options and server-sync's own.
func (o *SyncOptions) Validate() error {
	var problems []string
	if err := o.Options.Validate(); err != nil {
		problems = append(problems, err.Error())
	}
	if o.ServerAddress == "" {
		problems = append(problems, "--server-address is required")
	}
	if o.TLSCertFile == "" {
		problems = append(problems, "--tls-cert-file is required")
	}
	if o.Interval <= 0 {
		problems = append(problems, "--interval must be positive")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// splitIdentity splits user@host; kopia's --override-username/--override-hostname take the parts.
func splitIdentity(identity string) (user, host string, err error) {
	user, host, ok := strings.Cut(identity, "@")
	if !ok || user == "" || host == "" || strings.Contains(host, "@") {
		return "", "", fmt.Errorf("--identity %q must be user@host", identity)
	}
	return user, host, nil
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// repoArgs are the flags every kopia command on this connection takes. --no-auto-maintenance
// (cli/app.go, hidden): the identity owns maintenance, and only `kopia server start` should run
// it; a short-lived command of ours running it as well would do it concurrently.
func (o *Options) repoArgs(args ...string) []string {
	return append(args, "--config-file="+o.ConfigFile, "--no-auto-maintenance")
}
