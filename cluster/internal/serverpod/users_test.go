package serverpod

import (
	"errors"
	"reflect"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
)

// TestSyncUsersAddChangePrune walks the declarative sync through its cases: add, change a
// hash, leave unchanged users alone, keep an admin's hand-added user without prune and delete
// it (and every unlisted user) with prune.
func TestSyncUsersAddChangePrune(t *testing.T) {
	f := newFixture(t, minio.Options{})
	o := f.options("pod", false)
	if err := Init(t.Context(), o); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}

	f.writeUsers("alice@vm-1 alice 1", "bob@vm-2 bob 1")
	checkSync(t, o, Changes{Added: []string{"alice@vm-1", "bob@vm-2"}})
	checkSync(t, o, Changes{}) // nothing rewritten when nothing changed

	// An admin adds a user by hand (seed §6.2); the list rotates bob and drops alice.
	f.kopia(o, "server", "user", "add", "manual@desk", "--user-password=manual password")
	f.writeUsers("bob@vm-2 bob 2")
	checkSync(t, o, Changes{Updated: []string{"bob@vm-2"}})
	stored := f.storedHashes(o)
	if len(stored) != 3 || !f.hasPassword(stored, "alice@vm-1", "alice 1") ||
		!f.hasPassword(stored, "bob@vm-2", "bob 2") || stored["manual@desk"].SaltAndKey == nil {
		t.Errorf("without prune: stored users %v, want alice (unchanged), bob (new hash), manual@desk", keys(stored))
	}

	o.Prune = true
	checkSync(t, o, Changes{Deleted: []string{"alice@vm-1", "manual@desk"}})
	stored = f.storedHashes(o)
	if len(stored) != 1 || !f.hasPassword(stored, "bob@vm-2", "bob 2") {
		t.Errorf("with prune: stored users %v, want only bob", keys(stored))
	}

	// An empty list with prune revokes everyone.
	f.writeUsers()
	checkSync(t, o, Changes{Deleted: []string{"bob@vm-2"}})
}

// TestSyncUsersInvalidListTouchesNothing: a bad name, a duplicate and a plain password are all
// reported, and no user is added, changed or deleted even with prune.
func TestSyncUsersInvalidListTouchesNothing(t *testing.T) {
	f := newFixture(t, minio.Options{})
	f.writeUsers("alice@vm-1 alice 1")
	o := f.options("pod", true)
	if err := Init(t.Context(), o); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}
	f.writeUsers("bob@vm-2 bob 1", "!Carol@vm-3:"+f.hash("carol"), "bob@vm-2 bob 2", "!dave@vm-4:dave")
	_, err := SyncUsers(t.Context(), o)
	var failure *Failure
	if !errors.As(err, &failure) || failure.Reason != ReasonUserListInvalid {
		t.Fatalf("SyncUsers: %v, want a %s failure", err, ReasonUserListInvalid)
	}
	file := f.usersFile()
	want := ReasonUserListInvalid + ": " +
		file + `:3: "Carol@vm-3" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'; ` +
		file + `:4: duplicate user "bob@vm-2" (first on line 2); ` +
		file + `:5: user "dave@vm-4": the value is not a kopia password hash; it looks like a plain password; use ` + "`bsls-controller hash-password`"
	if got := TerminationMessage(err); got != want {
		t.Errorf("message\n got: %s\nwant: %s", got, want)
	}
	stored := f.storedHashes(o)
	if len(stored) != 1 || !f.hasPassword(stored, "alice@vm-1", "alice 1") {
		t.Errorf("stored users %v after an invalid list, want alice unchanged", keys(stored))
	}
}

func checkSync(t *testing.T, o *Options, want Changes) {
	t.Helper()
	got, err := SyncUsers(t.Context(), o)
	if err != nil {
		t.Fatalf("SyncUsers: %v", err)
	}
	if !reflect.DeepEqual(normalize(got), normalize(want)) {
		t.Errorf("SyncUsers changes: got %s, want %s", got, want)
	}
}

func normalize(c Changes) Changes {
	for _, s := range []*[]string{&c.Added, &c.Updated, &c.Deleted} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	return c
}

func keys[V any](m map[string]V) []string {
	var names []string
	for k := range m {
		names = append(names, k)
	}
	return names
}
