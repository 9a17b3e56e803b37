// Package loop holds the end-to-end test of the BackupStorageLocationServer: a real apiserver,
// the real controller, real kopia and MinIO, and the guestbackup agent.
//
// kubelet_double.go is a TEST DOUBLE: it plays the kubelet (and the pod network). The proof on
// a real kubelet, containerd, CNI, kube-proxy and DNS, with the shipped images and manifests, is
// scripts/e2e-cluster (ctest cluster_e2e: root, minutes, a cluster built once); this loop stays
// as the fast one (seconds, no root, part of `go test ./...`) for the controller's and the
// pod's commands. It is the only stand-in in the loop; everything it starts is real. For
// one Deployment it does what a kubelet would, reading only the Deployment's pod template and
// the API: it creates a Pod object, materializes the pod's Secret, ConfigMap and emptyDir
// volumes in local directories (updating Secret/ConfigMap volumes the way the kubelet does, by
// swapping a `..data` symlink), resolves env from secretKeyRef/configMapKeyRef, runs the init
// containers in order and then the containers as local processes, applies the readiness probe,
// and reports container statuses on the Pod and availability on the Deployment.
//
// Where a container and the host differ it translates, and only there:
//   - paths: an argument or env value starting with a volume's mountPath is rewritten to the
//     volume's local directory (a container has its own mount namespace, a process does not);
//   - ports: `0.0.0.0:P`, `127.0.0.1:P` and `localhost:P` for a declared containerPort P become
//     `127.0.0.1:H`, H a free host port (a pod has its own network namespace; this host may
//     already use P);
//   - commands: command[0] is looked up in Binaries, and PATH starts with a directory of links
//     to Binaries (the image's PATH), so a command that runs another one finds it.
//
// The termination message follows terminationMessagePolicy: the container's termination-log
// file when it wrote one, else (FallbackToLogsOnError, on failure) the last 80 lines, at most
// 2048 bytes, of its output, as the kubelet does.
package loop

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// KubeletDouble runs the pods of Deployments as local processes.
type KubeletDouble struct {
	Client client.Client
	// Binaries maps a container's command[0] to a local executable.
	Binaries map[string]string
	// Root is where pods get their volume directories and logs.
	Root string
	// Logf receives progress lines (e.g. testing.T.Logf).
	Logf func(format string, args ...any)
}

// Pod is one pod the double runs.
type Pod struct {
	kubelet    *KubeletDouble
	deployment types.NamespacedName
	name       string
	dir        string
	volumes    map[string]string // volume name -> local directory
	mounts     []mountMapping    // longest mountPath first
	ports      map[int32]int     // containerPort -> host port
	template   corev1.PodTemplateSpec

	mu         sync.Mutex
	containers map[string]*runningContainer
	stopSync   context.CancelFunc
	syncDone   chan struct{}
}

type mountMapping struct{ mountPath, localDir string }

type runningContainer struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// ErrInitFailed is returned by Start when an init container exits non-zero.
var ErrInitFailed = errors.New("an init container failed")

