package serverpod

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

// Changes are what a user sync did, by user name.
type Changes struct {
	Added, Updated, Deleted []string
}

// Empty reports whether the sync changed nothing.
func (c Changes) Empty() bool { return len(c.Added)+len(c.Updated)+len(c.Deleted) == 0 }

func (c Changes) String() string {
	if c.Empty() {
		return "no change"
	}
	var parts []string
	for _, p := range []struct {
		verb  string
		names []string
	}{{"added", c.Added}, {"updated", c.Updated}, {"deleted", c.Deleted}} {
		if len(p.names) > 0 {
			parts = append(parts, p.verb+" "+strings.Join(p.names, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// readUserList reads and parses the users file. Any problem is a UserListInvalid failure
// naming the file and line, before any user is touched.
func readUserList(path string) ([]userlist.Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fail(ReasonUserListInvalid, "reading the user list: %v", err)
	}
	entries, err := userlist.Parse(data, path)
	if err != nil {
		return nil, &Failure{Reason: ReasonUserListInvalid, Err: err}
	}
	return entries, nil
}

// storedUser is one element of `kopia server user list --json`: kopia's user.Profile
// (internal/user/user_profile.go), which includes the stored hash.
type storedUser struct {
	Username            string `json:"username"`
	PasswordHashVersion int    `json:"passwordHashVersion"`
	PasswordHash        []byte `json:"passwordHash"`
}

// SyncUsers makes the repository's users match the users file: it adds the missing ones, sets
// the hash of those whose stored hash differs (unchanged users are not rewritten), and with
// Prune deletes the others. An invalid file changes nothing (ReasonUserListInvalid).
func SyncUsers(ctx context.Context, o *Options) (Changes, error) {
	entries, err := readUserList(o.UsersFile)
	if err != nil {
		return Changes{}, err
	}
	stored, err := listUsers(ctx, o)
	if err != nil {
		return Changes{}, err
	}

	var changes Changes
	wanted := map[string]bool{}
	for _, e := range entries {
		wanted[e.Name] = true
		want, err := userlist.DecodeHash(e.Hash)
		if err != nil { // Parse checked it; kept so a mistake cannot write a bad hash
			return changes, fail(ReasonUserListInvalid, "%s:%d: %v", o.UsersFile, e.Line, err)
		}
		have, exists := stored[e.Name]
		switch {
		case !exists:
			if err := setUser(ctx, o, "add", e); err != nil {
				return changes, err
			}
			changes.Added = append(changes.Added, e.Name)
		case !want.Equal(userlist.Hash{Version: have.PasswordHashVersion, SaltAndKey: have.PasswordHash}):
			if err := setUser(ctx, o, "set", e); err != nil {
				return changes, err
			}
			changes.Updated = append(changes.Updated, e.Name)
		}
	}
	if o.Prune {
		names := make([]string, 0, len(stored))
		for name := range stored {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if wanted[name] {
				continue
			}
			if _, err := o.Kopia.Run(ctx, o.repoArgs("server", "user", "delete", name)...); err != nil {
				return changes, err
			}
			changes.Deleted = append(changes.Deleted, name)
		}
	}
	return changes, nil
}

func listUsers(ctx context.Context, o *Options) (map[string]storedUser, error) {
	out, err := o.Kopia.Run(ctx, o.repoArgs("server", "user", "list", "--json")...)
	if err != nil {
		return nil, err
	}
	var users []storedUser
	if err := json.Unmarshal(out, &users); err != nil {
		return nil, fmt.Errorf("reading `kopia server user list --json`: %w", err)
	}
	byName := make(map[string]storedUser, len(users))
	for _, u := range users {
		byName[u.Username] = u
	}
	return byName, nil
}

// setUser runs `kopia server user add|set NAME --user-password-hash=HASH`
// (cli/command_user_add_set.go). See Kopia for why the hash is an argument.
func setUser(ctx context.Context, o *Options, verb string, e userlist.Entry) error {
	_, err := o.Kopia.Run(ctx, o.repoArgs("server", "user", verb, e.Name, "--user-password-hash="+e.Hash)...)
	return err
}
