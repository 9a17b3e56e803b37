package render

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// objectMeta is the metadata every owned object shares: the server's namespace, Labels(s) and
// a controller owner reference, so the objects are garbage-collected with the server and their
// changes requeue it.
func objectMeta(s *v1alpha1.BackupStorageLocationServer, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{
		Name:            name,
		Namespace:       s.Namespace,
		Labels:          Labels(s),
		OwnerReferences: []metav1.OwnerReference{OwnerReference(s)},
	}
}

// OwnerReference makes s the controlling owner; blockOwnerDeletion keeps foreground deletion of
// the server waiting for its objects.
func OwnerReference(s *v1alpha1.BackupStorageLocationServer) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{
		APIVersion:         v1alpha1.GroupVersion.String(),
		Kind:               "BackupStorageLocationServer",
		Name:               s.Name,
		UID:                s.UID,
		Controller:         &yes,
		BlockOwnerDeletion: &yes,
	}
}

// typeMeta is set on every rendered object: server-side apply sends it as is.
func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}
