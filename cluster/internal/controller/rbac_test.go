package controller_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
)

// The controller's identity in config/rbac.
const (
	controllerNamespace = "guestbackup-system"
	controllerUser      = "system:serviceaccount:" + controllerNamespace + ":bsls-controller"
)

// rbacFiles are the manifests of config/rbac the suite installs as they are.
var rbacFiles = []string{"service_account.yaml", "role.yaml", "role_binding.yaml",
	"leader_election_role.yaml", "leader_election_role_binding.yaml"}

// installRBAC creates the controller's namespace and the objects of config/rbac with the admin
// client k8s, and returns a configuration that authenticates as the controller's ServiceAccount
// (with the groups the apiserver gives a ServiceAccount).
func installRBAC(env *envtest.Environment) (*rest.Config, error) {
	ctx := context.Background()
	ns := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": controllerNamespace}}}
	if err := k8s.Create(ctx, ns); err != nil {
		return nil, fmt.Errorf("creating namespace %s: %w", controllerNamespace, err)
	}
	for _, name := range rbacFiles {
		objects, err := readManifests(filepath.Join(kubeenv.ModuleRoot(), "config", "rbac", name))
		if err != nil {
			return nil, err
		}
		for _, obj := range objects {
			if err := k8s.Create(ctx, obj); err != nil {
				return nil, fmt.Errorf("%s: creating %s %s: %w", name, obj.GetKind(), obj.GetName(), err)
			}
		}
	}
	user, err := env.AddUser(envtest.User{Name: controllerUser, Groups: []string{
		"system:serviceaccounts", "system:serviceaccounts:" + controllerNamespace, "system:authenticated"}}, nil)
	if err != nil {
		return nil, fmt.Errorf("provisioning the controller's user: %w", err)
	}
	return user.Config(), nil
}

// readManifests decodes every YAML document of a file.
func readManifests(path string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var objects []*unstructured.Unstructured
	for {
		obj := &unstructured.Unstructured{}
		if err := decoder.Decode(&obj.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return objects, nil
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(obj.Object) > 0 {
			objects = append(objects, obj)
		}
	}
}
