package dryrun

import (
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// Redacted replaces a Secret value in the output unless secrets are shown.
func Redacted(value []byte) string { return fmt.Sprintf("<redacted: %d bytes>", len(value)) }

// Print writes objects as a YAML stream, each document introduced by `---`. Server-owned
// fields that a desired object leaves empty (status, creationTimestamp) are dropped. Secret
// values are replaced by Redacted(value) unless showSecrets.
func Print(w io.Writer, objects []client.Object, showSecrets bool) error {
	for _, obj := range objects {
		fields, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			return fmt.Errorf("%s %s: %w", obj.GetObjectKind().GroupVersionKind().Kind, obj.GetName(), err)
		}
		delete(fields, "status")
		if metadata, ok := fields["metadata"].(map[string]any); ok {
			delete(metadata, "creationTimestamp")
		}
		if secret, ok := obj.(*corev1.Secret); ok && !showSecrets {
			redact(fields, secret)
		}
		doc, err := yaml.Marshal(fields)
		if err != nil {
			return fmt.Errorf("%s %s: %w", obj.GetObjectKind().GroupVersionKind().Kind, obj.GetName(), err)
		}
		if _, err := fmt.Fprintf(w, "---\n%s", doc); err != nil {
			return err
		}
	}
	return nil
}

// redact replaces the values of data and stringData in fields, the unstructured form of
// secret, by their redacted form (lengths of the decoded values).
func redact(fields map[string]any, secret *corev1.Secret) {
	if len(secret.Data) > 0 {
		data := make(map[string]any, len(secret.Data))
		for key, value := range secret.Data {
			data[key] = Redacted(value)
		}
		fields["data"] = data
	}
	if len(secret.StringData) > 0 {
		data := make(map[string]any, len(secret.StringData))
		for key, value := range secret.StringData {
			data[key] = Redacted([]byte(value))
		}
		fields["stringData"] = data
	}
}
