package serverpod

import (
	"context"
	"errors"
)

// Init is `bsls-controller server-init`: it checks the user list first (a bad list fails before
// anything is written), connects to the repository or creates it, makes the identity the
// maintenance owner, enables ACLs once and syncs the users. Failures are *Failure:
// ReasonUserListInvalid for the list, ReasonRepositoryInitFailed for the rest.
func Init(ctx context.Context, o *Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if _, err := readUserList(o.UsersFile); err != nil {
		return err
	}
	created, err := connectOrCreate(ctx, o, true)
	if err != nil {
		return initFailed("connecting to the repository", err)
	}
	if created {
		o.logf("created the repository; connected as %s", o.Identity)
	} else {
		o.logf("connected to the repository as %s", o.Identity)
	}
	if err := ensureMaintenanceOwner(ctx, o); err != nil {
		return initFailed("setting the maintenance owner", err)
	}
	if err := ensureACLs(ctx, o); err != nil {
		return initFailed("enabling ACLs", err)
	}
	changes, err := SyncUsers(ctx, o)
	if err != nil {
		return initFailed("syncing users", err)
	}
	o.logf("users: %s", changes)
	return nil
}

// initFailed wraps err as ReasonRepositoryInitFailed unless it already is a *Failure.
func initFailed(step string, err error) error {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return fail(ReasonRepositoryInitFailed, "%s: %w", step, err)
}
