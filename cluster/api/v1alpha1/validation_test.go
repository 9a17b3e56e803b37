package v1alpha1_test

// Schema validation against a real kube-apiserver and etcd (envtest): the generated CRD is
// installed and every rule in the markers is exercised through the API, so a regression in a
// marker shows up as an object the apiserver accepts or a changed field path.
// Needs KUBEBUILDER_ASSETS (scripts/setup-cluster prints it); skipped without it.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	v1alpha1 "github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
)

const testNamespace = "default"

// startAPIServer starts envtest with the generated CRD installed and returns a client.
func startAPIServer(t *testing.T) client.Client {
	t.Helper()
	require.Env(t, "KUBEBUILDER_ASSETS", "run scripts/setup-cluster and export what it prints")
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := env.Start()
	if err != nil {
		t.Fatalf("starting envtest: %v", err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Errorf("stopping envtest: %v", err)
		}
	})
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// validObject is the smallest spec the apiserver accepts, as a generic object so a case can
// set any field to any JSON value, including ones the Go types cannot express.
func validObject(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": v1alpha1.GroupVersion.String(),
		"kind":       "BackupStorageLocationServer",
		"metadata":   map[string]any{"name": name, "namespace": testNamespace},
		"spec": map[string]any{
			"backupStorageLocation":    map[string]any{"name": "default"},
			"repositoryPasswordSecret": map[string]any{"name": "repo", "key": "password"},
			"userManagement": map[string]any{
				"source": map[string]any{"secret": map[string]any{"name": "users", "key": "users"}},
			},
		},
	}}
	return u
}

// invalidCase is one bad object and where the apiserver must say it is wrong.
type invalidCase struct {
	name    string
	mutate  func(obj map[string]any)
	field   string // the field path of the apiserver's cause
	message string // a substring of that cause's message
}

func set(path string, value any) func(map[string]any) {
	return func(obj map[string]any) {
		if err := unstructured.SetNestedField(obj, value, strings.Split(path, ".")...); err != nil {
			panic(err)
		}
	}
}

func remove(path string) func(map[string]any) {
	return func(obj map[string]any) { unstructured.RemoveNestedField(obj, strings.Split(path, ".")...) }
}

var invalidSpecs = []invalidCase{
	{"both user sources", set("spec.userManagement.source.configMap", map[string]any{"name": "users", "key": "users"}),
		"spec.userManagement.source", "exactly one of secret or configMap must be set"},
	{"no user source", set("spec.userManagement.source", map[string]any{}),
		"spec.userManagement.source", "exactly one of secret or configMap must be set"},
	{"user secret without name", set("spec.userManagement.source.secret", map[string]any{"key": "users"}),
		"spec.userManagement.source.secret.name", "name must be set"},
	{"no userManagement", remove("spec.userManagement"),
		"spec.userManagement", "Required value"},
	{"port 0", set("spec.service", map[string]any{"port": int64(0)}),
		"spec.service.port", "should be greater than or equal to 1"},
	{"port 65536", set("spec.service", map[string]any{"port": int64(65536)}),
		"spec.service.port", "should be less than or equal to 65535"},
	{"service type ExternalName", set("spec.service", map[string]any{"type": "ExternalName"}),
		"spec.service.type", "Unsupported value"},
	{"prefix with uppercase", set("spec.prefix", "Team/VMs"),
		"spec.prefix", "should match"},
	{"prefix with empty segment", set("spec.prefix", "team//vms"),
		"spec.prefix", "should match"},
	{"prefix with leading slash", set("spec.prefix", "/team"),
		"spec.prefix", "should match"},
	{"prefix with dot-dot segment", set("spec.prefix", "team/../x"),
		"spec.prefix", "should match"},
	{"prefix too long", set("spec.prefix", strings.Repeat("a", v1alpha1.MaxPrefixLength+1)),
		"spec.prefix", "Too long"},
	{"no repositoryPasswordSecret", remove("spec.repositoryPasswordSecret"),
		"spec.repositoryPasswordSecret", "Required value"},
	{"repositoryPasswordSecret without name", set("spec.repositoryPasswordSecret", map[string]any{"key": "password"}),
		"spec.repositoryPasswordSecret.name", "name must be set"},
	{"optional repositoryPasswordSecret", set("spec.repositoryPasswordSecret.optional", true),
		"spec.repositoryPasswordSecret.optional", "the repository password cannot be optional"},
	{"no backupStorageLocation.name", remove("spec.backupStorageLocation.name"),
		"spec.backupStorageLocation.name", "Required value"},
	{"backupStorageLocation.namespace not a DNS label", set("spec.backupStorageLocation.namespace", "OADP_ns"),
		"spec.backupStorageLocation.namespace", "should match"},
	{"tls without secretName", set("spec.tls", map[string]any{}),
		"spec.tls.secretName", "Required value"},
	{"name not a DNS-1035 label", set("metadata.name", "1-server"),
		"<nil>", "metadata.name must be a DNS-1035 label"},
}

