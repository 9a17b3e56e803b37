package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Defaults and limits that the schema applies and that the controller relies on.
const (
	// DefaultBSLNamespace is the OADP namespace. The seed (§7.1) says `oadp-operator`; OADP
	// installs into `openshift-adp`, so that is the default here (DESIGN.md §5).
	DefaultBSLNamespace = "openshift-adp"
	// DefaultServicePort is the port the Kopia server listens on and the Service exposes.
	DefaultServicePort = 51515
	// MaxPrefixLength bounds spec.prefix. The repository lives at
	// `<bsl prefix>/kopia/_bsls/<spec.prefix>/` and S3 keys are limited to 1024 bytes, of which
	// kopia's own blob names need about 100; 128 leaves room for a deep BSL prefix.
	MaxPrefixLength = 128
)

// ServiceType is how the Kopia server's Service is exposed.
// +kubebuilder:validation:Enum=ClusterIP;NodePort;LoadBalancer
type ServiceType string

// The Service types a BackupStorageLocationServer may ask for.
const (
	ServiceTypeClusterIP    ServiceType = "ClusterIP"
	ServiceTypeNodePort     ServiceType = "NodePort"
	ServiceTypeLoadBalancer ServiceType = "LoadBalancer"
)

// RepositoryStatus is what the controller last learned about the Kopia repository.
// +kubebuilder:validation:Enum=Initialized;NotInitialized;Error
type RepositoryStatus string

// The values of status.repositoryStatus (seed §7.1).
const (
	RepositoryInitialized    RepositoryStatus = "Initialized"
	RepositoryNotInitialized RepositoryStatus = "NotInitialized"
	RepositoryError          RepositoryStatus = "Error"
)

// BackupStorageLocationServerSpec is the desired Kopia server (seed §7.1, plus networkPolicy
// and image from DESIGN.md §5).
type BackupStorageLocationServerSpec struct {
	// backupStorageLocation references the Velero BackupStorageLocation whose bucket and
	// credentials hold the Kopia repository.
	// +required
	BackupStorageLocation BackupStorageLocationRef `json:"backupStorageLocation"`

	// repositoryPasswordSecret is the Secret key holding the Kopia repository password, used to
	// create the repository on first start and to open it afterwards. It must not be optional.
	// +required
	// +kubebuilder:validation:XValidation:rule="self.name != ''",message="name must be set",fieldPath=".name"
	// +kubebuilder:validation:XValidation:rule="!has(self.optional) || !self.optional",message="the repository password cannot be optional",fieldPath=".optional"
	RepositoryPasswordSecret corev1.SecretKeySelector `json:"repositoryPasswordSecret"`

	// userManagement says where the list of Kopia users comes from and how it is applied.
	// +required
	UserManagement UserManagementSpec `json:"userManagement"`

	// prefix separates this server's repository from others on the same BSL: the repository
	// lives at `<bsl prefix>/kopia/_bsls/<prefix>/` (DESIGN.md §5; the seed's `oadp-bsls/`
	// would make Velero mark the BSL Unavailable). Lowercase letters, digits, '.', '_' and '-'
	// in '/'-separated segments that start and end with a letter or digit; at most 128
	// characters. Empty means the server's namespace and name, `<namespace>/<name>`.
	// +optional
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$`
	Prefix string `json:"prefix,omitempty"`

	// service is the Kubernetes Service that exposes the Kopia server.
	// +optional
	// +kubebuilder:default={}
	Service *ServiceSpec `json:"service,omitempty"`

	// tls names the certificate the server presents. When unset the controller generates a
	// self-signed certificate; either way status.tlsFingerprint carries the fingerprint that
	// clients pin.
	// +optional
	TLS *TLSSpec `json:"tls,omitempty"`

	// podConfig sets resources and node placement of the Kopia server pod.
	// +optional
	PodConfig *PodConfig `json:"podConfig,omitempty"`

	// networkPolicy says which namespaces may connect to the server (seed §7.2). When unset,
	// only pods in the server's own namespace may connect.
	// +optional
	NetworkPolicy *NetworkPolicySpec `json:"networkPolicy,omitempty"`

	// image is the container image that runs the Kopia server. Empty means the controller's
	// default image.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image,omitempty"`
}

// BackupStorageLocationRef names a Velero BackupStorageLocation (seed §7.1
// `BackupStorageLocationSpec`; renamed because Velero's BSL spec already has that name).
type BackupStorageLocationRef struct {
	// name of the BackupStorageLocation.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`

	// namespace of the BackupStorageLocation; defaults to `openshift-adp`, where OADP installs.
	// +optional
	// +kubebuilder:default=openshift-adp
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Namespace string `json:"namespace,omitempty"`
}

// UserManagementSpec configures the Kopia users of the server (multi-tenancy).
type UserManagementSpec struct {
	// source holds the user list: one `user@host:<kopia password hash>` per line, the format
	// of `kopia server user add --user-password-hash`. Plain passwords are refused.
	// +required
	Source UserSource `json:"source"`

	// prune deletes Kopia users that are not in the list, so the list is the source of truth
	// and removing a line revokes access. Set it to false to keep users an admin added by hand
	// with `kopia server user add`.
	// +optional
	// +kubebuilder:default=true
	Prune *bool `json:"prune,omitempty"`
}

