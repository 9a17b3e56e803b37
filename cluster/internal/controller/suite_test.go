package controller_test

// The controller against a real kube-apiserver and etcd (envtest), with our CRD and Velero's
// BSL CRD from the velero module. One apiserver and one running manager serve every test of the
// package (TestMain); each test works in its own namespace. The manager runs as the controller's
// ServiceAccount with exactly the RBAC of config/rbac (envtest enforces RBAC), so a missing rule
// fails these tests. There is no kubelet: tests play its part by writing Deployment and Pod
// status. Needs KUBEBUILDER_ASSETS (scripts/setup-cluster prints it); without it these tests
// skip and the unit tests still run.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"testing"

	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
)

// testImage is the controller's default image in these tests.
const testImage = "registry.example.com/bsls-server:test"

// k8s is a direct (uncached) admin client of the test apiserver; nil when KUBEBUILDER_ASSETS is
// unset. adminCfg is its configuration, and controllerCfg authenticates as the controller.
var (
	k8s           client.Client
	adminCfg      *rest.Config
	controllerCfg *rest.Config
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return m.Run() // the envtest tests skip through needAPIServer
	}
	if testing.Verbose() {
		ctrl.SetLogger(zap.New(zap.UseDevMode(true), zap.WriteTo(os.Stderr)))
	} else {
		ctrl.SetLogger(zap.New(zap.WriteTo(io.Discard)))
	}
	stop, err := startControllerUnderTest()
	if err != nil {
		fmt.Fprintln(os.Stderr, "controller suite:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// startControllerUnderTest starts envtest and a manager running the reconciler (no leader
// election, no metrics or probe listeners) and returns the function that stops both.
func startControllerUnderTest() (stop func(), err error) {
	crds, err := kubeenv.CRDPaths()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{CRDDirectoryPaths: crds, ErrorIfCRDPathMissing: true}
	// As on OpenShift: setting blockOwnerDeletion on an owner reference needs the right to
	// update the owner's finalizers, which the RBAC must grant.
	env.ControlPlane.GetAPIServer().Configure().Append("enable-admission-plugins",
		"OwnerReferencesPermissionEnforcement")
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting envtest: %w", err)
	}
	stopEnv := func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping envtest:", err)
		}
	}
	scheme, err := controller.NewScheme()
	if err == nil {
		k8s, err = client.New(cfg, client.Options{Scheme: scheme})
	}
	if err == nil {
		controllerCfg, err = installRBAC(env)
	}
	if err != nil {
		stopEnv()
		return nil, err
	}
	adminCfg = cfg
	mgr, err := ctrl.NewManager(controllerCfg, ctrl.Options{
		Scheme:                 scheme,
		Cache:                  controller.CacheOptions(),
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err == nil {
		err = controller.SetupWithManager(mgr, controller.Options{Image: testImage})
	}
	if err != nil {
		stopEnv()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintln(os.Stderr, "the manager stopped with:", err)
		}
		stopEnv()
	}, nil
}

func needAPIServer(t *testing.T) {
	t.Helper()
	if k8s == nil {
		require.Missing(t, "KUBEBUILDER_ASSETS is unset: run scripts/setup-cluster and export what it prints")
	}
}
