package dryrun

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// Velero's credential Secret when the BSL names none: what OADP creates (`cloud-credentials`,
// key `cloud`) in the BSL's namespace.
const (
	DefaultCredentialSecret = "cloud-credentials"
	DefaultCredentialKey    = "cloud"
)

// MissingError says an object the server needs is not among the documents. The controller
// reports the same situations as conditions; offline they are plain errors.
type MissingError struct {
	What  string // "BackupStorageLocation openshift-adp/default" or "key cloud of Secret …"
	Why   string // which reference led there
	Files []string
	Found []string // objects of the same kind that were present, to spot a namespace mix-up
	// FoundLabel introduces Found; "found" when empty.
	FoundLabel string
}

func (e *MissingError) Error() string {
	msg := fmt.Sprintf("%s (%s) not found in %s", e.What, e.Why, strings.Join(e.Files, ", "))
	if len(e.Found) > 0 {
		label := e.FoundLabel
		if label == "" {
			label = "found"
		}
		msg += "; " + label + ": " + strings.Join(e.Found, ", ")
	}
	return msg
}

// AmbiguousError says several servers are present and none was chosen.
type AmbiguousError struct{ Names []string }

func (e *AmbiguousError) Error() string {
	return "several BackupStorageLocationServers (" + strings.Join(e.Names, ", ") + "): choose one with --name"
}

// Server returns the one BackupStorageLocationServer, or the one called name when name is not
// empty ("NAME" or "NAMESPACE/NAME"). Its CRD defaults are applied (render.ApplyDefaults).
func (d *Documents) Server(name string) (*v1alpha1.BackupStorageLocationServer, error) {
	var matches []*v1alpha1.BackupStorageLocationServer
	var all []string
	for _, s := range d.Servers {
		all = append(all, s.Namespace+"/"+s.Name)
		if name == "" || name == s.Name || name == s.Namespace+"/"+s.Name {
			matches = append(matches, s)
		}
	}
	switch {
	case len(matches) == 0:
		what := "a BackupStorageLocationServer"
		if name != "" {
			what = "BackupStorageLocationServer " + name
		}
		return nil, &MissingError{What: what, Why: "the server to render", Files: d.Files, Found: all}
	case len(matches) > 1:
		names := make([]string, 0, len(matches))
		for _, s := range matches {
			names = append(names, s.Namespace+"/"+s.Name)
		}
		sort.Strings(names)
		return nil, &AmbiguousError{Names: names}
	}
	server := matches[0].DeepCopy()
	render.ApplyDefaults(server)
	return server, nil
}

// Inputs collects what render.Render needs for server (already defaulted): its BSL, the BSL's
// credentials file and the certificate. tlsCertPEM is nil, without error, when spec.tls is
// unset and no `<name>-tls` Secret is among the documents: the caller generates one, as the
// controller would.
func (d *Documents) Inputs(server *v1alpha1.BackupStorageLocationServer, image string) (render.Inputs, error) {
	in := render.Inputs{Server: server, Image: image}
	ref := server.Spec.BackupStorageLocation
	for _, bsl := range d.BSLs {
		if bsl.Namespace == ref.Namespace && bsl.Name == ref.Name {
			in.BSL = bsl
		}
	}
	if in.BSL == nil {
		var found []string
		for _, bsl := range d.BSLs {
			found = append(found, bsl.Namespace+"/"+bsl.Name)
		}
		return in, &MissingError{What: "BackupStorageLocation " + ref.Namespace + "/" + ref.Name,
			Why: "spec.backupStorageLocation", Files: d.Files, Found: found}
	}

	credential := corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: DefaultCredentialSecret},
		Key:                  DefaultCredentialKey,
	}
	why := "the BackupStorageLocation's default credential"
	if in.BSL.Spec.Credential != nil {
		credential, why = *in.BSL.Spec.Credential, "the BackupStorageLocation's spec.credential"
	}
	credentials, err := d.secretKey(in.BSL.Namespace, credential.Name, credential.Key, why)
	if err != nil {
		return in, err
	}
	in.Credentials = credentials

	if server.Spec.TLS != nil && server.Spec.TLS.SecretName != "" {
		in.TLSCertPEM, err = d.secretKey(server.Namespace, server.Spec.TLS.SecretName, corev1.TLSCertKey,
			"spec.tls.secretName")
		return in, err
	}
	if d.secret(server.Namespace, render.GeneratedTLSSecretName(server)) != nil {
		in.TLSCertPEM, err = d.secretKey(server.Namespace, render.GeneratedTLSSecretName(server),
			corev1.TLSCertKey, "the generated certificate")
	}
	return in, err
}

func (d *Documents) secret(namespace, name string) *corev1.Secret {
	var found *corev1.Secret
	for _, secret := range d.Secrets {
		if secret.Namespace == namespace && secret.Name == name {
			found = secret // a later document wins, as a later apply would
		}
	}
	return found
}

// secretKey returns the non-empty value of key in Secret namespace/name.
func (d *Documents) secretKey(namespace, name, key, why string) ([]byte, error) {
	secret := d.secret(namespace, name)
	if secret == nil {
		var found []string
		for _, s := range d.Secrets {
			found = append(found, s.Namespace+"/"+s.Name)
		}
		return nil, &MissingError{What: "Secret " + namespace + "/" + name, Why: why, Files: d.Files, Found: found}
	}
	value := secret.Data[key]
	if len(value) == 0 {
		keys := make([]string, 0, len(secret.Data))
		for k := range secret.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, &MissingError{What: "key " + key + " of Secret " + namespace + "/" + name, Why: why,
			Files: d.Files, Found: keys, FoundLabel: "its keys"}
	}
	return value, nil
}
