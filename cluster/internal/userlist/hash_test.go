package userlist

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
)

func TestHashPasswordIsKopiaVersion1Scrypt(t *testing.T) {
	encoded, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatalf("not standard base64: %v", err)
	}
	// The JSON kopia's user.HashPassword produces, field for field.
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if len(fields) != 2 || fields["passwordHashVersion"] != float64(1) {
		t.Errorf("JSON = %s, want exactly passwordHashVersion 1 and passwordHash", raw)
	}
	h, err := DecodeHash(encoded)
	if err != nil {
		t.Fatalf("DecodeHash of our own hash: %v", err)
	}
	key, err := scryptKey("correct horse", h.SaltAndKey[:saltLength])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, h.SaltAndKey[saltLength:]) {
		t.Error("the stored key is not scrypt(password, salt)")
	}

	again, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := DecodeHash(again)
	if h.Equal(h2) {
		t.Error("two hashes of one password share their salt")
	}
}

func TestHashEqualTreatsUnsetVersionAsScrypt(t *testing.T) {
	a := Hash{Version: 0, SaltAndKey: []byte{1, 2}}
	if !a.Equal(Hash{Version: 1, SaltAndKey: []byte{1, 2}}) {
		t.Error("version 0 and 1 differ")
	}
	if a.Equal(Hash{Version: 2, SaltAndKey: []byte{1, 2}}) || a.Equal(Hash{Version: 1, SaltAndKey: []byte{1, 3}}) {
		t.Error("different hashes are equal")
	}
}

// TestHashesInteroperateWithKopia proves both directions against the real kopia v0.23.1: a
// user added with our hash logs in to a running TLS server with the password (and not with
// another), and the hashes kopia makes and stores parse as ours.
func TestHashesInteroperateWithKopia(t *testing.T) {
	bin := kopia.Binary(t)
	dir := t.TempDir()
	env := kopia.Env(dir, "KOPIA_PASSWORD=repository-password")
	config := kopia.CreateFilesystemRepository(t, bin, env, dir, "admin@test")

	hash, err := HashPassword("guest password")
	if err != nil {
		t.Fatal(err)
	}
	kopia.MustRun(t, bin, env, "server", "user", "add", "guest@vm-1", "--user-password-hash="+hash,
		"--config-file="+config)

	// kopia shows the stored hash in `server user list --json`: it is ours, byte for byte.
	var profiles []struct {
		Username            string `json:"username"`
		PasswordHashVersion int    `json:"passwordHashVersion"`
		PasswordHash        []byte `json:"passwordHash"`
	}
	out := kopia.MustRun(t, bin, env, "server", "user", "list", "--json", "--config-file="+config)
	if err := json.Unmarshal([]byte(out), &profiles); err != nil {
		t.Fatalf("user list --json: %v\n%s", err, out)
	}
	ours, _ := DecodeHash(hash)
	if len(profiles) != 1 || profiles[0].Username != "guest@vm-1" ||
		!ours.Equal(Hash{Version: profiles[0].PasswordHashVersion, SaltAndKey: profiles[0].PasswordHash}) {
		t.Errorf("stored profiles %+v do not hold our hash", profiles)
	}

	// A hash made by kopia itself is a valid list entry.
	kopiaHash := strings.TrimSpace(kopia.MustRun(t, bin, env, "server", "user", "hash-password",
		"--user-password=other password", "--config-file="+config))
	if _, err := Parse([]byte("other@vm-2:"+kopiaHash+"\n"), "users"); err != nil {
		t.Errorf("kopia's own hash is refused: %v", err)
	}

	server := kopia.StartServer(t, bin, kopia.ServerOptions{ConfigFile: config, Env: env,
		ControlUser: "server-control", ControlPassword: "control password"})
	if err := server.ConnectAs(t.Context(), dir, "guest@vm-1", "guest password"); err != nil {
		t.Errorf("the server refused the password hashed by HashPassword: %v", err)
	}
	err = server.ConnectAs(t.Context(), dir, "guest@vm-1", "wrong password")
	if err == nil || !strings.Contains(err.Error(), "access denied") {
		t.Errorf("a wrong password: got %v, want kopia's access denied", err)
	}
}
