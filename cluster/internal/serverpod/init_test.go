package serverpod

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
)

func maintenanceOwner(f *fixture, o *Options) string {
	f.t.Helper()
	var info struct {
		Owner string `json:"owner"`
	}
	if err := json.Unmarshal([]byte(f.kopia(o, "maintenance", "info", "--json")), &info); err != nil {
		f.t.Fatal(err)
	}
	return info.Owner
}

func aclCount(f *fixture, o *Options) int {
	f.t.Helper()
	var entries []json.RawMessage
	if err := json.Unmarshal([]byte(f.kopia(o, "server", "acl", "list", "--json")), &entries); err != nil {
		f.t.Fatal(err)
	}
	return len(entries)
}

// TestInitCreatesThenConnects: the first init creates the repository under the prefix (over
// TLS with the BSL's CA); a later pod (fresh config) and a restarted init container (same
// config) connect to it, keep the identity as maintenance owner and do not enable ACLs twice.
func TestInitCreatesThenConnects(t *testing.T) {
	f := newFixture(t, minio.Options{TLS: true})
	f.s3.PutObject(t, testBucket, "backups/backups/velero-backup-1/velero-backup.json", []byte("{}"))
	f.writeUsers("alice@vm-1 alice password")

	first := f.options("pod-1", true)
	if err := Init(t.Context(), first); err != nil {
		t.Fatalf("first Init: %v\n%s", err, f.log)
	}
	if !strings.Contains(f.log.String(), "created the repository; connected as "+testIdentity) {
		t.Errorf("first Init did not report creating the repository:\n%s", f.log)
	}
	for _, key := range f.s3.ListObjects(t, testBucket, "") {
		if !strings.HasPrefix(key, testPrefix) && !strings.HasPrefix(key, "backups/backups/") {
			t.Errorf("object %q outside the repository prefix", key)
		}
	}
	if len(f.s3.ListObjects(t, testBucket, testPrefix)) == 0 {
		t.Error("no repository objects under the prefix")
	}
	if got := maintenanceOwner(f, first); got != testIdentity {
		t.Errorf("maintenance owner %q, want %q", got, testIdentity)
	}
	acls := aclCount(f, first)
	if acls == 0 {
		t.Fatal("ACLs are not enabled")
	}

	// Someone took over maintenance; the next pod takes it back.
	f.kopia(first, "maintenance", "set", "--owner=admin@laptop")
	for _, conn := range []string{"pod-2", "pod-2"} { // a new pod, then its restarted init container
		before := f.log.String()
		o := f.options(conn, true)
		if err := Init(t.Context(), o); err != nil {
			t.Fatalf("Init %s: %v\n%s", conn, err, f.log)
		}
		if out := strings.TrimPrefix(f.log.String(), before); !strings.Contains(out, "connected to the repository as "+testIdentity) ||
			strings.Contains(out, "creat") {
			t.Errorf("Init %s did not just connect:\n%s", conn, out)
		}
		if got := maintenanceOwner(f, o); got != testIdentity {
			t.Errorf("after Init %s maintenance owner %q, want %q", conn, got, testIdentity)
		}
		if got := aclCount(f, o); got != acls {
			t.Errorf("after Init %s %d ACL entries, want %d", conn, got, acls)
		}
		if !f.hasPassword(f.storedHashes(o), "alice@vm-1", "alice password") {
			t.Errorf("after Init %s alice's hash is not the listed one", conn)
		}
	}
}

// TestInitKeepsAdminACLs: an ACL an admin added is kept (ACLs count as enabled).
func TestInitKeepsAdminACLs(t *testing.T) {
	f := newFixture(t, minio.Options{})
	o := f.options("pod", true)
	if err := Init(t.Context(), o); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}
	f.kopia(o, "server", "acl", "enable", "--reset")
	f.kopia(o, "server", "acl", "add", "--user=auditor@desk", "--target=type=snapshot", "--access=READ")
	want := aclCount(f, o)
	if err := Init(t.Context(), f.options("pod-2", true)); err != nil {
		t.Fatalf("second Init: %v\n%s", err, f.log)
	}
	if got := aclCount(f, o); got != want {
		t.Errorf("%d ACL entries after the second Init, want %d", got, want)
	}
}

// TestInitFailures: a wrong repository password and an invalid user list fail with their
// Reason, and the invalid list leaves the existing users as they were.
func TestInitFailures(t *testing.T) {
	f := newFixture(t, minio.Options{})
	f.writeUsers("alice@vm-1 alice password")
	o := f.options("pod", true)
	if err := Init(t.Context(), o); err != nil {
		t.Fatalf("Init: %v\n%s", err, f.log)
	}

	f.writeUsers("bob@vm-2 bob password", "!carol@vm-3:carols-plain-password")
	err := Init(t.Context(), f.options("pod-2", true))
	var failure *Failure
	if !errors.As(err, &failure) || failure.Reason != ReasonUserListInvalid {
		t.Fatalf("Init with a plain password: %v, want a %s failure", err, ReasonUserListInvalid)
	}
	want := f.usersFile() + `:3: user "carol@vm-3": the value is not a kopia password hash; it looks like a plain password; use ` + "`bsls-controller hash-password`"
	if err.Error() != ReasonUserListInvalid+": "+want {
		t.Errorf("message\n got: %s\nwant: %s: %s", err, ReasonUserListInvalid, want)
	}
	if strings.Contains(err.Error(), "carols-plain-password") {
		t.Error("the message echoes the password")
	}
	stored := f.storedHashes(o)
	if len(stored) != 1 || !f.hasPassword(stored, "alice@vm-1", "alice password") {
		t.Errorf("users changed by an invalid list: %v", stored)
	}

	f.writeUsers("alice@vm-1 alice password")
	wrong := f.options("pod-3", true)
	wrong.Kopia.Env = append(append([]string(nil), f.env...), "KOPIA_PASSWORD=not the password")
	err = Init(t.Context(), wrong)
	if !errors.As(err, &failure) || failure.Reason != ReasonRepositoryInitFailed ||
		!strings.Contains(err.Error(), "connecting to the repository: kopia repository connect s3: ") ||
		!strings.Contains(err.Error(), "invalid repository password") {
		t.Errorf("Init with a wrong password: %v", err)
	}
}

// TestInitRefusesStorageWithOtherData: a prefix holding something that is not a repository is
// not overwritten; kopia's refusal is reported.
func TestInitRefusesStorageWithOtherData(t *testing.T) {
	f := newFixture(t, minio.Options{})
	f.s3.PutObject(t, testBucket, testPrefix+"not-kopia.txt", []byte("x"))
	err := Init(t.Context(), f.options("pod", true))
	if err == nil || !strings.HasPrefix(TerminationMessage(err), ReasonRepositoryInitFailed+": connecting to the repository: kopia repository create s3: ") ||
		!strings.Contains(err.Error(), "found existing data in storage location") {
		t.Errorf("Init over foreign data: %v", err)
	}
}
