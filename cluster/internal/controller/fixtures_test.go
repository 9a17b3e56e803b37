package controller_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

// Names of the inputs of the test server, all in the test's namespace.
const (
	serverName     = "vm-files"
	bslName        = "default"
	passwordSecret = "repo-password"
	usersSecret    = "kopia-users"
	usersKey       = "users"
	tlsSecret      = "server-cert"
)

// newNamespace creates a namespace for one test. envtest has no namespace controller, so it is
// left behind with the apiserver, which the suite stops.
func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "bsls-test-"}}
	create(t, ns)
	return ns.Name
}

func create(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Create(context.Background(), obj); err != nil {
		t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
	}
}

// newServer is a server in ns on the BSL `default` of ns (not openshift-adp, so tests stay
// apart), with a Secret user list; tls names the certificate Secret, or "" to have one generated.
func newServer(ns, tls string) *v1alpha1.BackupStorageLocationServer {
	s := &v1alpha1.BackupStorageLocationServer{
		ObjectMeta: metav1.ObjectMeta{Name: serverName, Namespace: ns},
		Spec: v1alpha1.BackupStorageLocationServerSpec{
			BackupStorageLocation: v1alpha1.BackupStorageLocationRef{Name: bslName, Namespace: ns},
			RepositoryPasswordSecret: corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: passwordSecret}, Key: "password",
			},
			UserManagement: v1alpha1.UserManagementSpec{Source: v1alpha1.UserSource{
				Secret: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: usersSecret}, Key: usersKey,
				},
			}},
		},
	}
	if tls != "" {
		s.Spec.TLS = &v1alpha1.TLSSpec{SecretName: tls}
	}
	return s
}

// newBSL is an S3-compatible BSL; its credentials are Velero's default Secret cloud-credentials.
func newBSL(ns, provider string) *velerov1.BackupStorageLocation {
	return &velerov1.BackupStorageLocation{
		ObjectMeta: metav1.ObjectMeta{Name: bslName, Namespace: ns},
		Spec: velerov1.BackupStorageLocationSpec{
			Provider: provider,
			StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
				Bucket: "velero", Prefix: "cluster-1",
			}},
			Config: map[string]string{"region": "minio", "s3Url": "http://minio.storage.svc:9000"},
		},
	}
}

func newSecret(ns, name string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

func credentialSecret(ns string) *corev1.Secret {
	return newSecret(ns, "cloud-credentials", map[string]string{
		"cloud": "[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = test-secret-key\n"})
}

func passwordSecretOf(ns string) *corev1.Secret {
	return newSecret(ns, passwordSecret, map[string]string{"password": "repository-password"})
}

var (
	userLineOnce sync.Once
	userLineText string
)

// userLine is one valid users file line (a real kopia hash, made once: scrypt takes ~100 ms).
func userLine(t *testing.T) string {
	t.Helper()
	userLineOnce.Do(func() {
		hash, err := userlist.HashPassword("vm-password")
		if err != nil {
			t.Fatalf("hashing: %v", err)
		}
		userLineText = "alice@vm-1:" + hash + "\n"
	})
	return userLineText
}

func usersSecretOf(t *testing.T, ns string) *corev1.Secret {
	return newSecret(ns, usersSecret, map[string]string{usersKey: "# the VMs\n" + userLine(t)})
}

func tlsSecretOf(t *testing.T, ns string) *corev1.Secret {
	t.Helper()
	certPEM, keyPEM, err := tlscert.GenerateSelfSigned([]string{"kopia.example.com"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := newSecret(ns, tlsSecret, map[string]string{
		corev1.TLSCertKey: string(certPEM), corev1.TLSPrivateKeyKey: string(keyPEM)})
	s.Type = corev1.SecretTypeTLS
	return s
}

// waitFor polls check until it returns "" and fails the test with the last answer after a
// generous deadline (the controller usually answers within a second; 2 shared cores are slow).
func waitFor(t *testing.T, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		problem := check()
		if problem == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s", what, problem)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func getServer(t *testing.T, ns string) *v1alpha1.BackupStorageLocationServer {
	t.Helper()
	s := &v1alpha1.BackupStorageLocationServer{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: serverName}, s); err != nil {
		t.Fatalf("reading the server: %v", err)
	}
	return s
}

// waitCondition waits until the server's condition has status and reason and its message
// contains every one of wantInMessage, and returns the server as it was then.
func waitCondition(t *testing.T, ns, conditionType string, status metav1.ConditionStatus, reason string,
	wantInMessage ...string) *v1alpha1.BackupStorageLocationServer {
	t.Helper()
	var s *v1alpha1.BackupStorageLocationServer
	waitFor(t, conditionType+"="+string(status)+" "+reason, func() string {
		s = getServer(t, ns)
		c := meta.FindStatusCondition(s.Status.Conditions, conditionType)
		if c == nil {
			return "no condition yet"
		}
		if c.Status != status || c.Reason != reason || c.ObservedGeneration != s.Generation {
			return "got " + string(c.Status) + " " + c.Reason + ": " + c.Message
		}
		for _, want := range wantInMessage {
			if !strings.Contains(c.Message, want) {
				return "message " + c.Message + " lacks " + want
			}
		}
		return ""
	})
	return s
}
