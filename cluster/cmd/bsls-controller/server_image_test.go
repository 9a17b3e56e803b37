package main

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
)

// TestServerImage: the flag wins; in a pod, the image of its manager container (as kustomize's
// `images:` entry left it), read from a real apiserver; outside one, the built-in default; a
// pod that cannot be read is an error that says what to do.
func TestServerImage(t *testing.T) {
	env := kubeenv.Start(t)
	ctx := context.Background()
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "bsls-controller-7d9f8-abcde", Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "manager", Image: "registry.example.com/mirror/bsls-server:v0.1.0"},
		}},
	}
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, flag, namespace, pod, want string
	}{
		{"the flag", "quay.example.com/bsls-server:x", "default", pod.Name, "quay.example.com/bsls-server:x"},
		{"the own pod", "", "default", pod.Name, "registry.example.com/mirror/bsls-server:v0.1.0"},
		{"outside a pod", "", "", "", render.DefaultImage},
	}
	for _, c := range cases {
		image, from, err := serverImage(ctx, env.Client, c.flag, c.namespace, c.pod)
		if err != nil || image != c.want || from == "" {
			t.Errorf("%s: %q (from %q), %v; want %q", c.name, image, from, err, c.want)
		}
	}

	_, _, err := serverImage(ctx, env.Client, "", "default", "gone")
	if err == nil || !strings.Contains(err.Error(), "own pod default/gone") || !strings.Contains(err.Error(), "give --image") {
		t.Errorf("a missing pod: %v", err)
	}
}
