package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestGolden compares the rendered objects with testdata/golden/<case>.yaml. After an intended
// change, regenerate with `GUESTBACKUP_UPDATE_GOLDEN=1 go test ./internal/render/` and review
// the diff.
func TestGolden(t *testing.T) {
	tests := map[string]Inputs{
		// defaults, Secret user source, generated TLS Secret, AWS S3 by region, no CA/token.
		"minimal": minimalInputs(),
		// ConfigMap user source, LoadBalancer with annotations, podResources, matchLabels and
		// matchExpressions, allowedNamespaces, session token, CA, custom image, prune false.
		"full": fullInputs(),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got := renderYAML(t, in)
			path := filepath.Join("testdata", "golden", name+".yaml")
			if os.Getenv("GUESTBACKUP_UPDATE_GOLDEN") == "1" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with GUESTBACKUP_UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rendered objects differ from %s (GUESTBACKUP_UPDATE_GOLDEN=1 regenerates it); got:\n%s", path, got)
			}
		})
	}
}

// TestRenderIsDeterministic renders the same inputs twice: map iteration order must not leak
// into the output (it would churn server-side apply and roll the pod).
func TestRenderIsDeterministic(t *testing.T) {
	for i := 0; i < 5; i++ {
		if a, b := renderYAML(t, fullInputs()), renderYAML(t, fullInputs()); !bytes.Equal(a, b) {
			t.Fatalf("two renders differ:\n%s\n---\n%s", a, b)
		}
	}
}

// renderYAML is the golden form: the status values as a comment, then the objects in apply
// order as a YAML stream.
func renderYAML(t *testing.T, in Inputs) []byte {
	t.Helper()
	objects, err := Render(in)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "# serviceURL: %s\n# tlsFingerprint: %s\n", objects.ServiceURL, objects.TLSFingerprint)
	for _, obj := range objects.List() {
		doc, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString("---\n")
		out.Write(doc)
	}
	return out.Bytes()
}