// Start schedules the current pod template of the Deployment: it creates the Pod object, runs
// the init containers and starts the containers. It returns once the containers are started;
// WaitReady then applies the readiness probe.
func (k *KubeletDouble) Start(ctx context.Context, key types.NamespacedName) (*Pod, error) {
	var deployment appsv1.Deployment
	if err := k.Client.Get(ctx, key, &deployment); err != nil {
		return nil, fmt.Errorf("kubelet double: reading Deployment %s: %w", key, err)
	}
	pod := &Pod{
		kubelet:    k,
		deployment: key,
		name:       fmt.Sprintf("%s-%d", key.Name, time.Now().UnixNano()%1_000_000),
		volumes:    map[string]string{},
		ports:      map[int32]int{},
		template:   *deployment.Spec.Template.DeepCopy(),
		containers: map[string]*runningContainer{},
	}
	pod.dir = filepath.Join(k.Root, pod.name)
	if err := os.MkdirAll(pod.dir, 0o700); err != nil {
		return nil, err
	}
	if err := pod.createPodObject(ctx); err != nil {
		return nil, err
	}
	if err := pod.materializeVolumes(ctx); err != nil {
		return nil, err
	}
	if err := pod.linkBinaries(); err != nil {
		return nil, err
	}
	if err := pod.allocatePorts(); err != nil {
		return nil, err
	}
	syncCtx, cancel := context.WithCancel(context.Background())
	pod.stopSync, pod.syncDone = cancel, make(chan struct{})
	go pod.syncVolumesLoop(syncCtx)

	for _, c := range pod.template.Spec.InitContainers {
		code, message, err := pod.runToCompletion(ctx, c)
		if err != nil {
			return pod, err
		}
		if code != 0 {
			k.Logf("kubelet double: init container %s exited %d: %s", c.Name, code, message)
			if err := pod.reportInitFailure(ctx, c.Name, code, message); err != nil {
				return pod, err
			}
			return pod, fmt.Errorf("%w: %s exited %d: %s", ErrInitFailed, c.Name, code, message)
		}
	}
	for _, c := range pod.template.Spec.Containers {
		if err := pod.startContainer(c); err != nil {
			return pod, err
		}
	}
	return pod, nil
}

// HostPort is where a containerPort of the pod is reachable on this host.
func (p *Pod) HostPort(containerPort int32) int { return p.ports[containerPort] }

// PID of a running container's process, 0 when it is not running.
func (p *Pod) PID(container string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if rc, ok := p.containers[container]; ok && rc.cmd.Process != nil {
		select {
		case <-rc.done:
			return 0
		default:
			return rc.cmd.Process.Pid
		}
	}
	return 0
}

// Log returns what a container has printed so far.
func (p *Pod) Log(container string) string {
	data, _ := os.ReadFile(p.logPath(container))
	return string(data)
}

