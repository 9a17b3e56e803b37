package controller

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// ControlUsername is the server-control user of every server (`kopia server start
// --server-control-username`); only its password is secret.
const ControlUsername = "bsls-control"

// controlPasswordBytes is the entropy of a generated control password.
const controlPasswordBytes = 32

// ensureControlSecret creates the `<name>-control` Secret once. Reconcile never rotates it: the
// running server holds the pair, and a new one would lock the user-sync sidecar out until the
// pod restarts. A key someone emptied is filled in again.
func (r *BackupStorageLocationServerReconciler) ensureControlSecret(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) error {
	key := types.NamespacedName{Namespace: server.Namespace, Name: render.ControlSecretName(server)}
	secret, err := r.getOrCreateSecret(ctx, key, func() (*corev1.Secret, error) {
		secret := &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{
				Name: key.Name, Namespace: server.Namespace, Labels: render.Labels(server),
				OwnerReferences: []metav1.OwnerReference{render.OwnerReference(server)},
			},
			Type: corev1.SecretTypeOpaque,
		}
		_, err := fillControlKeys(secret)
		return secret, err
	})
	if err != nil {
		return fmt.Errorf("the control Secret: %w", err)
	}
	if !metav1.IsControlledBy(secret, server) {
		return nil // someone else's Secret under our name: use it as it is, never overwrite it
	}
	changed, err := fillControlKeys(secret)
	if err != nil || !changed {
		return err
	}
	if err := r.Update(ctx, secret, client.FieldOwner(render.ManagerName)); err != nil {
		return fmt.Errorf("repairing the control Secret %s: %w", key, err)
	}
	return nil
}

// fillControlKeys sets the username and a random password where they are missing or empty and
// reports whether it changed anything.
func fillControlKeys(secret *corev1.Secret) (bool, error) {
	if secret.Data == nil {
		secret.Data = map[string][]byte{}
	}
	changed := false
	if len(secret.Data[render.ControlUsernameKey]) == 0 {
		secret.Data[render.ControlUsernameKey] = []byte(ControlUsername)
		changed = true
	}
	if len(secret.Data[render.ControlPasswordKey]) == 0 {
		raw := make([]byte, controlPasswordBytes)
		if _, err := rand.Read(raw); err != nil {
			return false, fmt.Errorf("generating the control password: %w", err)
		}
		// Text, because it reaches kopia through an environment variable.
		secret.Data[render.ControlPasswordKey] = []byte(base64.RawURLEncoding.EncodeToString(raw))
		changed = true
	}
	return changed, nil
}

// getOrCreateSecret returns Secret key, creating it from build when it does not exist. The
// cache may not show a Secret an earlier reconcile just created; the create then fails with
// AlreadyExists and the live object is read instead.
func (r *BackupStorageLocationServerReconciler) getOrCreateSecret(ctx context.Context, key types.NamespacedName,
	build func() (*corev1.Secret, error)) (*corev1.Secret, error) {
	secret := &corev1.Secret{}
	err := r.Get(ctx, key, secret)
	if err == nil {
		return secret, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("reading Secret %s: %w", key, err)
	}
	secret, err = build()
	if err != nil {
		return nil, err
	}
	err = r.Create(ctx, secret, client.FieldOwner(render.ManagerName))
	if err == nil {
		return secret, nil
	}
	if !apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("creating Secret %s: %w", key, err)
	}
	secret = &corev1.Secret{}
	if err := r.APIReader.Get(ctx, key, secret); err != nil {
		return nil, fmt.Errorf("reading Secret %s: %w", key, err)
	}
	return secret, nil
}
