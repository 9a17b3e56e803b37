package serverpod

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
)

func TestCommandErrorNamesTheSubcommandAndKopiasLastLine(t *testing.T) {
	err := &CommandError{
		Command: subcommand([]string{"repository", "connect", "s3", "--bucket=b", "extra"}),
		Stderr:  "Connecting...\nerror connecting to repository: invalid repository password\n\n",
		Err:     errors.New("exit status 1"),
	}
	if got, want := err.Error(), "kopia repository connect s3: error connecting to repository: invalid repository password"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	err.Stderr = ""
	if got, want := err.Error(), "kopia repository connect s3: exit status 1"; got != want {
		t.Errorf("without stderr: got %q, want %q", got, want)
	}
}

// TestRunPassesTheEnvironmentNotArgv: the password reaches kopia through KOPIA_PASSWORD (a
// repository created that way opens with it), and a failure carries kopia's stderr.
func TestRunPassesTheEnvironmentNotArgv(t *testing.T) {
	bin := kopia.Binary(t)
	dir := t.TempDir()
	k := Kopia{Binary: bin, Env: kopia.Env(dir, "KOPIA_PASSWORD=from the environment")}
	config := kopia.CreateFilesystemRepository(t, bin, k.Env, dir, "admin@test")
	if _, err := k.Run(t.Context(), "repository", "status", "--config-file="+config); err != nil {
		t.Fatalf("status with the password from the environment: %v", err)
	}
	k.Env = kopia.Env(dir, "KOPIA_PASSWORD=wrong")
	_, err := k.Run(t.Context(), "repository", "status", "--config-file="+config)
	var cmdErr *CommandError
	var exitErr *exec.ExitError
	if !errors.As(err, &cmdErr) || !errors.As(err, &exitErr) || cmdErr.Command != "repository status" ||
		!strings.Contains(err.Error(), "invalid repository password") {
		t.Errorf("status with a wrong password: %v", err)
	}
}
