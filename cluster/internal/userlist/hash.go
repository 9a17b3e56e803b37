package userlist

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// Kopia v0.23.1's password hashes (internal/user/user_profile.go, password_hashings.go,
// hash_password.go): version 0 (unset) and 1 are scrypt N=65536 r=8 p=1, version 2 is
// PBKDF2-SHA256 with 600000 rounds; the stored bytes are a 32-byte salt followed by a 32-byte key.
const (
	hashVersionUnset  = 0
	hashVersionScrypt = 1
	hashVersionPBKDF2 = 2

	saltLength = 32
	keyLength  = 32

	scryptN = 65536
	scryptR = 8
	scryptP = 1
)

// Hash is a decoded kopia password hash: what `kopia server user add --user-password-hash`
// takes once base64 and JSON are peeled off, and what `kopia server user list --json` shows.
type Hash struct {
	Version    int
	SaltAndKey []byte
}

// encodedHash is the JSON kopia base64-encodes; []byte fields marshal as standard base64, as in
// kopia's own struct.
type encodedHash struct {
	PasswordHashVersion int    `json:"passwordHashVersion"`
	PasswordHash        []byte `json:"passwordHash"`
}

// errNotAHash says the value is not base64 of a JSON object at all, which in a user list
// almost always means someone pasted the password itself.
var errNotAHash = fmt.Errorf("the value is not a kopia password hash; it looks like a plain " +
	"password; use `bsls-controller hash-password`")

// DecodeHash decodes and checks an encoded hash the way kopia's Profile.SetPasswordHash does.
// The error never contains the value.
func DecodeHash(encoded string) (Hash, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return Hash{}, errNotAHash
	}
	var h encodedHash
	if err := json.Unmarshal(raw, &h); err != nil {
		return Hash{}, errNotAHash
	}
	switch h.PasswordHashVersion {
	case hashVersionUnset, hashVersionScrypt, hashVersionPBKDF2:
	default:
		return Hash{}, fmt.Errorf("password hash version %d is not supported by kopia v0.23.1 "+
			"(1 = scrypt, 2 = pbkdf2); use `bsls-controller hash-password`", h.PasswordHashVersion)
	}
	if len(h.PasswordHash) != saltLength+keyLength {
		return Hash{}, fmt.Errorf("password hash holds %d bytes of salt and key; kopia expects %d; "+
			"use `bsls-controller hash-password`", len(h.PasswordHash), saltLength+keyLength)
	}
	return Hash{Version: h.PasswordHashVersion, SaltAndKey: h.PasswordHash}, nil
}

// Equal reports whether both hashes verify the same passwords. Kopia treats an unset version
// as scrypt, so 0 and 1 are the same algorithm.
func (h Hash) Equal(other Hash) bool {
	return normalizedVersion(h.Version) == normalizedVersion(other.Version) &&
		bytes.Equal(h.SaltAndKey, other.SaltAndKey)
}

func normalizedVersion(v int) int {
	if v == hashVersionUnset {
		return hashVersionScrypt
	}
	return v
}

// HashPassword returns what kopia v0.23.1's user.HashPassword returns for password: its default
// version 1 (scrypt N=65536 r=8 p=1, 32-byte key) over a fresh 32-byte random salt, as
// base64(JSON {passwordHashVersion, passwordHash}). Takes about 100 ms and 64 MiB, like kopia.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("generating a salt: %w", err)
	}
	key, err := scryptKey(password, salt)
	if err != nil {
		return "", err
	}
	j, err := json.Marshal(encodedHash{
		PasswordHashVersion: hashVersionScrypt,
		PasswordHash:        append(salt, key...),
	})
	if err != nil {
		return "", fmt.Errorf("encoding the password hash: %w", err)
	}
	return base64.StdEncoding.EncodeToString(j), nil
}

func scryptKey(password string, salt []byte) ([]byte, error) {
	key, err := scrypt.Key([]byte(password), salt, scryptN, scryptR, scryptP, keyLength)
	if err != nil {
		return nil, fmt.Errorf("hashing the password with scrypt: %w", err)
	}
	return key, nil
}
