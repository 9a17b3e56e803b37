package dryrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "objects.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadReadsDocumentsListsAndStringData(t *testing.T) {
	path := writeFile(t, `# leading comment only
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {cloud: b2xk, kept: a2VwdA==}
stringData: {cloud: new}
---
apiVersion: v1
kind: SecretList
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: listed, namespace: other}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ignored}
---
apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata: {name: default, namespace: openshift-adp}
spec: {provider: aws, objectStorage: {bucket: b}}
---
apiVersion: oadp.openshift.io/v1alpha2
kind: BackupStorageLocationServer
metadata: {name: another-version-is-ignored}
`)
	docs, err := Load([]string{path}, "fallback")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs.Secrets) != 2 || len(docs.BSLs) != 1 || len(docs.Servers) != 0 {
		t.Fatalf("secrets %d BSLs %d servers %d", len(docs.Secrets), len(docs.BSLs), len(docs.Servers))
	}
	creds := docs.Secrets[0]
	if creds.Namespace != "fallback" || string(creds.Data["cloud"]) != "new" || string(creds.Data["kept"]) != "kept" ||
		creds.StringData != nil {
		t.Errorf("creds %s/%s data %q stringData %v", creds.Namespace, creds.Name, creds.Data, creds.StringData)
	}
	if listed := docs.Secrets[1]; listed.Namespace != "other" || listed.Name != "listed" {
		t.Errorf("listed Secret %s/%s", listed.Namespace, listed.Name)
	}
}

func TestLoadErrorsNameFileAndDocument(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"bad YAML", "apiVersion: v1\nkind: Secret\n---\na: [b\n", "document 2: "},
		{"not an object", "- just\n- a list\n", "document 1: not a Kubernetes object"},
		{"no kind", "apiVersion: v1\nmetadata: {name: x}\n", "document 1: not a Kubernetes object: apiVersion and kind are required"},
		{"wrong field type", "apiVersion: v1\nkind: Secret\nmetadata: {name: [x]}\n", "document 1: Secret: "},
		{"bad list item", "apiVersion: v1\nkind: List\nitems:\n- {kind: Secret}\n", "document 1: List item 1: not a Kubernetes object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.content)
			_, err := Load([]string{path}, "default")
			if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %s: …%s…", err, path, tt.want)
			}
		})
	}
}
