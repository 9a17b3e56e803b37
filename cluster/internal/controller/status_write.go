package controller

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// writeStatus updates the status subresource when obs changes it, then emits the Events of the
// condition transitions. An unchanged status is not written, so a steady state costs no write
// and triggers no further reconcile.
func (r *BackupStorageLocationServerReconciler) writeStatus(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer, obs Observation) error {
	next := Status(server.Status, obs)
	if equality.Semantic.DeepEqual(server.Status, next) {
		return nil
	}
	events := Transitions(server.Status.Conditions, next.Conditions)
	updated := server.DeepCopy()
	updated.Status = next
	// Update (not apply) carries the resourceVersion: the status is computed from that version,
	// so a newer one must be reconciled again rather than overwritten.
	if err := r.Status().Update(ctx, updated, client.FieldOwner(render.ManagerName)); err != nil {
		if apierrors.IsConflict(err) {
			return nil // the newer version's watch event has queued this server again
		}
		return fmt.Errorf("updating the status of %s/%s: %w", server.Namespace, server.Name, err)
	}
	for _, e := range events {
		r.Recorder.Eventf(updated, nil, e.Type, e.Reason, eventAction, "%s", e.Message)
	}
	return nil
}
