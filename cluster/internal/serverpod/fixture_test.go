package serverpod

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

// The repository location the tests use: a bucket shared with other data and a prefix as
// render computes it.
const (
	testBucket   = "velero"
	testPrefix   = "backups/kopia/_bsls/tenant-a/bsls/"
	testIdentity = "kopia-server@bsls.tenant-a"
)

// fixture is a MinIO with an empty bucket, the pod's options pointing at it, and a users file.
type fixture struct {
	t      *testing.T
	bin    string
	s3     *minio.Server
	dir    string
	env    []string
	log    *syncBuffer
	hashes map[string]string // password -> hash, so each password is hashed once per test
}

func newFixture(t *testing.T, opts minio.Options) *fixture {
	t.Helper()
	bin := kopia.Binary(t)
	s3 := minio.Start(t, opts)
	s3.CreateBucket(t, testBucket)
	dir := t.TempDir()
	env := kopia.Env(dir, append(s3.CredentialsEnv(), "KOPIA_PASSWORD=repository password")...)
	f := &fixture{t: t, bin: bin, s3: s3, dir: dir, env: env, log: &syncBuffer{}, hashes: map[string]string{}}
	if err := os.MkdirAll(filepath.Join(dir, "users"), 0o700); err != nil {
		t.Fatal(err)
	}
	f.writeUsers()
	return f
}

// options returns the pod options for a connection named conn (its own config and cache).
func (f *fixture) options(conn string, prune bool) *Options {
	return &Options{
		ConfigFile:  filepath.Join(f.dir, "run", conn, "repository.config"),
		CacheDir:    filepath.Join(f.dir, "cache", conn),
		Identity:    testIdentity,
		UsersFile:   f.usersFile(),
		Prune:       prune,
		StorageArgs: f.s3.KopiaArgs(testBucket, testPrefix),
		Kopia:       Kopia{Binary: f.bin, Env: f.env},
		Log:         f.log,
	}
}

func (f *fixture) usersFile() string { return filepath.Join(f.dir, "users", "users") }

// hash returns a kopia hash of password.
func (f *fixture) hash(password string) string {
	f.t.Helper()
	if h, ok := f.hashes[password]; ok {
		return h
	}
	h, err := userlist.HashPassword(password)
	if err != nil {
		f.t.Fatal(err)
	}
	f.hashes[password] = h
	return h
}

// writeUsers replaces the users file with lines, each "user@host password" (hashed here) or
// a raw line starting with '!'. Like the kubelet, it swaps a new file in.
func (f *fixture) writeUsers(lines ...string) {
	f.t.Helper()
	var b strings.Builder
	b.WriteString("# users of the test server\n")
	for _, line := range lines {
		if raw, ok := strings.CutPrefix(line, "!"); ok {
			b.WriteString(raw + "\n")
			continue
		}
		name, password, _ := strings.Cut(line, " ")
		b.WriteString(name + ":" + f.hash(password) + "\n")
	}
	tmp := f.usersFile() + ".new"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Rename(tmp, f.usersFile()); err != nil {
		f.t.Fatal(err)
	}
}

// kopia runs kopia on o's connection and returns its stdout.
func (f *fixture) kopia(o *Options, args ...string) string {
	f.t.Helper()
	return kopia.MustRun(f.t, f.bin, f.env, o.repoArgs(args...)...)
}

// storedHashes returns the repository's users and their stored hashes.
func (f *fixture) storedHashes(o *Options) map[string]userlist.Hash {
	f.t.Helper()
	var users []storedUser
	if err := json.Unmarshal([]byte(f.kopia(o, "server", "user", "list", "--json")), &users); err != nil {
		f.t.Fatal(err)
	}
	m := map[string]userlist.Hash{}
	for _, u := range users {
		m[u.Username] = userlist.Hash{Version: u.PasswordHashVersion, SaltAndKey: u.PasswordHash}
	}
	return m
}

// hasPassword reports whether stored holds name with the hash of password this fixture made.
func (f *fixture) hasPassword(stored map[string]userlist.Hash, name, password string) bool {
	want, err := userlist.DecodeHash(f.hash(password))
	if err != nil {
		f.t.Fatal(err)
	}
	have, ok := stored[name]
	return ok && have.Equal(want)
}

// syncBuffer is a log writer safe for a goroutine writing while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
