package controller

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// tlsCertificate returns tls.crt of the certificate the server presents: the Secret spec.tls
// names, checked (TLSSecretInvalid), or else the generated self-signed one, created when missing.
func (r *BackupStorageLocationServerReconciler) tlsCertificate(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) ([]byte, *Failure, error) {
	if server.Spec.TLS == nil || server.Spec.TLS.SecretName == "" {
		return r.ensureGeneratedTLS(ctx, server)
	}
	key := types.NamespacedName{Namespace: server.Namespace, Name: server.Spec.TLS.SecretName}
	secret := &corev1.Secret{}
	if err := r.Get(ctx, key, secret); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &Failure{Reason: ReasonTLSSecretInvalid,
				Message: fmt.Sprintf("Secret %s (spec.tls.secretName) not found", key)}, nil
		}
		return nil, nil, fmt.Errorf("reading Secret %s: %w", key, err)
	}
	certPEM, keyPEM := secret.Data[corev1.TLSCertKey], secret.Data[corev1.TLSPrivateKeyKey]
	if len(certPEM) == 0 || len(keyPEM) == 0 {
		return nil, &Failure{Reason: ReasonTLSSecretInvalid, Message: fmt.Sprintf(
			"Secret %s (spec.tls.secretName) needs non-empty keys %s and %s",
			key, corev1.TLSCertKey, corev1.TLSPrivateKeyKey)}, nil
	}
	// Check's messages describe the problem, never the key material.
	if err := tlscert.Check(certPEM, keyPEM, r.now()); err != nil {
		return nil, &Failure{Reason: ReasonTLSSecretInvalid,
			Message: fmt.Sprintf("Secret %s (spec.tls.secretName): %v", key, err)}, nil
	}
	return certPEM, nil, nil
}

// ensureGeneratedTLS creates the `<name>-tls` Secret once and replaces its certificate only when
// tlscert.NeedsRenewal says so: clients pin the fingerprint, so a new certificate costs every
// guest a reconfiguration.
func (r *BackupStorageLocationServerReconciler) ensureGeneratedTLS(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) ([]byte, *Failure, error) {
	key := types.NamespacedName{Namespace: server.Namespace, Name: render.GeneratedTLSSecretName(server)}
	secret, err := r.getOrCreateSecret(ctx, key, func() (*corev1.Secret, error) {
		certPEM, keyPEM, err := r.generateCertificate(server)
		if err != nil {
			return nil, err
		}
		return render.GeneratedTLSSecret(server, certPEM, keyPEM), nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("the generated TLS Secret: %w", err)
	}
	// Never overwrite a Secret someone else made under the generated name.
	if !metav1.IsControlledBy(secret, server) {
		return nil, &Failure{Reason: ReasonTLSSecretInvalid, Message: fmt.Sprintf(
			"Secret %s exists but was not generated for this server: delete it, or name it in spec.tls.secretName",
			key)}, nil
	}
	if !tlscert.NeedsRenewal(secret.Data[corev1.TLSCertKey], secret.Data[corev1.TLSPrivateKeyKey], r.now()) {
		return secret.Data[corev1.TLSCertKey], nil, nil
	}
	certPEM, keyPEM, err := r.generateCertificate(server)
	if err != nil {
		return nil, nil, err
	}
	secret.Data = map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM}
	// Update (not apply) carries the resourceVersion read above: a concurrent change fails
	// with a conflict and is retried instead of being overwritten.
	if err := r.Update(ctx, secret, client.FieldOwner(render.ManagerName)); err != nil {
		return nil, nil, fmt.Errorf("renewing the generated TLS Secret %s: %w", key, err)
	}
	return secret.Data[corev1.TLSCertKey], nil, nil
}

func (r *BackupStorageLocationServerReconciler) generateCertificate(
	server *v1alpha1.BackupStorageLocationServer) (certPEM, keyPEM []byte, err error) {
	certPEM, keyPEM, err = tlscert.GenerateSelfSigned(render.ServerDNSNames(server), r.now())
	if err != nil {
		return nil, nil, fmt.Errorf("generating the certificate of %s/%s: %w", server.Namespace, server.Name, err)
	}
	return certPEM, keyPEM, nil
}
