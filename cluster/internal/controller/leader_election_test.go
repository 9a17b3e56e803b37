package controller_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/guestbackup/guestbackup/cluster/internal/controller"
)

// TestLeaderElectionWithTheShippedRole: a manager running as the controller's ServiceAccount,
// with only config/rbac's leader election Role in its namespace, acquires the Lease and records
// its Event (as `manager --leader-elect` does; the suite's main manager runs without election).
func TestLeaderElectionWithTheShippedRole(t *testing.T) {
	needAPIServer(t)
	scheme, err := controller.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := ctrl.NewManager(controllerCfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress:        "0",
		LeaderElection:                true,
		LeaderElectionID:              controller.LeaderElectionID,
		LeaderElectionNamespace:       controllerNamespace,
		LeaderElectionReleaseOnCancel: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the manager stopped with: %v", err)
		}
	}()

	select {
	case <-mgr.Elected():
	case err := <-done:
		t.Fatalf("the manager stopped before it was elected: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("not elected within 60 s")
	}
	lease := &coordinationv1.Lease{}
	key := types.NamespacedName{Namespace: controllerNamespace, Name: controller.LeaderElectionID}
	if err := k8s.Get(context.Background(), key, lease); err != nil {
		t.Fatalf("reading the Lease: %v", err)
	}
	if lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity == "" {
		t.Errorf("the Lease has no holder: %+v", lease.Spec)
	}
	waitFor(t, "the leader election Event", func() string {
		events := &corev1.EventList{}
		if err := k8s.List(context.Background(), events, client.InNamespace(controllerNamespace)); err != nil {
			return err.Error()
		}
		for _, e := range events.Items {
			if e.Reason == "LeaderElection" && e.InvolvedObject.Name == controller.LeaderElectionID {
				return ""
			}
		}
		return fmt.Sprintf("no LeaderElection event among %d events", len(events.Items))
	})
}
