package render

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

func TestService(t *testing.T) {
	tests := []struct {
		name     string
		spec     *v1alpha1.ServiceSpec
		wantType corev1.ServiceType
		wantPort int32
	}{
		{"unset", nil, corev1.ServiceTypeClusterIP, 51515},
		{"zero values", &v1alpha1.ServiceSpec{}, corev1.ServiceTypeClusterIP, 51515},
		{"NodePort 8443", &v1alpha1.ServiceSpec{Type: v1alpha1.ServiceTypeNodePort, Port: 8443}, corev1.ServiceTypeNodePort, 8443},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minimalServer()
			s.Spec.Service = tt.spec
			svc := service(s)
			if svc.Name != "vms" || svc.Spec.Type != tt.wantType || len(svc.Spec.Ports) != 1 {
				t.Fatalf("service %+v", svc)
			}
			port := svc.Spec.Ports[0]
			if port.Name != ServerPortName || port.Port != tt.wantPort || port.TargetPort.StrVal != ServerPortName ||
				port.Protocol != corev1.ProtocolTCP {
				t.Errorf("port %+v", port)
			}
			if !reflect.DeepEqual(svc.Spec.Selector, SelectorLabels(s)) {
				t.Errorf("selector %v", svc.Spec.Selector)
			}
			if svc.Annotations != nil {
				t.Errorf("annotations %v", svc.Annotations)
			}
		})
	}
}

func TestServiceAnnotationsAreCopied(t *testing.T) {
	s := fullServer()
	svc := service(s)
	if !reflect.DeepEqual(svc.Annotations, s.Spec.Service.Annotations) {
		t.Errorf("annotations %v, want %v", svc.Annotations, s.Spec.Service.Annotations)
	}
	svc.Annotations["added"] = "x"
	if _, ok := s.Spec.Service.Annotations["added"]; ok {
		t.Error("the Service's annotations alias spec.service.annotations")
	}
}
