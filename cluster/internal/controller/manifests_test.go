package controller_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
)

// TestManagerManifest: config/manager/manager.yaml is accepted by the apiserver and runs the
// controller as config/rbac's ServiceAccount, with leader election, the probes on the port the
// command listens on, non-root and a read-only root filesystem.
func TestManagerManifest(t *testing.T) {
	needAPIServer(t)
	objects, err := readManifests(filepath.Join(kubeenv.ModuleRoot(), "config", "manager", "manager.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var deployment *appsv1.Deployment
	for _, obj := range objects {
		if obj.GetKind() != "Deployment" {
			continue // the Namespace, which the suite created already
		}
		deployment = &appsv1.Deployment{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, deployment); err != nil {
			t.Fatal(err)
		}
		if err := k8s.Create(context.Background(), obj); err != nil {
			t.Fatalf("the apiserver refuses the controller's Deployment: %v", err)
		}
	}
	if deployment == nil {
		t.Fatal("no Deployment in config/manager/manager.yaml")
	}
	pod := deployment.Spec.Template.Spec
	if deployment.Namespace != controllerNamespace || pod.ServiceAccountName != "bsls-controller" {
		t.Errorf("runs as %s/%s, want %s/bsls-controller", deployment.Namespace, pod.ServiceAccountName, controllerNamespace)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	if len(c.Args) < 2 || c.Args[0] != "manager" || !slices.Contains(c.Args, "--leader-elect") ||
		!slices.Contains(c.Args, "--health-probe-bind-address=:8081") {
		t.Errorf("args %q", c.Args)
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" ||
		c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes %+v %+v", c.LivenessProbe, c.ReadinessProbe)
	}
	fieldRefs := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
			fieldRefs[e.Name] = e.ValueFrom.FieldRef.FieldPath
		}
	}
	if fieldRefs["POD_NAMESPACE"] != "metadata.namespace" || fieldRefs["POD_NAME"] != "metadata.name" {
		t.Errorf("the downward API's POD_NAMESPACE/POD_NAME (the server image is the pod's own): %v", fieldRefs)
	}
	if c.Image != kustomizeImageName {
		t.Errorf("image %q, want %q (config/default's images: entry sets it)", c.Image, kustomizeImageName)
	}
	if pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot ||
		c.SecurityContext == nil || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem ||
		c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
		t.Errorf("security: pod %+v, container %+v", pod.SecurityContext, c.SecurityContext)
	}
}

// kustomizeImageName is the image name config/manager uses and config/default's images: entry
// replaces.
const kustomizeImageName = "bsls-server"

// TestDefaultInstallNamesTheBuiltImage: config/default's images: entry gives the image
// scripts/images builds and the controller defaults to (render.DefaultImage).
func TestDefaultInstallNamesTheBuiltImage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(kubeenv.ModuleRoot(), "config", "default", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var kustomization struct {
		Images []struct {
			Name    string `json:"name"`
			NewName string `json:"newName"`
			NewTag  string `json:"newTag"`
		} `json:"images"`
	}
	if err := yaml.Unmarshal(data, &kustomization); err != nil {
		t.Fatal(err)
	}
	if len(kustomization.Images) != 1 || kustomization.Images[0].Name != kustomizeImageName ||
		kustomization.Images[0].NewName+":"+kustomization.Images[0].NewTag != render.DefaultImage {
		t.Errorf("images: %+v, want %s -> %s", kustomization.Images, kustomizeImageName, render.DefaultImage)
	}
}
