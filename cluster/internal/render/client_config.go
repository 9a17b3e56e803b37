package render

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// ClientConfigComponent is the app.kubernetes.io/component label of the client-config
// ConfigMap, so an admin finds every server's client configuration with one selector.
const ClientConfigComponent = "client-config"

// clientConfig is what a guest needs to connect, made to be attached to VMs as a config disk
// (DESIGN.md §4): the URL to use as is, the fingerprint to pin and the server certificate (with
// a pinned fingerprint the certificate itself is the trust anchor). Nothing in it is secret.
func clientConfig(s *v1alpha1.BackupStorageLocationServer, fingerprint string, certPEM []byte) *corev1.ConfigMap {
	meta := objectMeta(s, ClientConfigName(s))
	meta.Labels[LabelComponent] = ClientConfigComponent
	return &corev1.ConfigMap{
		TypeMeta:   typeMeta("v1", "ConfigMap"),
		ObjectMeta: meta,
		Data: map[string]string{
			ClientConfigServiceURLKey:     "https://" + ServiceURL(s),
			ClientConfigTLSFingerprintKey: fingerprint,
			ClientConfigCAKey:             string(certPEM),
		},
	}
}
