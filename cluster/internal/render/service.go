package render

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// service exposes the server's port under spec.service's type, port and annotations; the
// target is the container port by name, so the Service port may differ from 51515.
func service(s *v1alpha1.BackupStorageLocationServer) *corev1.Service {
	meta := objectMeta(s, ServiceName(s))
	if s.Spec.Service != nil && len(s.Spec.Service.Annotations) > 0 {
		meta.Annotations = make(map[string]string, len(s.Spec.Service.Annotations))
		for key, value := range s.Spec.Service.Annotations {
			meta.Annotations[key] = value
		}
	}
	return &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: meta,
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceType(serviceType(s)),
			Selector: SelectorLabels(s),
			Ports: []corev1.ServicePort{{
				Name:       ServerPortName,
				Protocol:   corev1.ProtocolTCP,
				Port:       servicePort(s),
				TargetPort: intstr.FromString(ServerPortName),
			}},
		},
	}
}