// WaitReady polls the readiness probe of every container that has one, then marks the Pod
// ready and the Deployment available, as the kubelet and the Deployment controller would.
func (p *Pod) WaitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, c := range p.template.Spec.Containers {
		if c.ReadinessProbe == nil {
			continue
		}
		for {
			err := p.probe(ctx, c.ReadinessProbe.ProbeHandler)
			if err == nil {
				break
			}
			if exited := p.exitedEarly(c.Name); exited != nil {
				return fmt.Errorf("kubelet double: container %s exited: %v; log:\n%s", c.Name, exited, p.Log(c.Name))
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("kubelet double: container %s not ready after %s: %v", c.Name, timeout, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := p.reportRunning(ctx); err != nil {
		return err
	}
	return p.markDeploymentAvailable(ctx)
}

// Stop terminates the containers (SIGTERM, then SIGKILL after 10 s) and the volume sync.
func (p *Pod) Stop() {
	if p.stopSync != nil {
		p.stopSync()
		<-p.syncDone
		p.stopSync = nil
	}
	p.mu.Lock()
	running := make([]*runningContainer, 0, len(p.containers))
	for _, rc := range p.containers {
		running = append(running, rc)
	}
	p.mu.Unlock()
	for _, rc := range running {
		_ = rc.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, rc := range running {
		select {
		case <-rc.done:
		case <-time.After(10 * time.Second):
			_ = rc.cmd.Process.Kill()
			<-rc.done
		}
	}
}

func (p *Pod) createPodObject(ctx context.Context) error {
	obj := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: p.name, Namespace: p.deployment.Namespace,
			Labels: p.template.Labels, Annotations: p.template.Annotations,
		},
		Spec: *p.template.Spec.DeepCopy(),
	}
	obj.Spec.NodeName = "kubelet-double"
	if err := p.kubelet.Client.Create(ctx, obj); err != nil {
		return fmt.Errorf("kubelet double: creating Pod %s: %w", p.name, err)
	}
	return nil
}

func (p *Pod) allocatePorts() error {
	for _, c := range p.template.Spec.Containers {
		for _, port := range c.Ports {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			p.ports[port.ContainerPort] = l.Addr().(*net.TCPAddr).Port
			_ = l.Close()
		}
	}
	return nil
}

// translate applies the path and port rewriting described in the file comment.
func (p *Pod) translate(s string) string {
	for _, m := range p.mounts {
		if s == m.mountPath || strings.HasPrefix(s, m.mountPath+"/") {
			return m.localDir + strings.TrimPrefix(s, m.mountPath)
		}
		// --flag=/mount/path/...
		if i := strings.Index(s, "="+m.mountPath); i >= 0 {
			rest := s[i+1:]
			if rest == m.mountPath || strings.HasPrefix(rest, m.mountPath+"/") {
				return s[:i+1] + m.localDir + strings.TrimPrefix(rest, m.mountPath)
			}
		}
	}
	for containerPort, hostPort := range p.ports {
		for _, host := range []string{"0.0.0.0", "127.0.0.1", "localhost"} {
			from := host + ":" + strconv.Itoa(int(containerPort))
			to := "127.0.0.1:" + strconv.Itoa(hostPort)
			if strings.HasSuffix(s, from) || strings.Contains(s, from+"/") {
				s = strings.Replace(s, from, to, 1)
			}
		}
	}
	return s
}

func (p *Pod) commandLine(c corev1.Container) ([]string, error) {
	argv := append(append([]string{}, c.Command...), c.Args...)
	if len(argv) == 0 {
		return nil, fmt.Errorf("kubelet double: container %s has no command (image entrypoints are not known here)", c.Name)
	}
	binary, ok := p.kubelet.Binaries[argv[0]]
	if !ok {
		return nil, fmt.Errorf("kubelet double: no local binary for %q (container %s)", argv[0], c.Name)
	}
	out := []string{binary}
	for _, a := range argv[1:] {
		out = append(out, p.translate(a))
	}
	return out, nil
}

func (p *Pod) environment(ctx context.Context, c corev1.Container) ([]string, error) {
	env := []string{"PATH=" + p.imageBinDir() + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, e := range c.Env {
		value, err := p.envValue(ctx, e)
		if err != nil {
			return nil, fmt.Errorf("kubelet double: container %s env %s: %w", c.Name, e.Name, err)
		}
		if value != nil {
			env = append(env, e.Name+"="+*value)
		}
	}
	return env, nil
}

// envValue returns nil for an optional reference whose key is absent.
func (p *Pod) envValue(ctx context.Context, e corev1.EnvVar) (*string, error) {
	if e.ValueFrom == nil {
		v := p.translate(e.Value)
		return &v, nil
	}
	ns := p.deployment.Namespace
	switch {
	case e.ValueFrom.SecretKeyRef != nil:
		ref := e.ValueFrom.SecretKeyRef
		var s corev1.Secret
		if err := p.kubelet.Client.Get(ctx, types.NamespacedName{Namespace: ns, Name: ref.Name}, &s); err != nil {
			return nil, err
		}
		if v, ok := s.Data[ref.Key]; ok {
			str := string(v)
			return &str, nil
		}
		if ref.Optional != nil && *ref.Optional {
			return nil, nil
		}
		return nil, fmt.Errorf("Secret %s has no key %s", ref.Name, ref.Key)
	case e.ValueFrom.ConfigMapKeyRef != nil:
		ref := e.ValueFrom.ConfigMapKeyRef
		var cm corev1.ConfigMap
		if err := p.kubelet.Client.Get(ctx, types.NamespacedName{Namespace: ns, Name: ref.Name}, &cm); err != nil {
			return nil, err
		}
		if v, ok := cm.Data[ref.Key]; ok {
			return &v, nil
		}
		if ref.Optional != nil && *ref.Optional {
			return nil, nil
		}
		return nil, fmt.Errorf("ConfigMap %s has no key %s", ref.Name, ref.Key)
	}
	return nil, errors.New("only secretKeyRef and configMapKeyRef are supported")
}

// imageBinDir links each of Binaries under its command name.
func (p *Pod) imageBinDir() string {
	return filepath.Join(p.dir, "image-bin")
}

func (p *Pod) linkBinaries() error {
	if err := os.MkdirAll(p.imageBinDir(), 0o700); err != nil {
		return err
	}
	for name, path := range p.kubelet.Binaries {
		if err := os.Symlink(path, filepath.Join(p.imageBinDir(), name)); err != nil {
			return fmt.Errorf("kubelet double: linking %s: %w", name, err)
		}
	}
	return nil
}

func (p *Pod) logPath(container string) string {
	return filepath.Join(p.dir, "log-"+container)
}

func (p *Pod) terminationLogPath(container string) string {
	return filepath.Join(p.dir, "termination-log-"+container)
}

func (p *Pod) newCommand(ctx context.Context, c corev1.Container) (*exec.Cmd, error) {
	argv, err := p.commandLine(c)
	if err != nil {
		return nil, err
	}
	env, err := p.environment(ctx, c)
	if err != nil {
		return nil, err
	}
	log, err := os.OpenFile(p.logPath(c.Name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Dir = p.dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.kubelet.Logf("kubelet double: %s/%s: %s", p.name, c.Name, strings.Join(argv, " "))
	return cmd, nil
}

func (p *Pod) runToCompletion(ctx context.Context, c corev1.Container) (int, string, error) {
	cmd, err := p.newCommand(ctx, c)
	if err != nil {
		return 0, "", err
	}
	runErr := cmd.Run()
	cmd.Stdout.(io.Closer).Close()
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return 0, "", fmt.Errorf("kubelet double: starting %s: %w", c.Name, runErr)
	}
	code := cmd.ProcessState.ExitCode()
	return code, p.terminationMessage(c, code), nil
}

func (p *Pod) terminationMessage(c corev1.Container, code int) string {
	if data, err := os.ReadFile(p.terminationLogPath(c.Name)); err == nil && len(data) > 0 {
		return string(data)
	}
	if code == 0 || c.TerminationMessagePolicy != corev1.TerminationMessageFallbackToLogsOnError {
		return ""
	}
	lines := strings.Split(strings.TrimRight(p.Log(c.Name), "\n"), "\n")
	if len(lines) > 80 {
		lines = lines[len(lines)-80:]
	}
	tail := strings.Join(lines, "\n")
	if len(tail) > 2048 {
		tail = tail[len(tail)-2048:]
	}
	return tail
}

func (p *Pod) startContainer(c corev1.Container) error {
	cmd, err := p.newCommand(context.Background(), c)
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("kubelet double: starting %s: %w", c.Name, err)
	}
	rc := &runningContainer{cmd: cmd, done: make(chan struct{})}
	go func() {
		rc.err = cmd.Wait()
		cmd.Stdout.(io.Closer).Close()
		close(rc.done)
	}()
	p.mu.Lock()
	p.containers[c.Name] = rc
	p.mu.Unlock()
	return nil
}

func (p *Pod) exitedEarly(container string) error {
	p.mu.Lock()
	rc := p.containers[container]
	p.mu.Unlock()
	if rc == nil {
		return nil
	}
	select {
	case <-rc.done:
		if rc.err == nil {
			return errors.New("exit status 0")
		}
		return rc.err
	default:
		return nil
	}
}

func (p *Pod) probe(ctx context.Context, h corev1.ProbeHandler) error {
	switch {
	case h.HTTPGet != nil:
		port := p.ports[h.HTTPGet.Port.IntVal]
		if h.HTTPGet.Port.StrVal != "" {
			port = p.namedPort(h.HTTPGet.Port.StrVal)
		}
		scheme := strings.ToLower(string(h.HTTPGet.Scheme))
		if scheme == "" {
			scheme = "http"
		}
		// The kubelet does not verify the certificate of an HTTPS probe.
		httpClient := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // as the kubelet
		}}
		url := fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, h.HTTPGet.Path)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode >= 400 {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	case h.TCPSocket != nil:
		port := p.ports[h.TCPSocket.Port.IntVal]
		if h.TCPSocket.Port.StrVal != "" {
			port = p.namedPort(h.TCPSocket.Port.StrVal)
		}
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 2*time.Second)
		if err != nil {
			return err
		}
		return conn.Close()
	}
	return errors.New("kubelet double: unsupported probe")
}

