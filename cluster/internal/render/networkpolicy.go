package render

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// networkPolicy admits TCP to the server port only from pods in the namespaces selected by
// spec.networkPolicy.allowedNamespaces, or from the server's own namespace when it is unset
// (seed §7.2). Only Ingress is restricted: the pod must reach the S3 endpoint, whose address a
// policy cannot name reliably (a cloud endpoint's IPs change), so egress stays open.
func networkPolicy(s *v1alpha1.BackupStorageLocationServer) *networkingv1.NetworkPolicy {
	tcp := corev1.ProtocolTCP
	port := intstr.FromInt32(ServerPort)
	return &networkingv1.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: objectMeta(s, NetworkPolicyName(s)),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: SelectorLabels(s)},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{
				Ports: []networkingv1.NetworkPolicyPort{{Protocol: &tcp, Port: &port}},
				From:  []networkingv1.NetworkPolicyPeer{{NamespaceSelector: allowedNamespaces(s)}},
			}},
		},
	}
}

// allowedNamespaces is a copy of the spec's selector (an empty one selects every namespace),
// or the server's own namespace by its immutable kubernetes.io/metadata.name label.
func allowedNamespaces(s *v1alpha1.BackupStorageLocationServer) *metav1.LabelSelector {
	if s.Spec.NetworkPolicy != nil && s.Spec.NetworkPolicy.AllowedNamespaces != nil {
		return s.Spec.NetworkPolicy.AllowedNamespaces.DeepCopy()
	}
	return &metav1.LabelSelector{MatchLabels: map[string]string{
		corev1.LabelMetadataName: s.Namespace,
	}}
}
