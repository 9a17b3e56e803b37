package render

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// projectedFileMode is the mode of every Secret and ConfigMap file in the pod. The files
// belong to root with the pod's fsGroup, and the containers run as another uid in that group,
// so group read is the least that works; others get nothing.
const projectedFileMode int32 = 0o440

// kopiaConfigSizeLimit bounds the memory-backed volume of repository.config files (a few KiB
// each).
var kopiaConfigSizeLimit = resource.MustParse("16Mi")

// volumes of the server pod (docs/server-pod.md). The storage volume exists only when the BSL
// has a CA, and projects only ca.crt: the S3 keys reach the containers by environment only.
func volumes(s *v1alpha1.BackupStorageLocationServer, hasCA bool) []corev1.Volume {
	mode := projectedFileMode
	limit := kopiaConfigSizeLimit.DeepCopy()
	list := []corev1.Volume{
		{Name: VolumeKopiaConfig, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{
			Medium: corev1.StorageMediumMemory, SizeLimit: &limit,
		}}},
		{Name: VolumeKopiaCache, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: VolumeTmp, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
	}
	if hasCA {
		list = append(list, corev1.Volume{Name: VolumeStorage, VolumeSource: corev1.VolumeSource{
			Secret: &corev1.SecretVolumeSource{
				SecretName:  StorageSecretName(s),
				Items:       []corev1.KeyToPath{{Key: StorageCAKey, Path: StorageCAKey}},
				DefaultMode: &mode,
			},
		}})
	}
	list = append(list, usersVolume(s), corev1.Volume{Name: VolumeTLS, VolumeSource: corev1.VolumeSource{
		Secret: &corev1.SecretVolumeSource{
			SecretName: TLSSecretName(s),
			Items: []corev1.KeyToPath{
				{Key: corev1.TLSCertKey, Path: corev1.TLSCertKey},
				{Key: corev1.TLSPrivateKeyKey, Path: corev1.TLSPrivateKeyKey},
			},
			DefaultMode: &mode,
		},
	}})
	return list
}

// usersVolume projects the user list's key to UsersFileKey from the Secret or ConfigMap of
// spec.userManagement.source (the CRD admits exactly one). It is mounted as a directory, not
// with subPath, so that the kubelet delivers updates to the user-sync sidecar.
func usersVolume(s *v1alpha1.BackupStorageLocationServer) corev1.Volume {
	mode := projectedFileMode
	source := s.Spec.UserManagement.Source
	volume := corev1.Volume{Name: VolumeUsers}
	switch {
	case source.Secret != nil:
		volume.Secret = &corev1.SecretVolumeSource{
			SecretName:  source.Secret.Name,
			Items:       []corev1.KeyToPath{{Key: source.Secret.Key, Path: UsersFileKey}},
			DefaultMode: &mode,
		}
	case source.ConfigMap != nil:
		volume.ConfigMap = &corev1.ConfigMapVolumeSource{
			LocalObjectReference: source.ConfigMap.LocalObjectReference,
			Items:                []corev1.KeyToPath{{Key: source.ConfigMap.Key, Path: UsersFileKey}},
			DefaultMode:          &mode,
		}
	}
	return volume
}

// mounts lists a container's volume mounts: every container gets the writable emptyDirs, and
// only what its command reads of the rest.
func mounts(storage, users, tls bool) []corev1.VolumeMount {
	list := []corev1.VolumeMount{
		{Name: VolumeKopiaConfig, MountPath: KopiaConfigDir},
		{Name: VolumeKopiaCache, MountPath: KopiaCacheDir},
		{Name: VolumeTmp, MountPath: TmpDir},
	}
	if storage {
		list = append(list, corev1.VolumeMount{Name: VolumeStorage, MountPath: StorageDir, ReadOnly: true})
	}
	if users {
		list = append(list, corev1.VolumeMount{Name: VolumeUsers, MountPath: UsersDir, ReadOnly: true})
	}
	if tls {
		list = append(list, corev1.VolumeMount{Name: VolumeTLS, MountPath: TLSDir, ReadOnly: true})
	}
	return list
}
