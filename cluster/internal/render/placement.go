package render

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// placement maps spec.podConfig.loadAffinity.nodeSelector, a label selector over nodes, to
// the pod: matchLabels become the pod's nodeSelector and matchExpressions one required
// node-affinity term (both must hold, as in the selector). The operators In, NotIn, Exists and
// DoesNotExist have the same meaning in both APIs.
func placement(s *v1alpha1.BackupStorageLocationServer) (map[string]string, *corev1.Affinity) {
	if s.Spec.PodConfig == nil || s.Spec.PodConfig.LoadAffinity == nil ||
		s.Spec.PodConfig.LoadAffinity.NodeSelector == nil {
		return nil, nil
	}
	selector := s.Spec.PodConfig.LoadAffinity.NodeSelector
	var nodeSelector map[string]string
	if len(selector.MatchLabels) > 0 {
		nodeSelector = make(map[string]string, len(selector.MatchLabels))
		for key, value := range selector.MatchLabels {
			nodeSelector[key] = value
		}
	}
	if len(selector.MatchExpressions) == 0 {
		return nodeSelector, nil
	}
	requirements := make([]corev1.NodeSelectorRequirement, 0, len(selector.MatchExpressions))
	for _, expr := range selector.MatchExpressions {
		requirements = append(requirements, corev1.NodeSelectorRequirement{
			Key:      expr.Key,
			Operator: nodeSelectorOperator(expr.Operator),
			Values:   append([]string(nil), expr.Values...),
		})
	}
	return nodeSelector, &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
		RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: requirements}},
		},
	}}
}

// nodeSelectorOperator maps a label-selector operator to its node-selector twin. An unknown
// operator is passed through unchanged so the apiserver rejects it with its own message.
func nodeSelectorOperator(op metav1.LabelSelectorOperator) corev1.NodeSelectorOperator {
	switch op {
	case metav1.LabelSelectorOpIn:
		return corev1.NodeSelectorOpIn
	case metav1.LabelSelectorOpNotIn:
		return corev1.NodeSelectorOpNotIn
	case metav1.LabelSelectorOpExists:
		return corev1.NodeSelectorOpExists
	case metav1.LabelSelectorOpDoesNotExist:
		return corev1.NodeSelectorOpDoesNotExist
	}
	return corev1.NodeSelectorOperator(op)
}
