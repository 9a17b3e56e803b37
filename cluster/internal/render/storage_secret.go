package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"

	corev1 "k8s.io/api/core/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// storageSecret holds only what kopia needs from the BSL: the static keys of the one profile
// it uses and the BSL's CA. The BSL's credential Secret may hold other profiles and keys; they
// are never copied into the server's namespace.
func storageSecret(s *v1alpha1.BackupStorageLocationServer, storage KopiaS3Storage) *corev1.Secret {
	data := map[string][]byte{}
	for name, value := range storage.Env() {
		data[name] = []byte(value)
	}
	if len(storage.RootCAPEM) > 0 {
		data[StorageCAKey] = storage.RootCAPEM
	}
	return &corev1.Secret{
		TypeMeta:   typeMeta("v1", "Secret"),
		ObjectMeta: objectMeta(s, StorageSecretName(s)),
		Type:       corev1.SecretTypeOpaque,
		Data:       data,
	}
}

// DataHash is the lowercase hex SHA-256 of data, independent of map order: for each key in
// sorted order, the key's and the value's lengths (8 bytes big-endian) and bytes, so that no
// two different maps hash the same input. It goes into a pod template annotation to roll the
// pod when the Secret changes; a SHA-256 reveals nothing usable about the values.
func DataHash(data map[string][]byte) string {
	keys := make([]string, 0, len(data))
	for key := range data {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	h := sha256.New()
	var length [8]byte
	for _, key := range keys {
		for _, part := range [][]byte{[]byte(key), data[key]} {
			binary.BigEndian.PutUint64(length[:], uint64(len(part)))
			h.Write(length[:])
			h.Write(part)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
