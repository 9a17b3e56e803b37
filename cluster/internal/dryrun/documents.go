// Package dryrun reads the objects of a BackupStorageLocationServer from YAML files and prints
// rendered objects as YAML: the offline side of `bsls-controller render`, an admin's dry run
// without a cluster.
package dryrun

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// Documents are the objects of the kinds render needs, read from files. Other kinds are
// skipped: a file may hold a whole application.
type Documents struct {
	// Files are the paths read, in order, for error messages.
	Files   []string
	Servers []*v1alpha1.BackupStorageLocationServer
	BSLs    []*velerov1.BackupStorageLocation
	Secrets []*corev1.Secret
}

// Load reads every YAML document of every file; a document may also be a `kind: List` (as
// `kubectl get -o yaml` prints). Objects without a namespace get defaultNamespace, as kubectl
// would give them. A parse error names the file and the 1-based document index.
func Load(paths []string, defaultNamespace string) (*Documents, error) {
	docs := &Documents{}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		docs.Files = append(docs.Files, path)
		if err := docs.add(path, data, defaultNamespace); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func (d *Documents) add(path string, data []byte, defaultNamespace string) error {
	reader := k8syaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for index := 1; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: document %d: %w", path, index, err)
		}
		if err := d.addDocument(doc, defaultNamespace); err != nil {
			return fmt.Errorf("%s: document %d: %w", path, index, err)
		}
	}
}

func (d *Documents) addDocument(doc []byte, defaultNamespace string) error {
	object, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	if trimmed := bytes.TrimSpace(object); len(trimmed) == 0 || string(trimmed) == "null" {
		return nil // empty or comment-only document
	}
	var header struct {
		metav1.TypeMeta
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(object, &header); err != nil {
		return fmt.Errorf("not a Kubernetes object: %w", err)
	}
	if header.Kind == "" || header.APIVersion == "" {
		return errors.New("not a Kubernetes object: apiVersion and kind are required")
	}
	if header.APIVersion == "v1" && strings.HasSuffix(header.Kind, "List") {
		for i, item := range header.Items {
			if err := d.addDocument(item, defaultNamespace); err != nil {
				return fmt.Errorf("%s item %d: %w", header.Kind, i+1, err)
			}
		}
		return nil
	}
	return d.addObject(header.TypeMeta, object, defaultNamespace)
}

func (d *Documents) addObject(kind metav1.TypeMeta, object []byte, defaultNamespace string) error {
	var target metav1.Object
	switch {
	case kind.Kind == "BackupStorageLocationServer" && kind.APIVersion == v1alpha1.GroupVersion.String():
		server := &v1alpha1.BackupStorageLocationServer{}
		d.Servers, target = append(d.Servers, server), server
	case kind.Kind == "BackupStorageLocation" && kind.APIVersion == velerov1.SchemeGroupVersion.String():
		bsl := &velerov1.BackupStorageLocation{}
		d.BSLs, target = append(d.BSLs, bsl), bsl
	case kind.Kind == "Secret" && kind.APIVersion == "v1":
		secret := &corev1.Secret{}
		d.Secrets, target = append(d.Secrets, secret), secret
	default:
		return nil
	}
	decoder := json.NewDecoder(bytes.NewReader(object))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(target); err != nil {
		return fmt.Errorf("%s: %w", kind.Kind, err)
	}
	if target.GetNamespace() == "" {
		target.SetNamespace(defaultNamespace)
	}
	if secret, ok := target.(*corev1.Secret); ok {
		mergeStringData(secret)
	}
	return nil
}

// mergeStringData does what the apiserver does on write: stringData entries override data.
func mergeStringData(secret *corev1.Secret) {
	if len(secret.StringData) == 0 {
		return
	}
	if secret.Data == nil {
		secret.Data = map[string][]byte{}
	}
	for key, value := range secret.StringData {
		secret.Data[key] = []byte(value)
	}
	secret.StringData = nil
}
