package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
)

func TestManagerRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"manager", "--no-such-flag"}, {"manager", "extra"}} {
		if code, _, stderr := runCommand(t, "", args...); code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
}

// TestManagerRunsTheController runs `bsls-controller manager` in-process against a real
// apiserver (KUBECONFIG): its probe endpoint answers, it reconciles a server, and it stops
// cleanly when its context ends (SIGTERM in production).
func TestManagerRunsTheController(t *testing.T) {
	env := kubeenv.Start(t)
	t.Setenv("KUBECONFIG", writeKubeconfig(t, env.Config))
	probe := freeAddress(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- runManagerUntil([]string{"--metrics-bind-address=0", "--health-probe-bind-address=" + probe,
			"--image=registry.example.com/bsls-server:test"}, &stderr, func() context.Context { return ctx })
	}()

	waitUntil(t, "/readyz to answer 200", func() string {
		resp, err := http.Get("http://" + probe + "/readyz")
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return resp.Status
		}
		return ""
	}, exit)

	server := &v1alpha1.BackupStorageLocationServer{
		ObjectMeta: metav1.ObjectMeta{Name: "vm-files", Namespace: "default"},
		Spec: v1alpha1.BackupStorageLocationServerSpec{
			BackupStorageLocation: v1alpha1.BackupStorageLocationRef{Name: "absent"},
			RepositoryPasswordSecret: corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "p"}, Key: "password"},
			UserManagement: v1alpha1.UserManagementSpec{Source: v1alpha1.UserSource{
				Secret: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "u"}, Key: "users"}}},
		},
	}
	if err := env.Client.Create(context.Background(), server); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the server to be reconciled", func() string {
		if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(server), server); err != nil {
			return err.Error()
		}
		if c := meta.FindStatusCondition(server.Status.Conditions, controller.ConditionDegraded); c == nil ||
			c.Reason != controller.ReasonBSLNotFound {
			return fmt.Sprintf("Degraded: %+v", c)
		}
		return ""
	}, exit)

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d after a stop; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the manager did not stop within 60 s of its context ending")
	}
}

// waitUntil polls check until it returns "", failing with its last answer after a minute or
// when the manager exits early.
func waitUntil(t *testing.T, what string, check func() string, exit <-chan int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		problem := check()
		if problem == "" {
			return
		}
		select {
		case code := <-exit:
			t.Fatalf("the manager exited (%d) while waiting for %s", code, what)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s", what, problem)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeKubeconfig writes cfg (envtest's client certificate) as a kubeconfig file.
func writeKubeconfig(t *testing.T, cfg *rest.Config) string {
	t.Helper()
	kubeconfig := clientcmdapi.NewConfig()
	kubeconfig.Clusters["envtest"] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthorityData: cfg.CAData}
	kubeconfig.AuthInfos["admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: cfg.CertData, ClientKeyData: cfg.KeyData}
	kubeconfig.Contexts["envtest"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: "admin"}
	kubeconfig.CurrentContext = "envtest"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kubeconfig, path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// lockedBuffer collects the manager's log while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Clone(b.buf.String())
}
