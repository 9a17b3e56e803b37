// Package tlscert creates and checks the Kopia server's certificate: the self-signed one the
// controller generates when spec.tls is unset, and the fingerprint clients pin.
package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Validity of a generated certificate. Clients pin its fingerprint, so a new certificate means
// re-configuring every guest: it is long-lived on purpose and replaced only when it is missing,
// invalid or within RenewBefore of expiry.
const (
	Validity    = 5 * 365 * 24 * time.Hour
	RenewBefore = 30 * 24 * time.Hour
)

// GenerateSelfSigned returns a PEM certificate and PKCS#8 PEM key (ECDSA P-256) for dnsNames,
// valid from now for Validity. The first name is the subject's common name.
func GenerateSelfSigned(dnsNames []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	if len(dnsNames) == 0 {
		return nil, nil, errors.New("tlscert: at least one DNS name is required")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("tlscert: generating key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, fmt.Errorf("tlscert: generating serial: %w", err)
	}
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: dnsNames[0], Organization: []string{"guestbackup"}},
		DNSNames:              dnsNames,
		NotBefore:             now.Add(-5 * time.Minute), // tolerate clocks slightly behind
		NotAfter:              now.Add(Validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		// A CA bit lets clients that verify by CA (not by pin) trust it as its own root.
		IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("tlscert: creating certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("tlscert: encoding key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// Fingerprint returns the lowercase hex SHA-256 of the first certificate's DER bytes, the form
// `kopia repository connect server --server-cert-fingerprint` pins (kopia computes
// sha256(cert.Raw)).
func Fingerprint(certPEM []byte) (string, error) {
	cert, err := firstCertificate(certPEM)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:]), nil
}

// Check says why certPEM/keyPEM cannot serve: unparsable, key not matching, not yet valid or
// expired at now. The message names the problem and never contains key material.
func Check(certPEM, keyPEM []byte, now time.Time) error {
	cert, err := firstCertificate(certPEM)
	if err != nil {
		return err
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return fmt.Errorf("tls.key does not match tls.crt or cannot be parsed: %w", err)
	}
	if now.Before(cert.NotBefore) {
		return fmt.Errorf("the certificate is not valid before %s", cert.NotBefore.UTC().Format(time.RFC3339))
	}
	if !now.Before(cert.NotAfter) {
		return fmt.Errorf("the certificate expired at %s", cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// NeedsRenewal reports whether a generated certificate should be replaced at now.
func NeedsRenewal(certPEM, keyPEM []byte, now time.Time) bool {
	if Check(certPEM, keyPEM, now) != nil {
		return true
	}
	cert, _ := firstCertificate(certPEM)
	return now.Add(RenewBefore).After(cert.NotAfter)
}

func firstCertificate(certPEM []byte) (*x509.Certificate, error) {
	for rest := certPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("tls.crt holds no PEM CERTIFICATE block")
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("tls.crt: cannot parse the certificate: %w", err)
		}
		return cert, nil
	}
}