func (p *Pod) namedPort(name string) int {
	for _, c := range p.template.Spec.Containers {
		for _, port := range c.Ports {
			if port.Name == name {
				return p.ports[port.ContainerPort]
			}
		}
	}
	return 0
}

func (p *Pod) reportInitFailure(ctx context.Context, container string, code int, message string) error {
	return p.updatePodStatus(ctx, func(status *corev1.PodStatus) {
		status.Phase = corev1.PodPending
		for _, c := range p.template.Spec.InitContainers {
			cs := corev1.ContainerStatus{Name: c.Name, Image: c.Image}
			if c.Name == container {
				cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}
				cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
					ExitCode: int32(code), Reason: "Error", Message: message,
					FinishedAt: metav1.Now(),
				}
				cs.RestartCount = 1
			}
			status.InitContainerStatuses = append(status.InitContainerStatuses, cs)
		}
	})
}

func (p *Pod) reportRunning(ctx context.Context) error {
	return p.updatePodStatus(ctx, func(status *corev1.PodStatus) {
		now := metav1.Now()
		status.Phase = corev1.PodRunning
		status.Conditions = []corev1.PodCondition{
			{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
		}
		for _, c := range p.template.Spec.InitContainers {
			status.InitContainerStatuses = append(status.InitContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Image: c.Image, Ready: true,
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}},
			})
		}
		for _, c := range p.template.Spec.Containers {
			status.ContainerStatuses = append(status.ContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Image: c.Image, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
			})
		}
	})
}