// causeFor returns the cause the apiserver reported for field, if any.
func causeFor(err error, field string) (metav1.StatusCause, bool) {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return metav1.StatusCause{}, false
	}
	for _, c := range status.Status().Details.Causes {
		if c.Field == field {
			return c, true
		}
	}
	return metav1.StatusCause{}, false
}

func expectRejected(t *testing.T, err error, field, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want rejection at %s", field)
	}
	if !apierrors.IsInvalid(err) {
		t.Fatalf("want an Invalid error, got %v", err)
	}
	cause, ok := causeFor(err, field)
	if !ok {
		t.Fatalf("no cause at field %q in: %v", field, err)
	}
	if !strings.Contains(cause.Message, message) {
		t.Errorf("cause at %s = %q, want it to contain %q", field, cause.Message, message)
	}
	t.Logf("rejected: %v", err)
}

func TestValidation(t *testing.T) {
	c := startAPIServer(t)
	ctx := context.Background()

	t.Run("invalid specs", func(t *testing.T) {
		for _, tc := range invalidSpecs {
			t.Run(tc.name, func(t *testing.T) {
				obj := validObject("bad")
				tc.mutate(obj.Object)
				expectRejected(t, c.Create(ctx, obj), tc.field, tc.message)
			})
		}
	})

	t.Run("minimal spec gets defaults", func(t *testing.T) {
		if err := c.Create(ctx, validObject("minimal")); err != nil {
			t.Fatalf("valid spec rejected: %v", err)
		}
		var got v1alpha1.BackupStorageLocationServer
		if err := c.Get(ctx, client.ObjectKey{Namespace: testNamespace, Name: "minimal"}, &got); err != nil {
			t.Fatal(err)
		}
		if ns := got.Spec.BackupStorageLocation.Namespace; ns != v1alpha1.DefaultBSLNamespace {
			t.Errorf("backupStorageLocation.namespace = %q, want %q", ns, v1alpha1.DefaultBSLNamespace)
		}
		if got.Spec.Service == nil {
			t.Fatal("service not defaulted")
		}
		if got.Spec.Service.Port != v1alpha1.DefaultServicePort || got.Spec.Service.Type != v1alpha1.ServiceTypeClusterIP {
			t.Errorf("service = %+v, want ClusterIP:%d", *got.Spec.Service, v1alpha1.DefaultServicePort)
		}
		if p := got.Spec.UserManagement.Prune; p == nil || !*p {
			t.Errorf("userManagement.prune = %v, want true", p)
		}
	})

	t.Run("sample is accepted", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("..", "..", "config", "samples",
			"oadp_v1alpha1_backupstoragelocationserver.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var sample v1alpha1.BackupStorageLocationServer
		if err := yaml.UnmarshalStrict(data, &sample); err != nil {
			t.Fatal(err)
		}
		sample.Namespace = testNamespace
		if err := c.Create(ctx, &sample); err != nil {
			t.Fatalf("sample rejected: %v", err)
		}
	})

	t.Run("invalid status", func(t *testing.T) {
		obj := validObject("status")
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
		cases := []invalidCase{
			{"repositoryStatus not in enum", set("status.repositoryStatus", "Ready"),
				"status.repositoryStatus", "Unsupported value"},
			{"tlsFingerprint uppercase", set("status.tlsFingerprint", strings.Repeat("AB", 32)),
				"status.tlsFingerprint", "should match"},
			{"tlsFingerprint short", set("status.tlsFingerprint", strings.Repeat("ab", 31)),
				"status.tlsFingerprint", "should match"},
			{"two Ready conditions", set("status.conditions", []any{condition(), condition()}),
				"status.conditions[1]", "Duplicate value"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u := obj.DeepCopy()
				tc.mutate(u.Object)
				expectRejected(t, c.Status().Update(ctx, u), tc.field, tc.message)
			})
		}
		u := obj.DeepCopy()
		set("status", map[string]any{
			"conditions":         []any{condition()},
			"observedGeneration": int64(1),
			"serviceURL":         "status.default.svc:51515",
			"repositoryStatus":   "Initialized",
			"tlsFingerprint":     strings.Repeat("0f", 32),
		})(u.Object)
		if err := c.Status().Update(ctx, u); err != nil {
			t.Errorf("valid status rejected: %v", err)
		}
	})
}

func condition() map[string]any {
	return map[string]any{
		"type": "Ready", "status": "True", "reason": "ServerAvailable", "message": "",
		"lastTransitionTime": "2026-01-01T00:00:00Z",
	}
}
