package render

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// GeneratedTLSSecret is the `<name>-tls` Secret holding a self-signed certificate made for s
// (tlscert.GenerateSelfSigned with ServerDNSNames(s)) when spec.tls is unset. The caller
// generates the pair: render has no randomness.
func GeneratedTLSSecret(s *v1alpha1.BackupStorageLocationServer, certPEM, keyPEM []byte) *corev1.Secret {
	return &corev1.Secret{
		TypeMeta:   typeMeta("v1", "Secret"),
		ObjectMeta: objectMeta(s, GeneratedTLSSecretName(s)),
		Type:       corev1.SecretTypeTLS,
		Data:       map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM},
	}
}
