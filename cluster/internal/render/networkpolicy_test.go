package render

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

func TestNetworkPolicy(t *testing.T) {
	tests := []struct {
		name    string
		allowed *v1alpha1.NetworkPolicySpec
		want    metav1.LabelSelector
	}{
		{"unset: own namespace only", nil,
			metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "tenant-a"}}},
		{"selector unset: own namespace only", &v1alpha1.NetworkPolicySpec{},
			metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "tenant-a"}}},
		{"empty selector: every namespace", &v1alpha1.NetworkPolicySpec{AllowedNamespaces: &metav1.LabelSelector{}},
			metav1.LabelSelector{}},
		{"labelled namespaces", &v1alpha1.NetworkPolicySpec{AllowedNamespaces: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "team", Operator: metav1.LabelSelectorOpIn, Values: []string{"a"}}},
		}}, metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "team", Operator: metav1.LabelSelectorOpIn, Values: []string{"a"}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minimalServer()
			s.Spec.NetworkPolicy = tt.allowed
			np := networkPolicy(s)
			if !reflect.DeepEqual(np.Spec.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}) {
				t.Errorf("policyTypes %v", np.Spec.PolicyTypes)
			}
			if !reflect.DeepEqual(np.Spec.PodSelector.MatchLabels, SelectorLabels(s)) {
				t.Errorf("podSelector %v", np.Spec.PodSelector)
			}
			if len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].From) != 1 || len(np.Spec.Ingress[0].Ports) != 1 {
				t.Fatalf("ingress %+v", np.Spec.Ingress)
			}
			port := np.Spec.Ingress[0].Ports[0]
			if *port.Protocol != corev1.ProtocolTCP || port.Port.IntVal != 51515 {
				t.Errorf("port %+v", port)
			}
			peer := np.Spec.Ingress[0].From[0]
			if peer.PodSelector != nil || peer.IPBlock != nil || peer.NamespaceSelector == nil ||
				!reflect.DeepEqual(*peer.NamespaceSelector, tt.want) {
				t.Errorf("from %+v, want namespaceSelector %+v", peer, tt.want)
			}
		})
	}
}
