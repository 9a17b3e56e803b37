package render

import "github.com/guestbackup/guestbackup/cluster/api/v1alpha1"

// Names of the objects a BackupStorageLocationServer owns. They are derived from the server's
// name only, so the controller, `bsls-controller render` and the tests agree without asking.
// The Deployment, Service, ServiceAccount and NetworkPolicy share the server's name (a
// DNS-1035 label, enforced by the CRD).
func DeploymentName(s *v1alpha1.BackupStorageLocationServer) string     { return s.Name }
func ServiceName(s *v1alpha1.BackupStorageLocationServer) string        { return s.Name }
func ServiceAccountName(s *v1alpha1.BackupStorageLocationServer) string { return s.Name }
func NetworkPolicyName(s *v1alpha1.BackupStorageLocationServer) string  { return s.Name }

// StorageSecretName is the derived Secret holding only what kopia needs from the BSL's
// credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optionally AWS_SESSION_TOKEN and ca.crt.
func StorageSecretName(s *v1alpha1.BackupStorageLocationServer) string {
	return s.Name + "-storage"
}

// ControlSecretName is the generated Secret with the server-control credentials (keys
// `username`, `password`) that the user-sync sidecar uses for `kopia server refresh`.
func ControlSecretName(s *v1alpha1.BackupStorageLocationServer) string {
	return s.Name + "-control"
}

// GeneratedTLSSecretName is the self-signed certificate Secret the controller creates when
// spec.tls is unset.
func GeneratedTLSSecretName(s *v1alpha1.BackupStorageLocationServer) string {
	return s.Name + "-tls"
}

// TLSSecretName is the Secret whose tls.crt/tls.key the server presents.
func TLSSecretName(s *v1alpha1.BackupStorageLocationServer) string {
	if s.Spec.TLS != nil && s.Spec.TLS.SecretName != "" {
		return s.Spec.TLS.SecretName
	}
	return GeneratedTLSSecretName(s)
}

// ClientConfigName is the ConfigMap made to be attached to VMs as a config disk: serviceURL,
// tlsFingerprint, ca.crt (DESIGN.md §4, §5).
func ClientConfigName(s *v1alpha1.BackupStorageLocationServer) string {
	return s.Name + "-client-config"
}

// Keys of the generated and derived objects.
const (
	ControlUsernameKey = "username"
	ControlPasswordKey = "password"

	ClientConfigServiceURLKey     = "serviceURL"
	ClientConfigTLSFingerprintKey = "tlsFingerprint"
	ClientConfigCAKey             = "ca.crt"

	StorageCAKey = "ca.crt"
)

// Label keys (app.kubernetes.io recommended labels, as OADP uses them).
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelComponent = "app.kubernetes.io/component"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelPartOf    = "app.kubernetes.io/part-of"
)

// ManagerName is the field manager of every server-side apply and the managed-by label value.
const ManagerName = "bsls-controller"

// Labels returns the labels of every object owned by s; SelectorLabels is the stable subset the
// Deployment and NetworkPolicy select pods by.
func Labels(s *v1alpha1.BackupStorageLocationServer) map[string]string {
	labels := SelectorLabels(s)
	labels[LabelComponent] = "backup-server"
	labels[LabelManagedBy] = ManagerName
	labels[LabelPartOf] = "guestbackup"
	return labels
}

// SelectorLabels selects the server's pods.
func SelectorLabels(s *v1alpha1.BackupStorageLocationServer) map[string]string {
	return map[string]string{LabelName: "kopia-server", LabelInstance: s.Name}
}