// UserSource is where the user list is read from; exactly one of its fields is set. Prefer a
// Secret (seed §7.2): the hashes are not plain passwords, but they should not be world-readable.
// +kubebuilder:validation:XValidation:rule="has(self.secret) != has(self.configMap)",message="exactly one of secret or configMap must be set"
type UserSource struct {
	// secret is a Secret key holding the user list.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self.name != ''",message="name must be set",fieldPath=".name"
	Secret *corev1.SecretKeySelector `json:"secret,omitempty"`

	// configMap is a ConfigMap key holding the user list.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self.name != ''",message="name must be set",fieldPath=".name"
	ConfigMap *corev1.ConfigMapKeySelector `json:"configMap,omitempty"`
}

// ServiceSpec shapes the Service in front of the Kopia server.
type ServiceSpec struct {
	// type of the Service: ClusterIP (the default), NodePort or LoadBalancer.
	// +optional
	// +kubebuilder:default=ClusterIP
	Type ServiceType `json:"type,omitempty"`

	// port the Service exposes, 1-65535; defaults to 51515, the port the server listens on.
	// +optional
	// +kubebuilder:default=51515
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port int32 `json:"port,omitempty"`

	// annotations are copied onto the Service, e.g. for a cloud load balancer.
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// TLSSpec names the server certificate.
type TLSSpec struct {
	// secretName is a `kubernetes.io/tls` Secret in the server's namespace holding `tls.crt`
	// and `tls.key`.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	SecretName string `json:"secretName"`
}

// PodConfig configures the Kopia server pod.
type PodConfig struct {
	// podResources are the CPU and memory requests and limits of the Kopia server container.
	// +optional
	PodResources *corev1.ResourceRequirements `json:"podResources,omitempty"`

	// loadAffinity places the pod onto matching nodes.
	// +optional
	LoadAffinity *LoadAffinity `json:"loadAffinity,omitempty"`
}

// LoadAffinity selects the nodes the Kopia server pod may run on.
type LoadAffinity struct {
	// nodeSelector matches the labels of the nodes the pod may be scheduled on.
	// +optional
	NodeSelector *metav1.LabelSelector `json:"nodeSelector,omitempty"`
}

// NetworkPolicySpec restricts who may reach the Kopia server (seed §7.2).
type NetworkPolicySpec struct {
	// allowedNamespaces selects, by label, the namespaces whose pods (the VMs) may connect to
	// the server. An empty selector ({}) selects every namespace.
	// +optional
	AllowedNamespaces *metav1.LabelSelector `json:"allowedNamespaces,omitempty"`
}

// BackupStorageLocationServerStatus is what the controller observed (seed §7.1, DESIGN.md §5).
type BackupStorageLocationServerStatus struct {
	// conditions are Ready, Available, Progressing and Degraded, with CamelCase reasons such as
	// BSLNotFound or RepositoryInitFailed.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +patchStrategy=merge
	// +patchMergeKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`

	// observedGeneration is the metadata.generation the status describes.
	// +optional
	// +kubebuilder:validation:Minimum=0
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// serviceURL is the in-cluster address clients connect to, `<service>.<namespace>.svc:<port>`.
	// +optional
	ServiceURL string `json:"serviceURL,omitempty"`

	// repositoryStatus is Initialized, NotInitialized or Error.
	// +optional
	RepositoryStatus RepositoryStatus `json:"repositoryStatus,omitempty"`

	// tlsFingerprint is the lowercase hex SHA-256 of the server certificate (DER), the form
	// `kopia repository connect server --server-cert-fingerprint` pins.
	// +optional
	// +kubebuilder:validation:Pattern=`^[0-9a-f]{64}$`
	TLSFingerprint string `json:"tlsFingerprint,omitempty"`
}

// BackupStorageLocationServer runs a TLS Kopia repository server whose repository lives in a
// Velero BackupStorageLocation, for file-level backups from inside VMs (seed §7.1).
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=bsls,categories=oadp
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.status.serviceURL`
// +kubebuilder:printcolumn:name="Repository",type=string,JSONPath=`.status.repositoryStatus`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 63",message="metadata.name must be a DNS-1035 label of at most 63 characters: it names the Service"
type BackupStorageLocationServer struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired Kopia server.
	// +required
	Spec BackupStorageLocationServerSpec `json:"spec"`

	// status is what the controller last observed.
	// +optional
	Status BackupStorageLocationServerStatus `json:"status,omitempty"`
}

// BackupStorageLocationServerList is a list of BackupStorageLocationServers.
// +kubebuilder:object:root=true
type BackupStorageLocationServerList struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard list metadata.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	// items are the BackupStorageLocationServers.
	Items []BackupStorageLocationServer `json:"items"`
}

func init() {
	SchemeBuilder.Register(&BackupStorageLocationServer{}, &BackupStorageLocationServerList{})
}
