package controller

import (
	"context"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// applyAll server-side applies every rendered object with the one field manager, forcing
// ownership: the controller is the only writer of these fields, and a hand edit is put back.
// It returns the Deployment as the apiserver answered, status included.
func (r *BackupStorageLocationServerReconciler) applyAll(ctx context.Context, objects *render.Objects) (*appsv1.Deployment, error) {
	var deployment *appsv1.Deployment
	for _, obj := range objects.List() {
		applied, err := r.apply(ctx, obj)
		if err != nil {
			return nil, err
		}
		if _, ok := obj.(*appsv1.Deployment); ok {
			deployment = &appsv1.Deployment{}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(applied.Object, deployment); err != nil {
				return nil, fmt.Errorf("reading the applied Deployment: %w", err)
			}
		}
	}
	return deployment, nil
}

// apply sends obj as an apply configuration and returns the object the apiserver answered.
// The typed object goes through its JSON form, so fields it leaves empty (omitempty) are not
// claimed; status and creationTimestamp, which an apply must not set, are dropped.
func (r *BackupStorageLocationServerReconciler) apply(ctx context.Context, obj client.Object) (*unstructured.Unstructured, error) {
	gvk, err := apiutil.GVKForObject(obj, r.Scheme())
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, fmt.Errorf("apply %s %s: %w", gvk.Kind, obj.GetName(), err)
	}
	unstructured.RemoveNestedField(content, "status")
	unstructured.RemoveNestedField(content, "metadata", "creationTimestamp")
	u := &unstructured.Unstructured{Object: content}
	u.SetGroupVersionKind(gvk)
	if err := r.Apply(ctx, client.ApplyConfigurationFromUnstructured(u),
		client.FieldOwner(render.ManagerName), client.ForceOwnership); err != nil {
		return nil, fmt.Errorf("applying %s %s/%s: %w", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
	}
	return u, nil
}
