package render

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

func TestPlacement(t *testing.T) {
	expr := func(key string, op metav1.LabelSelectorOperator, values ...string) metav1.LabelSelectorRequirement {
		return metav1.LabelSelectorRequirement{Key: key, Operator: op, Values: values}
	}
	tests := []struct {
		name         string
		selector     *metav1.LabelSelector
		nodeSelector map[string]string
		terms        []corev1.NodeSelectorRequirement // nil: no affinity
	}{
		{"unset", nil, nil, nil},
		{"empty", &metav1.LabelSelector{}, nil, nil},
		{"matchLabels only", &metav1.LabelSelector{MatchLabels: map[string]string{"disk": "ssd"}},
			map[string]string{"disk": "ssd"}, nil},
		{"every operator", &metav1.LabelSelector{
			MatchLabels: map[string]string{"disk": "ssd"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				expr("zone", metav1.LabelSelectorOpIn, "a", "b"),
				expr("arch", metav1.LabelSelectorOpNotIn, "s390x"),
				expr("backup", metav1.LabelSelectorOpExists),
				expr("draining", metav1.LabelSelectorOpDoesNotExist),
			},
		}, map[string]string{"disk": "ssd"}, []corev1.NodeSelectorRequirement{
			{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a", "b"}},
			{Key: "arch", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"s390x"}},
			{Key: "backup", Operator: corev1.NodeSelectorOpExists},
			{Key: "draining", Operator: corev1.NodeSelectorOpDoesNotExist},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minimalServer()
			s.Spec.PodConfig = &v1alpha1.PodConfig{LoadAffinity: &v1alpha1.LoadAffinity{NodeSelector: tt.selector}}
			nodeSelector, affinity := placement(s)
			if !reflect.DeepEqual(nodeSelector, tt.nodeSelector) {
				t.Errorf("nodeSelector %v, want %v", nodeSelector, tt.nodeSelector)
			}
			if tt.terms == nil {
				if affinity != nil {
					t.Errorf("affinity %+v, want none", affinity)
				}
				return
			}
			want := &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
					NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: tt.terms}},
				},
			}}
			if !reflect.DeepEqual(affinity, want) {
				t.Errorf("affinity %+v, want %+v", affinity, want)
			}
			// The pod must not share the spec's maps or slices: the controller may reuse the
			// server object.
			if tt.selector != nil && len(tt.selector.MatchLabels) > 0 {
				nodeSelector["disk"] = "changed"
				if tt.selector.MatchLabels["disk"] != "ssd" {
					t.Error("nodeSelector aliases spec.podConfig.loadAffinity.nodeSelector.matchLabels")
				}
			}
		})
	}
}
