package render

import (
	"reflect"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestStorageSecretHoldsOnlyTheKopiaKeys: whatever else the BSL's credentials file holds,
// the derived Secret has the chosen profile's static keys and the BSL's CA, nothing more.
func TestStorageSecretHoldsOnlyTheKopiaKeys(t *testing.T) {
	extraDefault := minimalInputs()
	extraDefault.Credentials = []byte(extraKeys)
	extraBackup := fullInputs()
	extraBackup.Credentials = []byte(extraKeys)
	tests := []struct {
		name string
		in   Inputs
		want map[string]string
	}{
		{"default profile, no CA", minimalInputs(),
			map[string]string{"AWS_ACCESS_KEY_ID": "DEFAULTKEY", "AWS_SECRET_ACCESS_KEY": defaultSecretKey}},
		{"default profile with extra keys", extraDefault,
			map[string]string{"AWS_ACCESS_KEY_ID": "DEFAULTKEY", "AWS_SECRET_ACCESS_KEY": defaultSecretKey}},
		{"second profile with token and CA", fullInputs(), map[string]string{"AWS_ACCESS_KEY_ID": "BACKUPKEY",
			"AWS_SECRET_ACCESS_KEY": backupSecretKey, "AWS_SESSION_TOKEN": backupToken, StorageCAKey: testCA}},
		{"second profile with extra keys", extraBackup, map[string]string{"AWS_ACCESS_KEY_ID": "BACKUPKEY",
			"AWS_SECRET_ACCESS_KEY": backupSecretKey, "AWS_SESSION_TOKEN": backupToken, StorageCAKey: testCA}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := mustRender(t, tt.in).StorageSecret
			got := map[string]string{}
			for key, value := range secret.Data {
				got[key] = string(value)
			}
			if !reflect.DeepEqual(got, tt.want) || len(secret.StringData) != 0 {
				t.Errorf("data %v, want %v", got, tt.want)
			}
			if secret.Type != corev1.SecretTypeOpaque || secret.Name != "vms-storage" {
				t.Errorf("type %q name %q", secret.Type, secret.Name)
			}
		})
	}
}

func TestDataHash(t *testing.T) {
	base := map[string][]byte{"a": []byte("bc"), "d": []byte("e")}
	same := map[string][]byte{"d": []byte("e"), "a": []byte("bc")}
	if DataHash(base) != DataHash(same) {
		t.Error("the hash depends on map order")
	}
	different := []map[string][]byte{
		{"a": []byte("bc"), "d": []byte("f")},          // a value changed
		{"ab": []byte("c"), "d": []byte("e")},          // same concatenation, other split
		{"a": []byte("bc")},                            // a key removed
		{"a": []byte("bc"), "d": []byte("e"), "": nil}, // an empty key added
	}
	seen := []string{DataHash(base)}
	for _, data := range different {
		h := DataHash(data)
		if slices.Contains(seen, h) {
			t.Errorf("DataHash(%q) collides", data)
		}
		seen = append(seen, h)
	}
}