func (p *Pod) updatePodStatus(ctx context.Context, fill func(*corev1.PodStatus)) error {
	var pod corev1.Pod
	if err := p.kubelet.Client.Get(ctx, types.NamespacedName{Namespace: p.deployment.Namespace, Name: p.name}, &pod); err != nil {
		return err
	}
	pod.Status = corev1.PodStatus{}
	fill(&pod.Status)
	if err := p.kubelet.Client.Status().Update(ctx, &pod); err != nil {
		return fmt.Errorf("kubelet double: updating Pod %s status: %w", p.name, err)
	}
	return nil
}

// markDeploymentAvailable stands in for the Deployment controller, which envtest does not run.
func (p *Pod) markDeploymentAvailable(ctx context.Context) error {
	var d appsv1.Deployment
	if err := p.kubelet.Client.Get(ctx, p.deployment, &d); err != nil {
		return err
	}
	now := metav1.Now()
	d.Status = appsv1.DeploymentStatus{
		ObservedGeneration: d.Generation,
		Replicas:           1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1,
		Conditions: []appsv1.DeploymentCondition{{
			Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue,
			Reason: "MinimumReplicasAvailable", LastUpdateTime: now, LastTransitionTime: now,
		}},
	}
	if err := p.kubelet.Client.Status().Update(ctx, &d); err != nil {
		return fmt.Errorf("kubelet double: updating Deployment %s status: %w", p.deployment, err)
	}
	return nil
}

// --- volumes ---------------------------------------------------------------------------------

