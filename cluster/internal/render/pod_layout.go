package render

import "github.com/guestbackup/guestbackup/cluster/api/v1alpha1"

// The layout of the server pod (docs/server-pod.md). The controller reads container statuses by
// these names, and a test harness that runs the pod's commands outside a container maps these
// paths to local directories, so they are exported rather than repeated.

// Container names.
const (
	ContainerInit     = "init"
	ContainerServer   = "server"
	ContainerUserSync = "user-sync"
)

// The port the Kopia server listens on inside the pod, and its name on the container and the
// Service (the NetworkPolicy and the probes refer to it).
const (
	ServerPort     = v1alpha1.DefaultServicePort
	ServerPortName = "kopia"
)

// Volume names.
const (
	VolumeKopiaConfig = "kopia-config"
	VolumeKopiaCache  = "kopia-cache"
	VolumeTmp         = "tmp"
	VolumeStorage     = "storage"
	VolumeUsers       = "users"
	VolumeTLS         = "tls"
)

// Mount points of the volumes.
const (
	// KopiaConfigDir holds the repository.config files, which contain the S3 keys: it is a
	// memory-backed emptyDir and also HOME.
	KopiaConfigDir = "/var/run/kopia"
	KopiaCacheDir  = "/var/cache/kopia"
	TmpDir         = "/tmp"
	StorageDir     = "/etc/bsls/storage"
	UsersDir       = "/etc/bsls/users"
	TLSDir         = "/etc/bsls/tls"
)

// Files and directories the containers' commands are given.
const (
	// ServerConfigFile is written by the init container and used by `kopia server start`.
	ServerConfigFile = KopiaConfigDir + "/server/repository.config"
	// SyncConfigFile is the user-sync sidecar's own connection.
	SyncConfigFile = KopiaConfigDir + "/sync/repository.config"
	ServerCacheDir = KopiaCacheDir + "/server"
	SyncCacheDir   = KopiaCacheDir + "/sync"
	LogDir         = KopiaCacheDir + "/logs"

	// UsersFileKey is the file name the user list's key is projected to.
	UsersFileKey = "users"
	UsersFile    = UsersDir + "/" + UsersFileKey

	TLSCertFile = TLSDir + "/tls.crt"
	TLSKeyFile  = TLSDir + "/tls.key"

	// StorageCAFile is the BSL's CA certificate, given to kopia as --root-ca-pem-path.
	StorageCAFile = StorageDir + "/" + StorageCAKey

	// ServerListenAddress is `kopia server start --address`; LocalServerURL is how the
	// sidecar reaches the server in the same pod.
	ServerListenAddress = "0.0.0.0:51515"
	LocalServerURL      = "https://127.0.0.1:51515"
)

// Executables in the image (found on PATH).
const (
	KopiaCommand      = "kopia"
	ControllerCommand = "bsls-controller"
)

// Pod template annotations whose change rolls the pod: kopia can reload neither its
// certificate nor its storage credentials.
const (
	AnnotationTLSSHA256     = "guestbackup.io/tls-sha256"
	AnnotationStorageSHA256 = "guestbackup.io/storage-sha256"
)

// PodUserID is the non-root user and fsGroup of the server pod.
const PodUserID int64 = 65532

// DefaultImage is the image scripts/images builds and config/default installs; the server pods
// run it when neither spec.image, the controller's --image nor the controller's own pod (the
// manager outside a cluster, `render`) gives one.
const DefaultImage = "ghcr.io/guestbackup/bsls-server:v0.1.0"

// ServerIdentity is the fixed `user@host` the pod's kopia connections use, so the repository's
// maintenance owner stays the same across pod restarts.
func ServerIdentity(s *v1alpha1.BackupStorageLocationServer) string {
	return "kopia-server@" + s.Name + "." + s.Namespace
}
