package controller

import (
	"context"
	"errors"
	"fmt"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

// Velero's default credential Secret and key when a BSL has no spec.credential: the Secret OADP
// creates for the velero Deployment's default credentials file.
const (
	DefaultCredentialSecret = "cloud-credentials"
	DefaultCredentialKey    = "cloud"
)

// gatherInputs reads everything Render needs, checking each input in the order a user would
// create them. A missing or invalid input is a *Failure (the user fixes it; a watch on that
// object brings the server back here); an error is an API failure worth retrying.
func (r *BackupStorageLocationServerReconciler) gatherInputs(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*render.Inputs, *Failure, error) {
	bsl, failure, err := r.readBSL(ctx, server)
	if failure != nil || err != nil {
		return nil, failure, err
	}
	credentials, failure, err := r.readCredentials(ctx, bsl)
	if failure != nil || err != nil {
		return nil, failure, err
	}
	if failure, err := r.checkRepositoryPassword(ctx, server); failure != nil || err != nil {
		return nil, failure, err
	}
	if failure, err := r.checkUserList(ctx, server); failure != nil || err != nil {
		return nil, failure, err
	}
	certPEM, failure, err := r.tlsCertificate(ctx, server)
	if failure != nil || err != nil {
		return nil, failure, err
	}
	return &render.Inputs{Server: server, BSL: bsl, Credentials: credentials,
		TLSCertPEM: certPEM, Image: r.Image}, nil, nil
}

// readBSL returns the BSL named by the spec, or BSLNotFound; a BSL render cannot map
// (provider, bucket, s3Url) is reported before its credentials are looked for.
func (r *BackupStorageLocationServerReconciler) readBSL(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*velerov1.BackupStorageLocation, *Failure, error) {
	key := bslKey(server)
	bsl := &velerov1.BackupStorageLocation{}
	if err := r.Get(ctx, key, bsl); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &Failure{Reason: ReasonBSLNotFound,
				Message: fmt.Sprintf("BackupStorageLocation %s not found", key)}, nil
		}
		return nil, nil, fmt.Errorf("reading BackupStorageLocation %s: %w", key, err)
	}
	// Mapping without credentials fails on the BSL itself first, or else on the missing
	// credentials, which readCredentials reports with the Secret's name.
	_, err := render.KopiaS3StorageFor(bsl, nil, server)
	if reason := render.ReasonOf(err); reason != "" && reason != render.ReasonCredentialsInvalid {
		return nil, renderFailure(err), nil
	}
	return bsl, nil, nil
}

// bslKey is the BSL a server names, its namespace defaulted as the schema defaults it.
func bslKey(server *v1alpha1.BackupStorageLocationServer) types.NamespacedName {
	ref := server.Spec.BackupStorageLocation
	if ref.Namespace == "" {
		ref.Namespace = v1alpha1.DefaultBSLNamespace
	}
	return types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}
}

// credentialRef is the Secret key holding the BSL's credentials file, Velero's default when the
// BSL names none.
func credentialRef(bsl *velerov1.BackupStorageLocation) (types.NamespacedName, string) {
	if c := bsl.Spec.Credential; c != nil && c.Name != "" {
		return types.NamespacedName{Namespace: bsl.Namespace, Name: c.Name}, c.Key
	}
	return types.NamespacedName{Namespace: bsl.Namespace, Name: DefaultCredentialSecret}, DefaultCredentialKey
}

func (r *BackupStorageLocationServerReconciler) readCredentials(ctx context.Context,
	bsl *velerov1.BackupStorageLocation) ([]byte, *Failure, error) {
	key, item := credentialRef(bsl)
	return r.secretValue(ctx, key, item, ReasonCredentialsInvalid,
		fmt.Sprintf("the credentials of BackupStorageLocation %s/%s", bsl.Namespace, bsl.Name), false)
}

func (r *BackupStorageLocationServerReconciler) checkRepositoryPassword(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*Failure, error) {
	ref := server.Spec.RepositoryPasswordSecret
	_, failure, err := r.secretValue(ctx, types.NamespacedName{Namespace: server.Namespace, Name: ref.Name},
		ref.Key, ReasonRepositoryPasswordMissing, "the repository password", false)
	return failure, err
}

