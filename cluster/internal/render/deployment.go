package render

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// podSettings are the values the Deployment takes from outside the server object.
type podSettings struct {
	image          string
	storage        KopiaS3Storage
	tlsFingerprint string
	storageHash    string
}

// deployment runs the server pod of docs/server-pod.md. One replica with the Recreate
// strategy: two kopia servers must not open the same repository with the same identity, and
// a rollout may not overlap them.
func deployment(s *v1alpha1.BackupStorageLocationServer, settings podSettings) *appsv1.Deployment {
	one := int32(1)
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: objectMeta(s, DeploymentName(s)),
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Selector: &metav1.LabelSelector{MatchLabels: SelectorLabels(s)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{
					Labels: Labels(s),
					// kopia reloads neither its certificate nor its storage credentials, so a
					// change of either must replace the pod; the user list need not (the
					// user-sync sidecar applies it).
					Annotations: map[string]string{
						AnnotationTLSSHA256:     settings.tlsFingerprint,
						AnnotationStorageSHA256: settings.storageHash,
					},
				},
				Spec: podSpec(s, settings),
			},
		},
	}
}

func podSpec(s *v1alpha1.BackupStorageLocationServer, settings podSettings) corev1.PodSpec {
	no := false
	hasCA := len(settings.storage.RootCAPEM) > 0
	nodeSelector, affinity := placement(s)
	return corev1.PodSpec{
		ServiceAccountName:           ServiceAccountName(s),
		AutomountServiceAccountToken: &no,
		// Service links would put every Service of the namespace into the environment;
		// nothing here reads them.
		EnableServiceLinks: &no,
		SecurityContext:    podSecurityContext(),
		InitContainers:     []corev1.Container{initContainer(s, settings.image, settings.storage)},
		Containers: []corev1.Container{
			serverContainer(s, settings.image),
			userSyncContainer(s, settings.image, settings.storage),
		},
		Volumes:      volumes(s, hasCA),
		NodeSelector: nodeSelector,
		Affinity:     affinity,
	}
}

func podSecurityContext() *corev1.PodSecurityContext {
	yes := true
	uid := PodUserID
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   &yes,
		RunAsUser:      &uid,
		RunAsGroup:     &uid,
		FSGroup:        &uid,
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

// containerSecurityContext is the same for every container: nothing is written outside the
// emptyDir volumes and nothing needs a capability.
func containerSecurityContext() *corev1.SecurityContext {
	yes, no := true, false
	return &corev1.SecurityContext{
		ReadOnlyRootFilesystem:   &yes,
		AllowPrivilegeEscalation: &no,
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}
