package render

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestGeneratedTLSSecretIsTheOneThePodMounts: with spec.tls unset the pod's tls volume names
// the generated Secret, and that Secret has the keys the volume projects.
func TestGeneratedTLSSecretIsTheOneThePodMounts(t *testing.T) {
	s := minimalServer()
	secret := GeneratedTLSSecret(s, testCertPEM, []byte("key"))
	if secret.Type != corev1.SecretTypeTLS || secret.Kind != "Secret" || secret.Namespace != "tenant-a" ||
		len(secret.OwnerReferences) != 1 || secret.OwnerReferences[0].UID != testUID {
		t.Errorf("secret %+v", secret.ObjectMeta)
	}
	for _, v := range mustRender(t, minimalInputs()).Deployment.Spec.Template.Spec.Volumes {
		if v.Name != VolumeTLS {
			continue
		}
		if v.Secret == nil || v.Secret.SecretName != secret.Name {
			t.Fatalf("tls volume %+v, want Secret %s", v, secret.Name)
		}
		for _, item := range v.Secret.Items {
			if len(secret.Data[item.Key]) == 0 {
				t.Errorf("the Secret lacks %s", item.Key)
			}
		}
		return
	}
	t.Fatal("no tls volume")
}
