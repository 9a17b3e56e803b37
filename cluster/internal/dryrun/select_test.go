package dryrun

import (
	"errors"
	"strings"
	"testing"
)

const selectServer = `apiVersion: oadp.openshift.io/v1alpha1
kind: BackupStorageLocationServer
metadata: {name: vms}
spec:
  backupStorageLocation: {name: store, namespace: velero}
  repositoryPasswordSecret: {name: p, key: k}
  userManagement: {source: {secret: {name: u, key: users}}}
---
apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata: {name: store, namespace: velero}
spec:
  provider: aws
  objectStorage: {bucket: b}
  credential: {name: s3-keys, key: ini}
---
apiVersion: v1
kind: Secret
metadata: {name: s3-keys, namespace: velero}
stringData: {ini: "[default]\n"}
`

func TestInputsFollowsTheBSLCredentialAndAnExistingGeneratedCertificate(t *testing.T) {
	withTLS := selectServer + `---
apiVersion: v1
kind: Secret
metadata: {name: vms-tls}
stringData: {tls.crt: the-cert, tls.key: the-key}
`
	docs, err := Load([]string{writeFile(t, withTLS)}, "ns")
	if err != nil {
		t.Fatal(err)
	}
	server, err := docs.Server("ns/vms")
	if err != nil {
		t.Fatal(err)
	}
	if server.Spec.Service == nil || server.Spec.Service.Port != 51515 {
		t.Errorf("defaults not applied: %+v", server.Spec.Service)
	}
	in, err := docs.Inputs(server, "img")
	if err != nil {
		t.Fatal(err)
	}
	if in.BSL.Name != "store" || string(in.Credentials) != "[default]\n" || string(in.TLSCertPEM) != "the-cert" ||
		in.Image != "img" {
		t.Errorf("inputs: BSL %s credentials %q cert %q image %q", in.BSL.Name, in.Credentials, in.TLSCertPEM, in.Image)
	}

	// Without the <name>-tls Secret the certificate is left to the caller.
	docs, err = Load([]string{writeFile(t, selectServer)}, "ns")
	if err != nil {
		t.Fatal(err)
	}
	if in, err := docs.Inputs(server, "img"); err != nil || in.TLSCertPEM != nil {
		t.Errorf("TLSCertPEM %q, err %v; want none", in.TLSCertPEM, err)
	}
}

func TestInputsNamesAMissingKeyAndTheKeysPresent(t *testing.T) {
	docs, err := Load([]string{writeFile(t, strings.Replace(selectServer, "{ini:", "{other:", 1))}, "ns")
	if err != nil {
		t.Fatal(err)
	}
	server, err := docs.Server("")
	if err != nil {
		t.Fatal(err)
	}
	_, err = docs.Inputs(server, "img")
	var missing *MissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "key ini of Secret velero/s3-keys") ||
		!strings.Contains(err.Error(), "spec.credential") || !strings.HasSuffix(err.Error(), "its keys: other") {
		t.Errorf("error %v", err)
	}
}
