// Package minio runs a real MinIO server on loopback for tests, plain or with TLS (a generated
// certificate for "localhost"), and talks S3 to it with a minimal SigV4 client (create a
// bucket, put and list objects) so tests need no S3 SDK. Start skips the test when
// GUESTBACKUP_MINIO (the binary scripts/setup-cluster builds) is unset.
package minio

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/guestbackup/guestbackup/cluster/internal/testsupport/require"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// BinaryEnv names the MinIO binary the tests run.
const BinaryEnv = "GUESTBACKUP_MINIO"

// Options of Start.
type Options struct {
	// TLS serves HTTPS with a self-signed certificate for "localhost" (Server.CAPEM).
	TLS bool
}

// Server is a running MinIO.
type Server struct {
	// Endpoint is host:port as kopia's --endpoint takes it: "127.0.0.1:PORT", or with TLS
	// "localhost:PORT" (the name the certificate holds).
	Endpoint string
	// URL is scheme://Endpoint, the form of a Velero BSL's config.s3Url.
	URL string
	// Region is MinIO's default region.
	Region string
	// AccessKey and SecretKey are the root credentials.
	AccessKey, SecretKey string
	// CAPEM is the certificate clients must trust (TLS only); CAFile holds the same PEM.
	CAPEM  []byte
	CAFile string

	client *http.Client
}

// Start runs MinIO on a free loopback port with a fresh data directory and waits until it
// serves S3. It is stopped when the test ends; its output is logged if the test failed.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := require.Env(t, BinaryEnv, `eval "$(scripts/setup-cluster)"`+" for the tests against MinIO")
	dir := t.TempDir()
	dataDir, certsDir := filepath.Join(dir, "data"), filepath.Join(dir, "certs")
	for _, d := range []string{dataDir, certsDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	s := &Server{
		Endpoint:  "127.0.0.1:" + port,
		URL:       "http://127.0.0.1:" + port,
		Region:    "us-east-1",
		AccessKey: "guestbackup-test",
		SecretKey: "guestbackup-test-secret",
		client:    &http.Client{Timeout: 30 * time.Second},
	}
	if opts.TLS {
		s.setUpTLS(t, certsDir, port)
	}

	logFile, err := os.Create(filepath.Join(dir, "minio.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "server", dataDir, "--address=127.0.0.1:"+port, "--certs-dir="+certsDir, "--quiet")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"MINIO_ROOT_USER=" + s.AccessKey,
		"MINIO_ROOT_PASSWORD=" + s.SecretKey,
		"MINIO_BROWSER=off", // no console listening on another port
		"MINIO_UPDATE=off",
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting minio: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
		if t.Failed() {
			if log, err := os.ReadFile(logFile.Name()); err == nil {
				t.Logf("minio output:\n%s", log)
			}
		}
	})
	s.waitReady(t, exited)
	return s
}

// setUpTLS places a certificate for "localhost" where MinIO looks for it (public.crt and
// private.key in --certs-dir) and makes the server's own client trust it.
func (s *Server) setUpTLS(t testing.TB, certsDir, port string) {
	t.Helper()
	certPEM, keyPEM, err := tlscert.GenerateSelfSigned([]string{"localhost"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(certsDir, "public.crt"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(certsDir, "private.key"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	s.CAFile = filepath.Join(filepath.Dir(certsDir), "ca.crt")
	if err := os.WriteFile(s.CAFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	s.CAPEM = certPEM
	s.Endpoint = "localhost:" + port
	s.URL = "https://localhost:" + port
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	s.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
}

// waitReady polls MinIO's unauthenticated cluster health endpoint: /minio/health/live and
// /ready answer 200 a moment before the object layer is initialized, when S3 calls still get
// 503 XMinioServerNotInitialized.
func (s *Server) waitReady(t testing.TB, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := s.client.Get(s.URL + "/minio/health/cluster")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("minio exited while starting: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("minio was not ready within 60 s: last error %v", err)
		}
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// KopiaArgs returns `kopia repository {create,connect} s3` flags for bucket and prefix on this
// server. With TLS, the CA file is given as --root-ca-pem-path.
func (s *Server) KopiaArgs(bucket, prefix string) []string {
	args := []string{"--bucket=" + bucket, "--endpoint=" + s.Endpoint, "--region=" + s.Region}
	if prefix != "" {
		args = append(args, "--prefix="+prefix)
	}
	if s.CAFile == "" {
		args = append(args, "--disable-tls")
	} else {
		args = append(args, "--root-ca-pem-path="+s.CAFile)
	}
	return args
}

// CredentialsEnv returns the credentials in the environment variables kopia reads.
func (s *Server) CredentialsEnv() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + s.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s.SecretKey}
}

func (s *Server) String() string { return fmt.Sprintf("minio at %s", s.URL) }
