package render

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// initContainer connects to (or creates) the repository, enables ACLs and syncs the users
// before the server starts (`bsls-controller server-init`). It writes the server's
// repository.config into the memory-backed kopia-config volume.
func initContainer(s *v1alpha1.BackupStorageLocationServer, image string, storage KopiaS3Storage) corev1.Container {
	args := append([]string{"server-init",
		"--config-file=" + ServerConfigFile,
		"--cache-dir=" + ServerCacheDir,
	}, commonSyncArgs(s)...)
	args = append(append(args, "--"), storage.Args(StorageCAFile)...)
	env := append(literalEnv(), repositoryPasswordEnv(s))
	env = append(env, storageEnv(s, storage)...)
	return corev1.Container{
		Name:                     ContainerInit,
		Image:                    image,
		Command:                  []string{ControllerCommand},
		Args:                     args,
		Env:                      env,
		VolumeMounts:             mounts(len(storage.RootCAPEM) > 0, true, false),
		SecurityContext:          containerSecurityContext(),
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}
}

// serverContainer is `kopia server start` on the connection the init container wrote. It needs
// neither the storage Secret (repository.config holds the S3 settings) nor the user list.
func serverContainer(s *v1alpha1.BackupStorageLocationServer, image string) corev1.Container {
	env := append(literalEnv(), repositoryPasswordEnv(s),
		secretEnv("KOPIA_SERVER_CONTROL_USER", ControlSecretName(s), ControlUsernameKey),
		secretEnv("KOPIA_SERVER_CONTROL_PASSWORD", ControlSecretName(s), ControlPasswordKey))
	container := corev1.Container{
		Name:    ContainerServer,
		Image:   image,
		Command: []string{KopiaCommand},
		Args: []string{"server", "start",
			"--config-file=" + ServerConfigFile,
			"--tls-cert-file=" + TLSCertFile,
			"--tls-key-file=" + TLSKeyFile,
			"--address=" + ServerListenAddress,
			"--no-ui",
		},
		Ports: []corev1.ContainerPort{{Name: ServerPortName, ContainerPort: ServerPort, Protocol: corev1.ProtocolTCP}},
		Env:   env,
		// kopia serves /metrics without authentication (cli/command_server_start.go
		// initPrometheus), so readiness proves the TLS listener answers HTTP.
		ReadinessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: "/metrics", Port: intstr.FromString(ServerPortName), Scheme: corev1.URISchemeHTTPS,
			}},
			PeriodSeconds: 10, TimeoutSeconds: 5, FailureThreshold: 3,
		},
		// Opening a large repository takes a while before the port listens: allow two
		// minutes before a restart.
		LivenessProbe: &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{
				Port: intstr.FromString(ServerPortName),
			}},
			InitialDelaySeconds: 10, PeriodSeconds: 20, TimeoutSeconds: 5, FailureThreshold: 6,
		},
		VolumeMounts:    mounts(false, false, true),
		SecurityContext: containerSecurityContext(),
	}
	if s.Spec.PodConfig != nil && s.Spec.PodConfig.PodResources != nil {
		container.Resources = *s.Spec.PodConfig.PodResources.DeepCopy()
	}
	return container
}

// userSyncContainer re-syncs the users when the mounted list changes and tells the server to
// refresh (`bsls-controller server-sync`), over its own connection to the repository.
func userSyncContainer(s *v1alpha1.BackupStorageLocationServer, image string, storage KopiaS3Storage) corev1.Container {
	args := append([]string{"server-sync",
		"--config-file=" + SyncConfigFile,
		"--cache-dir=" + SyncCacheDir,
	}, commonSyncArgs(s)...)
	args = append(args, "--server-address="+LocalServerURL, "--tls-cert-file="+TLSCertFile, "--")
	args = append(args, storage.Args(StorageCAFile)...)
	env := append(literalEnv(), repositoryPasswordEnv(s))
	env = append(env, storageEnv(s, storage)...)
	env = append(env,
		secretEnv("KOPIA_SERVER_USERNAME", ControlSecretName(s), ControlUsernameKey),
		secretEnv("KOPIA_SERVER_PASSWORD", ControlSecretName(s), ControlPasswordKey))
	return corev1.Container{
		Name:                     ContainerUserSync,
		Image:                    image,
		Command:                  []string{ControllerCommand},
		Args:                     args,
		Env:                      env,
		VolumeMounts:             mounts(len(storage.RootCAPEM) > 0, true, true),
		SecurityContext:          containerSecurityContext(),
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}
}

// commonSyncArgs are the flags server-init and server-sync share after their own
// --config-file and --cache-dir.
func commonSyncArgs(s *v1alpha1.BackupStorageLocationServer) []string {
	return []string{
		"--identity=" + ServerIdentity(s),
		"--users-file=" + UsersFile,
		"--prune=" + strconv.FormatBool(prune(s)),
	}
}

// literalEnv keeps kopia's home, logs and update check inside the writable volumes.
func literalEnv() []corev1.EnvVar {
	return []corev1.EnvVar{
		{Name: "HOME", Value: KopiaConfigDir},
		{Name: "KOPIA_LOG_DIR", Value: LogDir},
		{Name: "KOPIA_CHECK_FOR_UPDATES", Value: "false"},
	}
}

func repositoryPasswordEnv(s *v1alpha1.BackupStorageLocationServer) corev1.EnvVar {
	ref := s.Spec.RepositoryPasswordSecret
	return secretEnv("KOPIA_PASSWORD", ref.Name, ref.Key)
}

// storageEnv names the storage Secret's keys in the environment, where kopia reads them
// (never argv). The variable names equal the keys.
func storageEnv(s *v1alpha1.BackupStorageLocationServer, storage KopiaS3Storage) []corev1.EnvVar {
	names := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
	if storage.SessionToken != "" {
		names = append(names, "AWS_SESSION_TOKEN")
	}
	env := make([]corev1.EnvVar, 0, len(names))
	for _, name := range names {
		env = append(env, secretEnv(name, StorageSecretName(s), name))
	}
	return env
}

func secretEnv(name, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: secret},
			Key:                  key,
		},
	}}
}
