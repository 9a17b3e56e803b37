// Package controller reconciles BackupStorageLocationServers (DESIGN.md §5): it reads the
// server's inputs, renders the objects that run a Kopia server (internal/render), applies them
// with server-side apply, and reports what it saw in the status, with Events on transitions.
package controller

import (
	"context"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// Least privilege (config/rbac/role.yaml is generated from these markers by hack/generate.sh,
// and the envtest suite runs the controller as a user bound to exactly that role). Nothing is
// deleted: owner references let the garbage collector remove the owned objects. Rendered
// objects are written only by server-side apply (a patch; the apiserver also checks create when
// the apply creates the object); Secrets are also updated, for the generated certificate and
// control credentials. Pods are only read, for their containers' termination messages. The
// finalizers rule adds no finalizer: it lets owner references carry blockOwnerDeletion where
// OwnerReferencesPermissionEnforcement is on (OpenShift; the envtest suite enables it too).
// +kubebuilder:rbac:groups=oadp.openshift.io,resources=backupstoragelocationservers,verbs=get;list;watch
// +kubebuilder:rbac:groups=oadp.openshift.io,resources=backupstoragelocationservers/status,verbs=get;update
// +kubebuilder:rbac:groups=oadp.openshift.io,resources=backupstoragelocationservers/finalizers,verbs=update
// +kubebuilder:rbac:groups=velero.io,resources=backupstoragelocations,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch;create;update;patch
// +kubebuilder:rbac:groups="",resources=configmaps;services;serviceaccounts,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=networking.k8s.io,resources=networkpolicies,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups="",resources=pods,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// BackupStorageLocationServerReconciler runs one Kopia server per BackupStorageLocationServer.
type BackupStorageLocationServerReconciler struct {
	client.Client
	// APIReader reads past the cache, for an object the cache does not show yet.
	APIReader client.Reader
	Recorder  recorder.EventRecorder
	// Image runs the server pod when spec.image is empty.
	Image string
	// Now is the clock for certificate checks and condition times; time.Now when nil.
	Now func() time.Time
}

// Reconcile brings one server to its desired state and records what it observed. Missing or
// invalid inputs are reported in the status and not retried: creating or fixing the object
// triggers a new reconcile through the watches. API errors are returned, and retried with
// backoff.
func (r *BackupStorageLocationServerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	server := &v1alpha1.BackupStorageLocationServer{}
	if err := r.Get(ctx, req.NamespacedName, server); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !server.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil // the garbage collector removes the owned objects
	}

	obs := Observation{Generation: server.Generation, Now: metav1.NewTime(r.now())}
	deployment, err := r.deploy(ctx, server, &obs)
	if err != nil {
		return ctrl.Result{}, err
	}
	if deployment == nil {
		// Not applied this time (an input is missing): report the Deployment as it stands.
		if deployment, err = r.readDeployment(ctx, server); err != nil {
			return ctrl.Result{}, err
		}
	}
	obs.Deployment = deploymentState(deployment)
	if obs.Failure == nil && deployment != nil {
		if obs.Failure, err = r.podFailure(ctx, server); err != nil {
			return ctrl.Result{}, err
		}
	}
	return ctrl.Result{}, r.writeStatus(ctx, server, obs)
}

// deploy gathers the inputs, renders and applies. An input or render failure goes into
// obs.Failure and leaves the objects as they are; the applied Deployment is returned.
func (r *BackupStorageLocationServerReconciler) deploy(ctx context.Context,
	stored *v1alpha1.BackupStorageLocationServer, obs *Observation) (*appsv1.Deployment, error) {
	server := stored.DeepCopy()
	render.ApplyDefaults(server)
	inputs, failure, err := r.gatherInputs(ctx, server)
	if failure != nil || err != nil {
		obs.Failure = failure
		return nil, err
	}
	if err := r.ensureControlSecret(ctx, server); err != nil {
		return nil, err
	}
	objects, err := render.Render(*inputs)
	if err != nil {
		obs.Failure = renderFailure(err)
		return nil, nil
	}
	deployment, err := r.applyAll(ctx, objects)
	if err != nil {
		return nil, err
	}
	obs.Applied, obs.ServiceURL, obs.TLSFingerprint = true, objects.ServiceURL, objects.TLSFingerprint
	return deployment, nil
}

func (r *BackupStorageLocationServerReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
