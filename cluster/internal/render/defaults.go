package render

import (
	"fmt"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// ApplyDefaults sets, in place, the defaults the CRD schema makes the apiserver apply
// (api/v1alpha1 +kubebuilder:default markers), for callers that read a server from a file
// rather than from the apiserver, such as `bsls-controller render`. Render itself also treats
// an unset field as its default, so an object that skipped defaulting renders the same.
func ApplyDefaults(s *v1alpha1.BackupStorageLocationServer) {
	if s.Spec.BackupStorageLocation.Namespace == "" {
		s.Spec.BackupStorageLocation.Namespace = v1alpha1.DefaultBSLNamespace
	}
	if s.Spec.Service == nil {
		s.Spec.Service = &v1alpha1.ServiceSpec{}
	}
	if s.Spec.Service.Type == "" {
		s.Spec.Service.Type = v1alpha1.ServiceTypeClusterIP
	}
	if s.Spec.Service.Port == 0 {
		s.Spec.Service.Port = v1alpha1.DefaultServicePort
	}
	if s.Spec.UserManagement.Prune == nil {
		prune := true
		s.Spec.UserManagement.Prune = &prune
	}
}

// serviceType is spec.service.type, ClusterIP when unset.
func serviceType(s *v1alpha1.BackupStorageLocationServer) v1alpha1.ServiceType {
	if s.Spec.Service == nil || s.Spec.Service.Type == "" {
		return v1alpha1.ServiceTypeClusterIP
	}
	return s.Spec.Service.Type
}

// servicePort is spec.service.port, DefaultServicePort when unset.
func servicePort(s *v1alpha1.BackupStorageLocationServer) int32 {
	if s.Spec.Service == nil || s.Spec.Service.Port == 0 {
		return v1alpha1.DefaultServicePort
	}
	return s.Spec.Service.Port
}

// prune is spec.userManagement.prune, true when unset (the list is the source of truth).
func prune(s *v1alpha1.BackupStorageLocationServer) bool {
	return s.Spec.UserManagement.Prune == nil || *s.Spec.UserManagement.Prune
}

// ServiceURL is `<service>.<namespace>.svc:<port>`, the address clients connect to
// (status.serviceURL); ClientConfig prefixes it with https://.
func ServiceURL(s *v1alpha1.BackupStorageLocationServer) string {
	return fmt.Sprintf("%s.%s.svc:%d", ServiceName(s), s.Namespace, servicePort(s))
}

// ServerDNSNames are the names a generated certificate covers: every form by which a pod in the
// cluster can address the Service, the in-namespace short name first.
func ServerDNSNames(s *v1alpha1.BackupStorageLocationServer) []string {
	svc, ns := ServiceName(s), s.Namespace
	return []string{svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"}
}
