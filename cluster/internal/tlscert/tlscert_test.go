package tlscert

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestGeneratedCertificateServesAndIsPinnedByItsDERHash(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	certPEM, keyPEM, err := GenerateSelfSigned([]string{"srv.ns.svc", "srv"}, now)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatalf("generated pair does not load: %v", err)
	}
	sum := sha256.Sum256(pair.Certificate[0])
	fingerprint, err := Fingerprint(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(sum[:]); fingerprint != want {
		t.Errorf("Fingerprint = %s, want sha256 of the DER %s", fingerprint, want)
	}
	if err := Check(certPEM, keyPEM, now); err != nil {
		t.Errorf("Check(now) = %v", err)
	}
	if NeedsRenewal(certPEM, keyPEM, now) {
		t.Error("a fresh certificate needs no renewal")
	}
	if !NeedsRenewal(certPEM, keyPEM, now.Add(Validity-RenewBefore+time.Hour)) {
		t.Error("a certificate inside the renewal window must be renewed")
	}
}

func TestCheckNamesTheProblem(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	certPEM, keyPEM, err := GenerateSelfSigned([]string{"a"}, now)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := GenerateSelfSigned([]string{"b"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		cert, key []byte
		at        time.Time
		want      string
	}{
		{"no PEM", []byte("not a cert"), keyPEM, now, "no PEM CERTIFICATE block"},
		{"other key", certPEM, otherKey, now, "does not match"},
		{"expired", certPEM, keyPEM, now.Add(Validity + time.Hour), "expired at"},
		{"not yet valid", certPEM, keyPEM, now.Add(-time.Hour), "not valid before"},
	}
	for _, c := range cases {
		err := Check(c.cert, c.key, c.at)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Check = %v, want an error containing %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("%s: error leaks key material: %v", c.name, err)
		}
	}
}
