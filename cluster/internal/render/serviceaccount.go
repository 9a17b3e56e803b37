package render

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// serviceAccount is the server pod's own identity. The pod never talks to the apiserver, so no
// token is mounted (the pod spec says so too).
func serviceAccount(s *v1alpha1.BackupStorageLocationServer) *corev1.ServiceAccount {
	no := false
	return &corev1.ServiceAccount{
		TypeMeta:                     typeMeta("v1", "ServiceAccount"),
		ObjectMeta:                   objectMeta(s, ServiceAccountName(s)),
		AutomountServiceAccountToken: &no,
	}
}
