// Package v1alpha1 holds the oadp.openshift.io/v1alpha1 API of the guestbackup cluster
// controller: the BackupStorageLocationServer, a Kopia repository server on top of a Velero
// BackupStorageLocation (seed design §7.1 and §7.2; DESIGN.md §5 records where we differ).
// The markers on these types are the single source of the CRD schema, including its
// validation; regenerate with hack/generate.sh.
//
// +kubebuilder:object:generate=true
// +groupName=oadp.openshift.io
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every type in this package.
	GroupVersion = schema.GroupVersion{Group: "oadp.openshift.io", Version: "v1alpha1"}

	// SchemeBuilder registers the types of this package with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the types of this package to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
