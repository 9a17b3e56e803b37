package minio

import (
	"reflect"
	"strings"
	"testing"
)

func TestPlainAndTLSServersStoreAndListObjects(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "tls"}[tls]
		t.Run(name, func(t *testing.T) {
			s := Start(t, Options{TLS: tls})
			if tls != strings.HasPrefix(s.URL, "https://") || tls != (len(s.CAPEM) > 0) {
				t.Errorf("TLS %v but URL %s and %d bytes of CA", tls, s.URL, len(s.CAPEM))
			}
			s.CreateBucket(t, "backups")
			if got := s.ListObjects(t, "backups", ""); len(got) != 0 {
				t.Errorf("a new bucket lists %v", got)
			}
			for _, key := range []string{"a/b/one", "a/b/two words+plus", "a/c", "z"} {
				s.PutObject(t, "backups", key, []byte(key))
			}
			want := []string{"a/b/one", "a/b/two words+plus"}
			if got := s.ListObjects(t, "backups", "a/b/"); !reflect.DeepEqual(got, want) {
				t.Errorf("ListObjects(a/b/) = %q, want %q", got, want)
			}
		})
	}
}

func TestWrongSecretIsRefused(t *testing.T) {
	s := Start(t, Options{})
	s.SecretKey = "not-the-secret"
	if _, err := s.do("PUT", "/other", nil, nil); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Errorf("a request signed with a wrong secret: %v, want SignatureDoesNotMatch", err)
	}
}
