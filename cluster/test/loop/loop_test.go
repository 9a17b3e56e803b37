package loop

// The whole loop (issue: cluster controller, §5): MinIO over TLS on loopback as the BSL's
// bucket, the real apiserver and the controller, the kubelet test double running the rendered
// pod's commands with the real kopia, and the guestbackup agent configured only from the
// BSLS status, the client-config ConfigMap and its user's password.
// Needs KUBEBUILDER_ASSETS, GUESTBACKUP_MINIO, GUESTBACKUP_KOPIA and GUESTBACKUP_AGENT (ctest
// sets them); skipped when one is missing.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kopia"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/kubeenv"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/minio"
	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

const (
	bucket       = "velero"
	bslPrefix    = "cluster-a"
	vmNamespace  = "vms"
	serverName   = "backup"
	usersKey     = "users"
	alicePass1   = "alice first password"
	alicePass2   = "alice rotated password"
	bobPassword  = "bob's password"
	waitForReady = 3 * time.Minute
)

func TestLoop(t *testing.T) {
	agentBinary := require.Env(t, "GUESTBACKUP_AGENT", "the guestbackup binary; ctest sets it")
	kopiaBinary := kopia.Binary(t)
	s3 := minio.Start(t, minio.Options{TLS: true})
	s3.CreateBucket(t, bucket)
	env := kubeenv.Start(t)
	controllerBinary := buildController(t)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	startController(ctx, t, env)
	c := env.Client

	// The cluster: Velero's BSL and its credentials in openshift-adp, the server in vms.
	for _, ns := range []string{v1alpha1.DefaultBSLNamespace, vmNamespace} {
		mustCreate(ctx, t, c, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	mustCreate(ctx, t, c, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "cloud-credentials", Namespace: v1alpha1.DefaultBSLNamespace},
		Data: map[string][]byte{"cloud": fmt.Appendf(nil,
			"[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", s3.AccessKey, s3.SecretKey)},
	})
	mustCreate(ctx, t, c, &velerov1.BackupStorageLocation{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: v1alpha1.DefaultBSLNamespace},
		Spec: velerov1.BackupStorageLocationSpec{
			Provider: "aws",
			StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
				Bucket: bucket, Prefix: bslPrefix, CACert: s3.CAPEM,
			}},
			Config: map[string]string{"region": s3.Region, "s3Url": s3.URL},
		},
	})
	mustCreate(ctx, t, c, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "repository-password", Namespace: vmNamespace},
		Data:       map[string][]byte{"password": []byte("the repository password")},
	})
	mustCreate(ctx, t, c, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "kopia-users", Namespace: vmNamespace},
		Data: map[string][]byte{usersKey: userList(t,
			"alice@vm1", alicePass1, "bob@vm2", bobPassword)},
	})
	server := &v1alpha1.BackupStorageLocationServer{
		ObjectMeta: metav1.ObjectMeta{Name: serverName, Namespace: vmNamespace},
		Spec: v1alpha1.BackupStorageLocationServerSpec{
			BackupStorageLocation: v1alpha1.BackupStorageLocationRef{Name: "default"},
			RepositoryPasswordSecret: corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "repository-password"}, Key: "password"},
			UserManagement: v1alpha1.UserManagementSpec{Source: v1alpha1.UserSource{
				Secret: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: "kopia-users"}, Key: usersKey},
			}},
		},
	}
	mustCreate(ctx, t, c, server)

	// The controller renders the Deployment; the kubelet double runs its pod.
	deploymentKey := types.NamespacedName{Namespace: vmNamespace, Name: serverName}
	waitFor(t, "the server Deployment", time.Minute, func() (bool, string) {
		err := c.Get(ctx, deploymentKey, &appsv1.Deployment{})
		return err == nil, fmt.Sprint(err)
	})
	kubelet := &KubeletDouble{
		Client:   c,
		Binaries: map[string]string{render.KopiaCommand: kopiaBinary, render.ControllerCommand: controllerBinary},
		Root:     t.TempDir(),
		Logf:     t.Logf,
	}
	pod, err := kubelet.Start(ctx, deploymentKey)
	if pod != nil {
		t.Cleanup(pod.Stop)
	}
	if err != nil {
		t.Fatalf("starting the server pod: %v\ninit log:\n%s", err, logOf(pod, render.ContainerInit))
	}
	if err := pod.WaitReady(ctx, time.Minute); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, pod.Log(render.ContainerServer))
	}

	// Status: Ready, with where to connect and what to pin.
	waitFor(t, "Ready=True", waitForReady, func() (bool, string) {
		if err := c.Get(ctx, client.ObjectKeyFromObject(server), server); err != nil {
			return false, err.Error()
		}
		ready := meta.FindStatusCondition(server.Status.Conditions, "Ready")
		return ready != nil && ready.Status == metav1.ConditionTrue, fmt.Sprintf("%+v", server.Status)
	})
	if want := "backup.vms.svc:51515"; server.Status.ServiceURL != want {
		t.Errorf("status.serviceURL = %q, want %q", server.Status.ServiceURL, want)
	}
	if server.Status.RepositoryStatus != v1alpha1.RepositoryInitialized {
		t.Errorf("status.repositoryStatus = %q", server.Status.RepositoryStatus)
	}
	var clientConfig corev1.ConfigMap
	if err := c.Get(ctx, types.NamespacedName{Namespace: vmNamespace, Name: render.ClientConfigName(server)}, &clientConfig); err != nil {
		t.Fatalf("reading the client-config ConfigMap: %v", err)
	}
	fingerprint := clientConfig.Data[render.ClientConfigTLSFingerprintKey]
	if fingerprint == "" || fingerprint != server.Status.TLSFingerprint {
		t.Fatalf("client-config tlsFingerprint %q, status.tlsFingerprint %q: want equal and set",
			fingerprint, server.Status.TLSFingerprint)
	}
	serverURL := reachable(t, pod, clientConfig.Data[render.ClientConfigServiceURLKey])

	// Alice backs up and restores a file by path.
	alice := &Agent{Binary: agentBinary, Kopia: kopiaBinary, Dir: t.TempDir(), User: "alice", Host: "vm1"}
	if err := alice.Configure(ServerConfig{URL: serverURL, Fingerprint: fingerprint, Password: alicePass1}); err != nil {
		t.Fatal(err)
	}
	original := []byte("quarterly report, version 1\n")
	file := filepath.Join(alice.DataDir(), "report.txt")
	if err := os.WriteFile(file, original, 0o600); err != nil {
		t.Fatal(err)
	}
	mustAgent(ctx, t, alice, 0, "run", "docs")
	if err := os.WriteFile(file, []byte("overwritten by mistake\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	restoreDir := filepath.Join(alice.Dir, "restored")
	mustAgent(ctx, t, alice, 0, "restore", file, "--to", restoreDir)
	restored, err := os.ReadFile(filepath.Join(restoreDir, "report.txt"))
	if err != nil || string(restored) != string(original) {
		t.Fatalf("restored %q (%v), want %q", restored, err, original)
	}

	// The bucket holds the repository under the documented prefix and nothing else.
	wantPrefix := bslPrefix + "/kopia/_bsls/" + vmNamespace + "/" + serverName + "/"
	keys := s3.ListObjects(t, bucket, "")
	if len(keys) == 0 {
		t.Fatal("the bucket is empty after a backup")
	}
	for _, key := range keys {
		if !strings.HasPrefix(key, wantPrefix) {
			t.Errorf("object %q is outside %q", key, wantPrefix)
		}
	}
	t.Logf("the bucket holds %d objects, all under %s", len(keys), wantPrefix)

	// Bob, another VM's user on the same server, sees none of Alice's snapshots.
	if n := snapshotCount(t, kopiaBinary, serverURL, fingerprint, "alice", "vm1", alicePass1); n != 1 {
		t.Errorf("alice sees %d snapshots, want 1", n)
	}
	if n := snapshotCount(t, kopiaBinary, serverURL, fingerprint, "bob", "vm2", bobPassword); n != 0 {
		t.Errorf("bob sees %d snapshots, want 0 (ACLs)", n)
	}

	// Rotating Alice's password in the Secret takes effect without restarting the server.
	serverPID := pod.PID(render.ContainerServer)
	var users corev1.Secret
	if err := c.Get(ctx, types.NamespacedName{Namespace: vmNamespace, Name: "kopia-users"}, &users); err != nil {
		t.Fatal(err)
	}
	users.Data[usersKey] = userList(t, "alice@vm1", alicePass2, "bob@vm2", bobPassword)
	if err := c.Update(ctx, &users); err != nil {
		t.Fatalf("rotating alice's password: %v", err)
	}
	if err := alice.Configure(ServerConfig{URL: serverURL, Fingerprint: fingerprint, Password: alicePass2}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new password to be accepted", 2*time.Minute, func() (bool, string) {
		r, err := alice.Run(ctx, "snapshots")
		return err == nil && r.ExitCode == 0, fmt.Sprintf("exit %d: %s %v", r.ExitCode, r.Stderr, err)
	})
	if err := alice.Configure(ServerConfig{URL: serverURL, Fingerprint: fingerprint, Password: alicePass1}); err != nil {
		t.Fatal(err)
	}
	mustAgent(ctx, t, alice, 5, "snapshots")
	if pid := pod.PID(render.ContainerServer); pid != serverPID || pid == 0 {
		t.Errorf("the server process changed from %d to %d: rotation restarted it", serverPID, pid)
	}

	// A new pod (fresh emptyDirs, as after a reschedule) connects to the same repository:
	// Alice's snapshot and her rotated password are still there.
	pod.Stop()
	pod, err = kubelet.Start(ctx, deploymentKey)
	if pod != nil {
		t.Cleanup(pod.Stop)
	}
	if err != nil {
		t.Fatalf("restarting the server pod: %v\ninit log:\n%s", err, logOf(pod, render.ContainerInit))
	}
	if err := pod.WaitReady(ctx, time.Minute); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, pod.Log(render.ContainerServer))
	}
	serverURL = fmt.Sprintf("https://127.0.0.1:%d", pod.HostPort(v1alpha1.DefaultServicePort))
	if err := alice.Configure(ServerConfig{URL: serverURL, Fingerprint: fingerprint, Password: alicePass2}); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(restoreDir); err != nil {
		t.Fatal(err)
	}
	mustAgent(ctx, t, alice, 0, "restore", file, "--to", restoreDir)
	if restored, err := os.ReadFile(filepath.Join(restoreDir, "report.txt")); err != nil || string(restored) != string(original) {
		t.Errorf("after a new pod, restored %q (%v), want %q", restored, err, original)
	}
}

