package render

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// extraKeys is a credentials file whose profiles carry more than kopia needs; none of it but the
// chosen profile's static keys may leave the BSL's Secret.
const extraKeys = `
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = defaultsecret
region = us-east-1
role_arn = arn:aws:iam::123456789012:role/extra-role

[profile backup]
aws_access_key_id = BACKUPKEY
aws_secret_access_key = backupsecret/with+chars=
aws_session_token = backuptoken
mfa_serial = arn:aws:iam::123456789012:mfa/extra-device
`

// secretValues are every credential value of twoProfiles and extraKeys.
var secretValues = []string{"DEFAULTKEY", "defaultsecret", "BACKUPKEY", backupSecretKey, backupToken,
	"extra-role", "extra-device"}

// podContainers returns the init and main containers of the rendered pod.
func podContainers(objects *Objects) []corev1.Container {
	spec := objects.Deployment.Spec.Template.Spec
	return append(slices.Clone(spec.InitContainers), spec.Containers...)
}

func mustRender(t *testing.T, in Inputs) *Objects {
	t.Helper()
	objects, err := Render(in)
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

func securityCases() map[string]Inputs {
	extra := fullInputs()
	extra.Credentials = []byte(extraKeys)
	extraDefault := minimalInputs()
	extraDefault.Credentials = []byte(extraKeys)
	return map[string]Inputs{"minimal": minimalInputs(), "full": fullInputs(),
		"extra keys, profile backup": extra, "extra keys, default profile": extraDefault}
}

// TestNoSecretOutsideTheStorageSecret: credentials reach the pod only through the storage
// Secret, so no other object (args, annotations, labels, client config …) may contain any.
func TestNoSecretOutsideTheStorageSecret(t *testing.T) {
	for name, in := range securityCases() {
		t.Run(name, func(t *testing.T) {
			objects := mustRender(t, in)
			for _, obj := range objects.List() {
				if obj == objects.StorageSecret {
					continue
				}
				text, err := yaml.Marshal(obj)
				if err != nil {
					t.Fatal(err)
				}
				for _, secret := range secretValues {
					if strings.Contains(string(text), secret) {
						t.Errorf("%s %s contains the credential value %q", obj.GetObjectKind().GroupVersionKind().Kind,
							obj.GetName(), secret)
					}
				}
			}
		})
	}
}

// TestContainerEnvTakesSecretsByReference: literal env values are the three fixed settings;
// every other variable is a secretKeyRef, and no container gets a variable it does not need.
func TestContainerEnvTakesSecretsByReference(t *testing.T) {
	literals := map[string]string{"HOME": KopiaConfigDir, "KOPIA_LOG_DIR": LogDir, "KOPIA_CHECK_FOR_UPDATES": "false"}
	want := map[string][]string{
		ContainerInit:     {"KOPIA_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
		ContainerServer:   {"KOPIA_PASSWORD", "KOPIA_SERVER_CONTROL_USER", "KOPIA_SERVER_CONTROL_PASSWORD"},
		ContainerUserSync: {"KOPIA_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "KOPIA_SERVER_USERNAME", "KOPIA_SERVER_PASSWORD"},
	}
	tests := []struct {
		name  string
		in    Inputs
		token bool
	}{{"without session token", minimalInputs(), false}, {"with session token", fullInputs(), true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objects := mustRender(t, tt.in)
			for _, c := range podContainers(objects) {
				var refs []string
				for _, env := range c.Env {
					if value, ok := literals[env.Name]; ok {
						if env.Value != value || env.ValueFrom != nil {
							t.Errorf("%s: %s = %q", c.Name, env.Name, env.Value)
						}
						continue
					}
					if env.Value != "" || env.ValueFrom == nil || env.ValueFrom.SecretKeyRef == nil {
						t.Errorf("%s: %s is not a secretKeyRef: %+v", c.Name, env.Name, env)
						continue
					}
					refs = append(refs, env.Name)
				}
				expected := slices.Clone(want[c.Name])
				if c.Name != ContainerServer && tt.token {
					expected = slices.Insert(expected, 3, "AWS_SESSION_TOKEN")
				}
				if !reflect.DeepEqual(refs, expected) {
					t.Errorf("%s: secret variables %v, want %v", c.Name, refs, expected)
				}
			}
		})
	}
}

func TestPodSecurity(t *testing.T) {
	for name, in := range securityCases() {
		t.Run(name, func(t *testing.T) {
			objects := mustRender(t, in)
			if a := objects.ServiceAccount.AutomountServiceAccountToken; a == nil || *a {
				t.Error("the ServiceAccount automounts its token")
			}
			pod := objects.Deployment.Spec.Template.Spec
			if a := pod.AutomountServiceAccountToken; a == nil || *a {
				t.Error("the pod automounts a ServiceAccount token")
			}
			if pod.ServiceAccountName != ServiceAccountName(in.Server) {
				t.Errorf("serviceAccountName %q", pod.ServiceAccountName)
			}
			sc := pod.SecurityContext
			if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != PodUserID ||
				sc.FSGroup == nil || *sc.FSGroup != PodUserID || sc.SeccompProfile == nil ||
				sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("pod securityContext %+v", sc)
			}
			for _, c := range podContainers(objects) {
				csc := c.SecurityContext
				if csc == nil || csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem ||
					csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation ||
					csc.Capabilities == nil || !reflect.DeepEqual(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) ||
					len(csc.Capabilities.Add) != 0 || csc.Privileged != nil {
					t.Errorf("%s securityContext %+v", c.Name, csc)
				}
			}
			for _, v := range pod.Volumes {
				if v.HostPath != nil {
					t.Errorf("volume %s is a hostPath", v.Name)
				}
				if v.Secret != nil && (v.Secret.DefaultMode == nil || *v.Secret.DefaultMode != 0o440) {
					t.Errorf("volume %s: defaultMode %v", v.Name, v.Secret.DefaultMode)
				}
				// The S3 keys reach the pod by environment only; as files they would be one
				// more copy readable by every container that mounts the volume.
				if v.Secret != nil && v.Secret.SecretName == StorageSecretName(in.Server) &&
					!reflect.DeepEqual(v.Secret.Items, []corev1.KeyToPath{{Key: StorageCAKey, Path: StorageCAKey}}) {
					t.Errorf("the storage volume projects %v", v.Secret.Items)
				}
			}
		})
	}
}

func TestDeploymentShape(t *testing.T) {
	objects := mustRender(t, minimalInputs())
	d := objects.Deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != "Recreate" {
		t.Errorf("replicas %v strategy %q", d.Spec.Replicas, d.Spec.Strategy.Type)
	}
	if !reflect.DeepEqual(d.Spec.Selector.MatchLabels, SelectorLabels(minimalServer())) {
		t.Errorf("selector %v", d.Spec.Selector.MatchLabels)
	}
	for key, value := range d.Spec.Selector.MatchLabels {
		if d.Spec.Template.Labels[key] != value {
			t.Errorf("the pod template lacks the selector label %s=%s", key, value)
		}
	}
	var names []string
	for _, c := range podContainers(objects) {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, []string{ContainerInit, ContainerServer, ContainerUserSync}) {
		t.Errorf("containers %v", names)
	}
	server := d.Spec.Template.Spec.Containers[0]
	if len(server.Ports) != 1 || server.Ports[0].Name != ServerPortName || server.Ports[0].ContainerPort != 51515 {
		t.Errorf("server ports %+v", server.Ports)
	}
	if p := server.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/metrics" ||
		p.HTTPGet.Scheme != corev1.URISchemeHTTPS || p.HTTPGet.Port.StrVal != ServerPortName {
		t.Errorf("readiness probe %+v", p)
	}
	if p := server.LivenessProbe; p == nil || p.TCPSocket == nil || p.TCPSocket.Port.StrVal != ServerPortName {
		t.Errorf("liveness probe %+v", p)
	}
	if !reflect.DeepEqual(server.Resources, corev1.ResourceRequirements{}) {
		t.Errorf("resources without podConfig: %+v", server.Resources)
	}
}

func TestSyncArgs(t *testing.T) {
	no, yes := false, true
	tests := []struct {
		name  string
		prune *bool
		want  string
	}{{"prune unset", nil, "--prune=true"}, {"prune true", &yes, "--prune=true"}, {"prune false", &no, "--prune=false"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := minimalInputs()
			in.Server.Spec.UserManagement.Prune = tt.prune
			objects := mustRender(t, in)
			for _, c := range podContainers(objects) {
				if c.Name == ContainerServer {
					continue
				}
				for _, arg := range []string{tt.want, "--identity=kopia-server@vms.tenant-a", "--users-file=" + UsersFile} {
					if !slices.Contains(c.Args, arg) {
						t.Errorf("%s args %v lack %s", c.Name, c.Args, arg)
					}
				}
				// kopia's S3 flags follow "--", the storage mapping's own.
				dash := slices.Index(c.Args, "--")
				storage, err := KopiaS3StorageFor(in.BSL, in.Credentials, in.Server)
				if err != nil {
					t.Fatal(err)
				}
				if dash < 0 || !reflect.DeepEqual(c.Args[dash+1:], storage.Args(StorageCAFile)) {
					t.Errorf("%s args %v do not end with -- and the S3 flags", c.Name, c.Args)
				}
			}
		})
	}
}

