package dryrun

import (
	"bytes"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func TestPrintRedactsSecretsAndDropsStatus(t *testing.T) {
	secret := &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "n"},
		Data:       map[string][]byte{"password": []byte("hunter2")},
		StringData: map[string]string{"token": "tok-value"},
	}
	deployment := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "n"},
	}
	objects := []client.Object{secret, deployment}

	var out bytes.Buffer
	if err := Print(&out, objects, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"password: '<redacted: 7 bytes>'", "token: '<redacted: 9 bytes>'", "---\napiVersion: apps/v1\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, leaked := range []string{"hunter2", "aHVudGVyMg", "tok-value", "status:", "creationTimestamp"} {
		if strings.Contains(text, leaked) {
			t.Errorf("output contains %q:\n%s", leaked, text)
		}
	}
	if secret.Data["password"] == nil || string(secret.Data["password"]) != "hunter2" {
		t.Error("Print changed the Secret it printed")
	}

	out.Reset()
	if err := Print(&out, objects, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "password: aHVudGVyMg==") || !strings.Contains(out.String(), "token: tok-value") {
		t.Errorf("--show-secrets output:\n%s", out.String())
	}
}
