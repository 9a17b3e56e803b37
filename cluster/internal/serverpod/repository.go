package serverpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// notInitialized is how kopia v0.23.1 reports a storage without a repository: repo.Connect
// returns repo.ErrRepositoryNotInitialized (repo/connect.go), which the CLI prints after
// "error connecting to repository: ".
const notInitialized = "repository not initialized in the provided storage"

// connectOrCreate connects this connection's config to the repository, creating the
// repository when the storage has none and create is true. It reports whether it created it.
func connectOrCreate(ctx context.Context, o *Options, create bool) (created bool, err error) {
	err = connect(ctx, o, "connect")
	var cmdErr *CommandError
	if err == nil || !create || !errors.As(err, &cmdErr) || !strings.Contains(cmdErr.Stderr, notInitialized) {
		return false, err
	}
	o.logf("no repository at the storage location yet: creating it")
	if err := connect(ctx, o, "create"); err != nil {
		return false, err
	}
	return true, nil
}

// connect runs `kopia repository connect|create s3` with the fixed identity. The flags are
// those of cli/command_repository_connect.go (shared by create) and cli/app.go; kingpin's bool
// flags take a --no- prefix, not =false. --no-persist-credentials keeps the repository password
// out of the config directory: every command gets it from KOPIA_PASSWORD.
func connect(ctx context.Context, o *Options, verb string) error {
	user, host, err := splitIdentity(o.Identity)
	if err != nil {
		return err
	}
	args := []string{"repository", verb, "s3",
		"--config-file=" + o.ConfigFile,
		"--cache-directory=" + o.CacheDir,
		"--override-username=" + user,
		"--override-hostname=" + host,
		"--no-persist-credentials",
		"--no-check-for-updates",
	}
	_, err = o.Kopia.Run(ctx, append(args, o.StorageArgs...)...)
	return err
}

// ensureMaintenanceOwner makes the identity the maintenance owner unless it already is (kopia
// sets the creator as owner; a repository created elsewhere has another one).
func ensureMaintenanceOwner(ctx context.Context, o *Options) error {
	out, err := o.Kopia.Run(ctx, o.repoArgs("maintenance", "info", "--json")...)
	if err != nil {
		return err
	}
	// cli/command_maintenance_info.go prints maintenance.Params, whose owner is "owner".
	var info struct {
		Owner string `json:"owner"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return fmt.Errorf("reading `kopia maintenance info --json`: %w", err)
	}
	if info.Owner == o.Identity {
		return nil
	}
	o.logf("maintenance owner %q -> %q", info.Owner, o.Identity)
	_, err = o.Kopia.Run(ctx, o.repoArgs("maintenance", "set", "--owner="+o.Identity)...)
	return err
}

// ensureACLs enables kopia's ACLs with their defaults unless some ACL entry exists: a second
// `kopia server acl enable` fails with "ACLs already enabled" (cli/command_acl_enable.go), and
// entries an admin added must be kept.
func ensureACLs(ctx context.Context, o *Options) error {
	out, err := o.Kopia.Run(ctx, o.repoArgs("server", "acl", "list", "--json")...)
	if err != nil {
		return err
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(out, &entries); err != nil {
		return fmt.Errorf("reading `kopia server acl list --json`: %w", err)
	}
	if len(entries) > 0 {
		return nil
	}
	o.logf("enabling ACLs")
	_, err = o.Kopia.Run(ctx, o.repoArgs("server", "acl", "enable")...)
	return err
}
