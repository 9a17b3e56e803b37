// Package kubeenv starts a real kube-apiserver and etcd (envtest) with the CRDs the controller
// needs: ours, generated into config/crd/bases, and Velero's BackupStorageLocation, read from
// the velero module this module requires (so its schema is the one the code is built against).
// Tests call Start; it skips the test when KUBEBUILDER_ASSETS is unset.
package kubeenv

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
)

// Env is a running apiserver with a client on the controller's scheme.
type Env struct {
	Config *rest.Config
	Client client.Client
	Scheme *k8sruntime.Scheme
}

// Start starts the apiserver for t and stops it when t ends.
func Start(t testing.TB) *Env {
	t.Helper()
	require.Env(t, "KUBEBUILDER_ASSETS", "run scripts/setup-cluster and export what it prints")
	crds, err := CRDPaths()
	if err != nil {
		t.Fatal(err)
	}
	testEnv := &envtest.Environment{CRDDirectoryPaths: crds, ErrorIfCRDPathMissing: true}
	cfg, err := testEnv.Start()
	if err != nil {
		t.Fatalf("starting envtest: %v", err)
	}
	t.Cleanup(func() {
		if err := testEnv.Stop(); err != nil {
			t.Errorf("stopping envtest: %v", err)
		}
	})
	scheme, err := controller.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatalf("creating a client: %v", err)
	}
	return &Env{Config: cfg, Client: c, Scheme: scheme}
}

// CRDPaths returns our CRD directory and the file of Velero's BackupStorageLocation CRD.
func CRDPaths() ([]string, error) {
	moduleRoot := ModuleRoot()
	out, err := exec.Command("go", "list", "-C", moduleRoot, "-m", "-f", "{{.Dir}}",
		"github.com/vmware-tanzu/velero").Output()
	if err != nil {
		return nil, &locateError{what: "the velero module", err: err}
	}
	velero := strings.TrimSpace(string(out))
	return []string{
		filepath.Join(moduleRoot, "config", "crd", "bases"),
		filepath.Join(velero, "config", "crd", "v1", "bases", "velero.io_backupstoragelocations.yaml"),
	}, nil
}

// ModuleRoot is the directory of the cluster module's go.mod.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

type locateError struct {
	what string
	err  error
}

func (e *locateError) Error() string {
	msg := "kubeenv: locating " + e.what + ": " + e.err.Error()
	if exitErr, ok := e.err.(*exec.ExitError); ok {
		msg += ": " + strings.TrimSpace(string(exitErr.Stderr))
	}
	return msg
}