// reachable maps the client-config's in-cluster URL (https://<svc>.<ns>.svc:<port>) to where the
// kubelet double exposes the pod's port: the double stands in for cluster DNS and the Service.
func reachable(t *testing.T, pod *Pod, serviceURL string) string {
	t.Helper()
	u, err := url.Parse(serviceURL)
	if err != nil || u.Scheme != "https" || u.Hostname() != "backup.vms.svc" || u.Port() != "51515" {
		t.Fatalf("client-config serviceURL %q: want https://backup.vms.svc:51515 (%v)", serviceURL, err)
	}
	return fmt.Sprintf("https://127.0.0.1:%d", pod.HostPort(v1alpha1.DefaultServicePort))
}

func userList(t *testing.T, nameAndPassword ...string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("# managed by the loop test\n")
	for i := 0; i < len(nameAndPassword); i += 2 {
		hash, err := userlist.HashPassword(nameAndPassword[i+1])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:%s\n", nameAndPassword[i], hash)
	}
	return []byte(b.String())
}

// snapshotCount connects plain kopia to the server as user@host and counts the snapshots it
// may list (all sources).
func snapshotCount(t *testing.T, bin, serverURL, fingerprint, user, host, password string) int {
	t.Helper()
	home := t.TempDir()
	config := filepath.Join(home, "repository.config")
	env := kopia.Env(home, "KOPIA_PASSWORD="+password)
	kopia.MustRun(t, bin, env, "repository", "connect", "server", "--config-file="+config,
		"--url="+serverURL, "--server-cert-fingerprint="+fingerprint,
		"--override-username="+user, "--override-hostname="+host, "--no-persist-credentials")
	out := kopia.MustRun(t, bin, env, "snapshot", "list", "--config-file="+config, "--all", "--json")
	var snapshots []json.RawMessage
	if err := json.Unmarshal([]byte(out), &snapshots); err != nil {
		t.Fatalf("kopia snapshot list --json as %s@%s: %v: %s", user, host, err, out)
	}
	return len(snapshots)
}

