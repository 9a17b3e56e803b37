package v1alpha1_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const crdFile = "oadp.openshift.io_backupstoragelocationservers.yaml"

// TestCommittedCRDIsFresh regenerates the CRD from the markers with the controller-gen pinned
// in go.mod and fails when config/crd/bases differs: run hack/generate.sh after editing types.
// It takes about ten seconds (controller-gen loads the packages), so -short skips it.
func TestCommittedCRDIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running controller-gen")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "tool", "controller-gen", "crd", "paths=.",
		"output:crd:artifacts:config="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("controller-gen: %v\n%s", err, msg)
	}
	fresh, err := os.ReadFile(filepath.Join(out, crdFile))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "config", "crd", "bases", crdFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Errorf("config/crd/bases/%s is stale: run hack/generate.sh", crdFile)
	}
}