func (p *Pod) materializeVolumes(ctx context.Context) error {
	for _, v := range p.template.Spec.Volumes {
		dir := filepath.Join(p.dir, "volumes", v.Name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		p.volumes[v.Name] = dir
		if v.EmptyDir != nil {
			continue
		}
		if err := p.writeVolume(ctx, v); err != nil {
			return err
		}
	}
	mountPaths := map[string]string{}
	for _, c := range append(append([]corev1.Container{}, p.template.Spec.InitContainers...), p.template.Spec.Containers...) {
		for _, m := range c.VolumeMounts {
			local, ok := p.volumes[m.Name]
			if !ok {
				return fmt.Errorf("kubelet double: container %s mounts unknown volume %s", c.Name, m.Name)
			}
			if m.SubPath != "" {
				local = filepath.Join(local, m.SubPath)
			}
			if prev, seen := mountPaths[m.MountPath]; seen && prev != local {
				return fmt.Errorf("kubelet double: %s is mounted from two volumes", m.MountPath)
			}
			mountPaths[m.MountPath] = local
		}
		mountPaths["/dev/termination-log"] = p.terminationLogPath(c.Name)
	}
	for path, local := range mountPaths {
		p.mounts = append(p.mounts, mountMapping{mountPath: path, localDir: local})
	}
	sort.Slice(p.mounts, func(i, j int) bool { return len(p.mounts[i].mountPath) > len(p.mounts[j].mountPath) })
	return nil
}

// volumeData reads the keys a Secret or ConfigMap volume projects, as file name -> content.
func (p *Pod) volumeData(ctx context.Context, v corev1.Volume) (map[string][]byte, error) {
	ns := p.deployment.Namespace
	var data map[string][]byte
	var items []corev1.KeyToPath
	switch {
	case v.Secret != nil:
		var s corev1.Secret
		if err := p.kubelet.Client.Get(ctx, types.NamespacedName{Namespace: ns, Name: v.Secret.SecretName}, &s); err != nil {
			return nil, fmt.Errorf("kubelet double: volume %s: %w", v.Name, err)
		}
		data, items = s.Data, v.Secret.Items
	case v.ConfigMap != nil:
		var cm corev1.ConfigMap
		if err := p.kubelet.Client.Get(ctx, types.NamespacedName{Namespace: ns, Name: v.ConfigMap.Name}, &cm); err != nil {
			return nil, fmt.Errorf("kubelet double: volume %s: %w", v.Name, err)
		}
		data = map[string][]byte{}
		for k, val := range cm.Data {
			data[k] = []byte(val)
		}
		for k, val := range cm.BinaryData {
			data[k] = val
		}
		items = v.ConfigMap.Items
	default:
		return nil, fmt.Errorf("kubelet double: volume %s: only emptyDir, secret and configMap are supported", v.Name)
	}
	if len(items) == 0 {
		return data, nil
	}
	files := map[string][]byte{}
	for _, item := range items {
		content, ok := data[item.Key]
		if !ok {
			return nil, fmt.Errorf("kubelet double: volume %s: key %s is missing", v.Name, item.Key)
		}
		files[item.Path] = content
	}
	return files, nil
}

// writeVolume writes the files into a fresh `..<timestamp>` directory, points `..data` at it
// with an atomic rename and makes each file a symlink through `..data`: the kubelet's
// AtomicWriter layout, so readers see the old or the new set of files, never a mix.
func (p *Pod) writeVolume(ctx context.Context, v corev1.Volume) error {
	files, err := p.volumeData(ctx, v)
	if err != nil {
		return err
	}
	dir := p.volumes[v.Name]
	current, _ := os.Readlink(filepath.Join(dir, "..data"))
	if current != "" && sameFiles(filepath.Join(dir, current), files) {
		return nil
	}
	version := fmt.Sprintf("..%d", time.Now().UnixNano())
	if err := os.Mkdir(filepath.Join(dir, version), 0o700); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, version, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return err
		}
	}
	tmpLink := filepath.Join(dir, "..data_tmp")
	_ = os.Remove(tmpLink)
	if err := os.Symlink(version, tmpLink); err != nil {
		return err
	}
	if err := os.Rename(tmpLink, filepath.Join(dir, "..data")); err != nil {
		return err
	}
	for name := range files {
		top := strings.SplitN(name, "/", 2)[0]
		link := filepath.Join(dir, top)
		if _, err := os.Lstat(link); errors.Is(err, os.ErrNotExist) {
			if err := os.Symlink(filepath.Join("..data", top), link); err != nil {
				return err
			}
		}
	}
	if current != "" {
		_ = os.RemoveAll(filepath.Join(dir, current))
	}
	return nil
}

func sameFiles(dir string, files map[string][]byte) bool {
	for name, content := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(data, content) {
			return false
		}
	}
	return true
}

// syncVolumesLoop refreshes Secret and ConfigMap volumes every second (the kubelet does so on
// its sync period, about a minute by default; a second keeps the test short).
func (p *Pod) syncVolumesLoop(ctx context.Context) {
	defer close(p.syncDone)
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			for _, v := range p.template.Spec.Volumes {
				if v.EmptyDir != nil {
					continue
				}
				if err := p.writeVolume(ctx, v); err != nil && ctx.Err() == nil {
					p.kubelet.Logf("kubelet double: refreshing volume %s: %v", v.Name, err)
				}
			}
		}
	}
}
