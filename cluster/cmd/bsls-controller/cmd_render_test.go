package main

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

const serverYAML = `apiVersion: oadp.openshift.io/v1alpha1
kind: BackupStorageLocationServer
metadata:
  name: vms
  namespace: tenant-a
spec:
  backupStorageLocation:
    name: default
  repositoryPasswordSecret: {name: repo-password, key: password}
  userManagement:
    source:
      secret: {name: kopia-users, key: users}
`

// bslAndSecretsYAML is one file of several documents, among them a kind render ignores, an
// empty document and the credentials written as stringData.
const bslAndSecretsYAML = `# the OADP side
apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata:
  name: default
  namespace: openshift-adp
spec:
  provider: aws
  objectStorage: {bucket: velero-bucket, prefix: cluster-1}
  config: {region: eu-west-1}
---
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated, namespace: openshift-adp}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata:
  name: cloud-credentials
  namespace: openshift-adp
stringData:
  cloud: |
    [default]
    aws_access_key_id = AKIACMDTEST
    aws_secret_access_key = cmd-test-secret
    [other]
    aws_access_key_id = AKIAOTHER
    aws_secret_access_key = other-secret
`

func writeFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths := map[string]string{}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		paths[name] = path
	}
	return paths
}

// parseStream decodes the printed YAML stream into generic objects.
func parseStream(t *testing.T, stream string) []map[string]any {
	t.Helper()
	reader := k8syaml.NewYAMLReader(bufio.NewReader(strings.NewReader(stream)))
	var objects []map[string]any
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return objects
		}
		if err != nil {
			t.Fatal(err)
		}
		var object map[string]any
		if err := yaml.Unmarshal(doc, &object); err != nil {
			t.Fatalf("%v in %s", err, doc)
		}
		if object != nil {
			objects = append(objects, object)
		}
	}
}

func kindAndName(object map[string]any) string {
	metadata, _ := object["metadata"].(map[string]any)
	return object["kind"].(string) + "/" + metadata["name"].(string)
}

func TestRenderPrintsTheObjectsInApplyOrderWithSecretsRedacted(t *testing.T) {
	paths := writeFiles(t, map[string]string{"bsls.yaml": serverYAML, "oadp.yaml": bslAndSecretsYAML})
	code, stdout, stderr := runCommand(t, "", "render", "-f", paths["bsls.yaml"], "-f", paths["oadp.yaml"])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	objects := parseStream(t, stdout)
	var got []string
	for _, object := range objects {
		got = append(got, kindAndName(object))
	}
	want := []string{"Secret/vms-tls", "ServiceAccount/vms", "Secret/vms-storage", "ConfigMap/vms-client-config",
		"Service/vms", "NetworkPolicy/vms", "Deployment/vms"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("objects %v, want %v", got, want)
	}
	for _, secret := range []string{"AKIACMDTEST", "cmd-test-secret", "AKIAOTHER", "other-secret", "PRIVATE KEY"} {
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
			if strings.Contains(stdout+stderr, form) {
				t.Errorf("the output contains %q", form)
			}
		}
	}
	storage := objects[2]["data"].(map[string]any)
	if storage["AWS_ACCESS_KEY_ID"] != "<redacted: 11 bytes>" || storage["AWS_SECRET_ACCESS_KEY"] != "<redacted: 15 bytes>" ||
		len(storage) != 2 {
		t.Errorf("storage Secret data %v", storage)
	}
	deployment := objects[6]
	if _, ok := deployment["status"]; ok {
		t.Error("the Deployment is printed with a status")
	}
	image := deployment["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["image"]
	if image != render.DefaultImage {
		t.Errorf("image %v, want the default %s", image, render.DefaultImage)
	}
	if !strings.Contains(stdout, "# serviceURL: vms.tenant-a.svc:51515\n") {
		t.Errorf("no serviceURL header in:\n%s", stdout)
	}
}