// checkUserList checks that the user list exists and parses, so that a bad line shows in the
// status before a pod is started with it (the init container would refuse it too).
func (r *BackupStorageLocationServerReconciler) checkUserList(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*Failure, error) {
	source := server.Spec.UserManagement.Source
	var data []byte
	var name string
	switch {
	case source.Secret != nil:
		key := types.NamespacedName{Namespace: server.Namespace, Name: source.Secret.Name}
		value, failure, err := r.secretValue(ctx, key, source.Secret.Key, ReasonUserListInvalid, "the user list", true)
		if failure != nil || err != nil {
			return failure, err
		}
		data, name = value, fmt.Sprintf("Secret %s key %s", key, source.Secret.Key)
	case source.ConfigMap != nil:
		key := types.NamespacedName{Namespace: server.Namespace, Name: source.ConfigMap.Name}
		value, failure, err := r.configMapValue(ctx, key, source.ConfigMap.Key)
		if failure != nil || err != nil {
			return failure, err
		}
		data, name = value, fmt.Sprintf("ConfigMap %s key %s", key, source.ConfigMap.Key)
	default: // the schema requires exactly one source
		return &Failure{Reason: ReasonUserListInvalid, Message: "spec.userManagement.source names neither a Secret nor a ConfigMap"}, nil
	}
	// userlist.Error names each refused line (`<name>:LINE: problem`) and never a hash.
	if _, err := userlist.Parse(data, name); err != nil {
		return &Failure{Reason: ReasonUserListInvalid, Message: err.Error()}, nil
	}
	return nil, nil
}

// secretValue returns the value of item in Secret key, or a Failure with reason naming the
// Secret and key (what says what it is for); an empty value fails unless allowEmpty (an empty
// user list is a list without users). The value never goes into a message.
func (r *BackupStorageLocationServerReconciler) secretValue(ctx context.Context, key types.NamespacedName,
	item, reason, what string, allowEmpty bool) ([]byte, *Failure, error) {
	secret := &corev1.Secret{}
	if err := r.Get(ctx, key, secret); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &Failure{Reason: reason, Message: fmt.Sprintf("Secret %s (%s) not found", key, what)}, nil
		}
		return nil, nil, fmt.Errorf("reading Secret %s: %w", key, err)
	}
	value, ok := secret.Data[item]
	switch {
	case !ok:
		return nil, &Failure{Reason: reason, Message: fmt.Sprintf("Secret %s (%s) has no key %q", key, what, item)}, nil
	case len(value) == 0 && !allowEmpty:
		return nil, &Failure{Reason: reason, Message: fmt.Sprintf("Secret %s (%s) has an empty key %q", key, what, item)}, nil
	}
	return value, nil, nil
}

// configMapValue is secretValue for the user list in a ConfigMap (data or binaryData).
func (r *BackupStorageLocationServerReconciler) configMapValue(ctx context.Context, key types.NamespacedName,
	item string) ([]byte, *Failure, error) {
	cm := &corev1.ConfigMap{}
	if err := r.Get(ctx, key, cm); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &Failure{Reason: ReasonUserListInvalid,
				Message: fmt.Sprintf("ConfigMap %s (the user list) not found", key)}, nil
		}
		return nil, nil, fmt.Errorf("reading ConfigMap %s: %w", key, err)
	}
	if value, ok := cm.Data[item]; ok {
		return []byte(value), nil, nil
	}
	if value, ok := cm.BinaryData[item]; ok {
		return value, nil, nil
	}
	return nil, &Failure{Reason: ReasonUserListInvalid,
		Message: fmt.Sprintf("ConfigMap %s (the user list) has no key %q", key, item)}, nil
}

// renderFailure turns a render error into a Failure; render errors name the field or profile
// concerned and never a secret. A plain error (not *render.Error) keeps its text.
func renderFailure(err error) *Failure {
	var renderErr *render.Error
	if errors.As(err, &renderErr) {
		return &Failure{Reason: renderErr.Reason, Message: renderErr.Message}
	}
	return &Failure{Reason: "RenderFailed", Message: err.Error()}
}