func mustAgent(ctx context.Context, t *testing.T, a *Agent, wantExit int, args ...string) Result {
	t.Helper()
	r, err := a.Run(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != wantExit {
		t.Fatalf("guestbackup %s (as %s@%s): exit %d, want %d\nstdout: %s\nstderr: %s",
			strings.Join(args, " "), a.User, a.Host, r.ExitCode, wantExit, r.Stdout, r.Stderr)
	}
	return r
}

func mustCreate(ctx context.Context, t *testing.T, c client.Client, obj client.Object) {
	t.Helper()
	if err := c.Create(ctx, obj); err != nil {
		t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
	}
}

func waitFor(t *testing.T, what string, timeout time.Duration, done func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, last := done()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s; last: %s", timeout, what, last)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func logOf(pod *Pod, container string) string {
	if pod == nil {
		return ""
	}
	return pod.Log(container)
}

// startController runs the manager in-process, as `bsls-controller manager` does (no leader
// election: one test, one manager).
func startController(ctx context.Context, t *testing.T, env *kubeenv.Env) {
	t.Helper()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Cache:                  controller.CacheOptions(),
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err != nil {
		t.Fatalf("creating the manager: %v", err)
	}
	if err := controller.SetupWithManager(mgr, controller.Options{Image: "bsls-server:test"}); err != nil {
		t.Fatalf("setting up the controller: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Errorf("the manager stopped with: %v", err)
		}
	})
}

// buildController builds cmd/bsls-controller, the binary the pod's init and sidecar run.
func buildController(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bsls-controller")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/bsls-controller")
	cmd.Dir = kubeenv.ModuleRoot()
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building bsls-controller: %v\n%s", err, output)
	}
	return out
}