// TestRenderShowSecretsPrintsApplicableSecrets: with --show-secrets the Secrets decode, the
// generated certificate is the one the client config pins, and --image applies.
func TestRenderShowSecretsPrintsApplicableSecrets(t *testing.T) {
	paths := writeFiles(t, map[string]string{"all.yaml": serverYAML + "---\n" + bslAndSecretsYAML})
	code, stdout, stderr := runCommand(t, "", "render", "-f", paths["all.yaml"], "--show-secrets", "--image", "my/image:1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var tlsSecret, storage corev1.Secret
	var clientConfig corev1.ConfigMap
	targets := map[string]any{"Secret/vms-tls": &tlsSecret, "Secret/vms-storage": &storage,
		"ConfigMap/vms-client-config": &clientConfig}
	for _, object := range parseStream(t, stdout) {
		if target, ok := targets[kindAndName(object)]; ok {
			doc, err := yaml.Marshal(object)
			must(t, err)
			must(t, yaml.UnmarshalStrict(doc, target))
		}
	}
	if string(storage.Data["AWS_SECRET_ACCESS_KEY"]) != "cmd-test-secret" {
		t.Errorf("storage Secret data %q", storage.Data)
	}
	if err := tlscert.Check(tlsSecret.Data["tls.crt"], tlsSecret.Data["tls.key"], time.Now()); err != nil {
		t.Fatalf("generated TLS Secret: %v", err)
	}
	fingerprint, _ := tlscert.Fingerprint(tlsSecret.Data["tls.crt"])
	if clientConfig.Data["tlsFingerprint"] != fingerprint {
		t.Errorf("client config pins %q, the generated certificate is %q", clientConfig.Data["tlsFingerprint"], fingerprint)
	}
	if !strings.Contains(stdout, "image: my/image:1\n") {
		t.Error("--image is not used")
	}
}

func TestRenderUsesTheNamedTLSSecretAndSelectsByName(t *testing.T) {
	certPEM, keyPEM, err := tlscert.GenerateSelfSigned([]string{"other"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fingerprint, _ := tlscert.Fingerprint(certPEM)
	other := strings.NewReplacer("name: vms\n", "name: other\n", "userManagement:",
		"tls: {secretName: other-cert}\n  userManagement:").Replace(serverYAML)
	// The TLS Secret comes as a kubectl List, as `kubectl get secret -o yaml` prints it.
	tlsList := `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  type: kubernetes.io/tls
  metadata: {name: other-cert, namespace: tenant-a}
  data:
    tls.crt: ` + base64.StdEncoding.EncodeToString(certPEM) + `
    tls.key: ` + base64.StdEncoding.EncodeToString(keyPEM) + "\n"
	paths := writeFiles(t, map[string]string{"servers.yaml": serverYAML + "---\n" + other,
		"oadp.yaml": bslAndSecretsYAML, "tls.yaml": tlsList})
	files := []string{"-f", paths["servers.yaml"], "-f", paths["oadp.yaml"], "-f", paths["tls.yaml"]}

	code, _, stderr := runCommand(t, "", append([]string{"render"}, files...)...)
	if code != 2 || !strings.Contains(stderr, "tenant-a/other, tenant-a/vms") || !strings.Contains(stderr, "--name") {
		t.Errorf("two servers without --name: exit %d, %s", code, stderr)
	}

	code, stdout, stderr := runCommand(t, "", append([]string{"render", "--name", "tenant-a/other"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "tlsFingerprint: "+fingerprint+"\n") || strings.Contains(stdout, "name: other-tls\n") {
		t.Errorf("the named TLS Secret is not used, or a certificate was generated:\n%s", stdout)
	}
}

func TestRenderErrors(t *testing.T) {
	azure := strings.Replace(bslAndSecretsYAML, "provider: aws", "provider: azure", 1)
	tests := []struct {
		name  string
		files map[string]string
		code  int
		want  []string
	}{
		{"missing BSL", map[string]string{"bsls.yaml": serverYAML}, 1,
			[]string{"BackupStorageLocation openshift-adp/default", "spec.backupStorageLocation", "bsls.yaml"}},
		{"BSL in another namespace", map[string]string{"bsls.yaml": serverYAML,
			"oadp.yaml": strings.Replace(bslAndSecretsYAML, "namespace: openshift-adp", "namespace: velero", 1)}, 1,
			[]string{"BackupStorageLocation openshift-adp/default", "found: velero/default"}},
		{"missing credentials", map[string]string{"bsls.yaml": serverYAML,
			"oadp.yaml": strings.Split(bslAndSecretsYAML, "---")[0]}, 1,
			[]string{"Secret openshift-adp/cloud-credentials", "default credential", "oadp.yaml"}},
		{"missing named TLS Secret", map[string]string{"oadp.yaml": bslAndSecretsYAML,
			"bsls.yaml": strings.Replace(serverYAML, "userManagement:", "tls: {secretName: absent}\n  userManagement:", 1)}, 1,
			[]string{"Secret tenant-a/absent", "spec.tls.secretName"}},
		{"no server", map[string]string{"oadp.yaml": bslAndSecretsYAML}, 1,
			[]string{"a BackupStorageLocationServer", "oadp.yaml"}},
		{"render error", map[string]string{"bsls.yaml": serverYAML, "oadp.yaml": azure}, 1,
			[]string{"BSLProviderUnsupported: ", "azure"}},
		{"YAML error", map[string]string{"bsls.yaml": serverYAML + "---\nkind: [unclosed\n"}, 1,
			[]string{"bsls.yaml: document 2:"}},
		{"unknown field", map[string]string{"bsls.yaml": strings.Replace(serverYAML, "spec:", "spec:\n  serivce: {}", 1)}, 1,
			[]string{"bsls.yaml: document 1:", `unknown field "serivce"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := writeFiles(t, tt.files)
			args := []string{"render"}
			for _, path := range paths {
				args = append(args, "-f", path)
			}
			code, stdout, stderr := runCommand(t, "", args...)
			if code != tt.code || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit %d and no output", code, stdout, tt.code)
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q lacks %q", stderr, want)
				}
			}
		})
	}
}

func TestRenderUsage(t *testing.T) {
	for _, args := range [][]string{{"render"}, {"render", "-f"}, {"render", "-f", "x.yaml", "extra"}, {"render", "--bogus"}} {
		if code, _, _ := runCommand(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runCommand(t, "", "render", "-f", filepath.Join(t.TempDir(), "absent.yaml")); code != 1 ||
		!strings.Contains(stderr, "absent.yaml") {
		t.Errorf("unreadable file: exit %d, %s", code, stderr)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