func TestUsersVolume(t *testing.T) {
	secret := usersVolume(minimalServer())
	if secret.Secret == nil || secret.ConfigMap != nil || secret.Secret.SecretName != "kopia-users" ||
		!reflect.DeepEqual(secret.Secret.Items, []corev1.KeyToPath{{Key: "users.txt", Path: UsersFileKey}}) {
		t.Errorf("Secret source: %+v", secret)
	}
	configMap := usersVolume(fullServer())
	if configMap.ConfigMap == nil || configMap.Secret != nil || configMap.ConfigMap.Name != "kopia-users" ||
		!reflect.DeepEqual(configMap.ConfigMap.Items, []corev1.KeyToPath{{Key: "list", Path: UsersFileKey}}) ||
		configMap.ConfigMap.DefaultMode == nil || *configMap.ConfigMap.DefaultMode != 0o440 {
		t.Errorf("ConfigMap source: %+v", configMap)
	}
}

// TestPodTemplateAnnotationsFollowCertificateAndStorage: a new certificate or new storage
// credentials must change the pod template (kopia reloads neither); nothing else may.
func TestPodTemplateAnnotationsFollowCertificateAndStorage(t *testing.T) {
	base := mustRender(t, minimalInputs()).Deployment.Spec.Template.Annotations

	rotated := minimalInputs()
	rotated.Credentials = []byte(strings.Replace(twoProfiles, "defaultsecret", "rotatedsecret", 1))
	got := mustRender(t, rotated).Deployment.Spec.Template.Annotations
	if got[AnnotationStorageSHA256] == base[AnnotationStorageSHA256] || got[AnnotationTLSSHA256] != base[AnnotationTLSSHA256] {
		t.Errorf("rotated credentials: annotations %v, before %v", got, base)
	}

	otherProfile := minimalInputs()
	otherProfile.Credentials = []byte(twoProfiles + "\n[unused]\naws_access_key_id = X\naws_secret_access_key = Y\n")
	if got := mustRender(t, otherProfile).Deployment.Spec.Template.Annotations; !reflect.DeepEqual(got, base) {
		t.Errorf("an unused profile changed the annotations: %v, before %v", got, base)
	}

	if len(base[AnnotationStorageSHA256]) != 64 || len(base[AnnotationTLSSHA256]) != 64 {
		t.Errorf("annotations %v are not SHA-256 hex", base)
	}
}
