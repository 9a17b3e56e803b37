package render

import (
	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// Inputs is everything Render needs; the controller reads it from the cluster, `bsls-controller
// render` from files. Render does no I/O and no randomness: generated values (the control
// Secret, a self-signed certificate) are created by the caller and passed in.
type Inputs struct {
	// Server is the BackupStorageLocationServer (defaults applied, UID set when known: it
	// becomes the owner reference of every rendered object).
	Server *v1alpha1.BackupStorageLocationServer
	// BSL is the Velero BackupStorageLocation named by Server.Spec.BackupStorageLocation.
	BSL *velerov1.BackupStorageLocation
	// Credentials is the content of the BSL's credential Secret key (an AWS ini file).
	Credentials []byte
	// TLSCertPEM is tls.crt of TLSSecretName(Server): its fingerprint goes to the client
	// config and the pod template (a new certificate rolls the pod; kopia cannot reload it).
	TLSCertPEM []byte
	// Image runs the server pod when Server.Spec.Image is empty.
	Image string
}

// Objects is the desired state of one BackupStorageLocationServer, in apply order.
type Objects struct {
	ServiceAccount *corev1.ServiceAccount
	StorageSecret  *corev1.Secret
	ClientConfig   *corev1.ConfigMap
	Service        *corev1.Service
	NetworkPolicy  *networkingv1.NetworkPolicy
	Deployment     *appsv1.Deployment

	// ServiceURL is `<service>.<namespace>.svc:<port>` (status.serviceURL).
	ServiceURL string
	// TLSFingerprint is the lowercase hex SHA-256 of the DER certificate (status.tlsFingerprint).
	TLSFingerprint string
}

// List returns the objects in apply order: what the Deployment mounts comes before it.
func (o *Objects) List() []client.Object {
	return []client.Object{o.ServiceAccount, o.StorageSecret, o.ClientConfig, o.Service,
		o.NetworkPolicy, o.Deployment}
}
