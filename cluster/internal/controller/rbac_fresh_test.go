package controller_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
)

// TestCommittedRoleIsFresh regenerates the ClusterRole from the +kubebuilder:rbac markers with
// the controller-gen pinned in go.mod, as hack/generate.sh does, and fails when
// config/rbac/role.yaml differs. -short skips it (controller-gen loads the packages).
func TestCommittedRoleIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running controller-gen")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "tool", "controller-gen", "rbac:roleName=bsls-controller", "paths=./...",
		"output:rbac:artifacts:config="+out)
	cmd.Dir = kubeenv.ModuleRoot()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("controller-gen: %v\n%s", err, msg)
	}
	fresh, err := os.ReadFile(filepath.Join(out, "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(kubeenv.ModuleRoot(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Errorf("config/rbac/role.yaml is stale: run hack/generate.sh\n--- generated:\n%s", fresh)
	}
}
