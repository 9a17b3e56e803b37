package controller

import (
	"fmt"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// LeaderElectionID names the Lease the controller's replicas compete for (`manager
// --leader-elect`; config/rbac/leader_election_role.yaml allows exactly this).
const LeaderElectionID = "bsls.oadp.openshift.io"

// Options configures the controller.
type Options struct {
	// Image runs the server pod when spec.image is empty; render.DefaultImage when empty.
	Image string
}

// NewScheme returns the types the controller reads and writes: client-go's built-in types,
// BackupStorageLocationServer and Velero's v1 (the BSL).
func NewScheme() (*runtime.Scheme, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme, v1alpha1.AddToScheme, velerov1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return nil, fmt.Errorf("building the scheme: %w", err)
		}
	}
	return scheme, nil
}

// CacheOptions keeps only the servers' pods in the manager's cache: the controller reads no
// other pod, and a cluster's pods are many.
func CacheOptions() cache.Options {
	return cache.Options{ByObject: map[client.Object]cache.ByObject{
		&corev1.Pod{}: {Label: labels.SelectorFromSet(labels.Set{render.LabelName: serverPodName})},
	}}
}

// serverPodName is the app.kubernetes.io/name label of every server pod.
var serverPodName = render.SelectorLabels(&v1alpha1.BackupStorageLocationServer{})[render.LabelName]

// SetupWithManager registers the reconciler, its field indexes and its watches with mgr. The
// manager should be built with NewScheme and CacheOptions.
func SetupWithManager(mgr ctrl.Manager, opts Options) error {
	if opts.Image == "" {
		opts.Image = render.DefaultImage
	}
	r := &BackupStorageLocationServerReconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Recorder:  mgr.GetEventRecorder(render.ManagerName),
		Image:     opts.Image,
	}
	if err := addIndexes(mgr); err != nil {
		return err
	}
	maps := &referenceMapper{reader: mgr.GetClient()}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.BackupStorageLocationServer{}).
		Owns(&appsv1.Deployment{}).
		Owns(&corev1.Service{}).
		Owns(&corev1.ServiceAccount{}).
		Owns(&corev1.Secret{}).
		Owns(&corev1.ConfigMap{}).
		Owns(&networkingv1.NetworkPolicy{}).
		// Inputs the server references: their creation or change heals a Degraded server.
		Watches(&velerov1.BackupStorageLocation{}, handler.EnqueueRequestsFromMapFunc(maps.forBSL)).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(maps.forSecret)).
		Watches(&corev1.ConfigMap{}, handler.EnqueueRequestsFromMapFunc(maps.forConfigMap)).
		// Pods belong to a ReplicaSet, not the server: map them by their instance label.
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(forPod)).
		Named("backupstoragelocationserver").
		Complete(r)
}
