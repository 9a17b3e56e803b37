package render

import (
	"reflect"
	"strings"
	"testing"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// twoProfiles is an OADP `cloud` credentials file: a default profile and a second one, written
// in the config-file style `[profile name]` that Velero also accepts.
const twoProfiles = `
# OADP cloud-credentials
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = defaultsecret

[profile backup]
AWS_ACCESS_KEY_ID=BACKUPKEY
aws_secret_access_key=backupsecret/with+chars=
aws_session_token = backuptoken
`

const testCA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

func testBSL(provider, bslPrefix string, config map[string]string) *velerov1.BackupStorageLocation {
	return &velerov1.BackupStorageLocation{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "openshift-adp"},
		Spec: velerov1.BackupStorageLocationSpec{
			Provider: provider,
			StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
				Bucket: "velero-bucket", Prefix: bslPrefix,
			}},
			Config: config,
		},
	}
}

func testBSLS(prefix string) *v1alpha1.BackupStorageLocationServer {
	return &v1alpha1.BackupStorageLocationServer{
		ObjectMeta: metav1.ObjectMeta{Name: "vms", Namespace: "tenant-a"},
		Spec:       v1alpha1.BackupStorageLocationServerSpec{Prefix: prefix},
	}
}

func TestKopiaS3StorageFor(t *testing.T) {
	withCA := testBSL("aws", "velero", map[string]string{"s3Url": "https://s3.example.com:8443"})
	withCA.Spec.ObjectStorage.CACert = []byte(testCA)

	tests := []struct {
		name  string
		bsl   *velerov1.BackupStorageLocation
		creds string
		want  KopiaS3Storage
	}{{
		name: "path-style MinIO over http, second profile picked by config.profile",
		bsl: testBSL("aws", "velero", map[string]string{
			"s3Url": "http://minio.minio.svc:9000", "region": "minio", "profile": "backup",
			"s3ForcePathStyle": "true",
		}),
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "minio.minio.svc:9000", Region: "minio",
			Prefix: "velero/kopia/_bsls/tenant-a/vms/", DisableTLS: true,
			AccessKeyID: "BACKUPKEY", SecretAccessKey: "backupsecret/with+chars=",
			SessionToken: "backuptoken",
		},
	}, {
		name:  "https with port and a trailing slash, default profile",
		bsl:   testBSL("velero.io/aws", "", map[string]string{"s3Url": "https://s3.example.com:8443/"}),
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3.example.com:8443",
			Prefix:      "kopia/_bsls/tenant-a/vms/",
			AccessKeyID: "DEFAULTKEY", SecretAccessKey: "defaultsecret",
		},
	}, {
		name:  "empty s3Url: AWS regional endpoint with TLS",
		bsl:   testBSL("aws", "velero", map[string]string{"region": "eu-west-1"}),
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3-eu-west-1.amazonaws.com", Region: "eu-west-1",
			Prefix:      "velero/kopia/_bsls/tenant-a/vms/",
			AccessKeyID: "DEFAULTKEY", SecretAccessKey: "defaultsecret",
		},
	}, {
		name: "insecureSkipTLSVerify",
		bsl: testBSL("aws", "velero", map[string]string{
			"s3Url": "https://s3.local", "insecureSkipTLSVerify": "true",
		}),
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3.local", DisableTLSVerification: true,
			Prefix:      "velero/kopia/_bsls/tenant-a/vms/",
			AccessKeyID: "DEFAULTKEY", SecretAccessKey: "defaultsecret",
		},
	}, {
		name: "insecureSkipTLSVerify that is not a bool is ignored, as Velero does",
		bsl: testBSL("aws", "velero", map[string]string{
			"s3Url": "https://s3.local", "insecureSkipTLSVerify": "yes please",
		}),
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3.local",
			Prefix:      "velero/kopia/_bsls/tenant-a/vms/",
			AccessKeyID: "DEFAULTKEY", SecretAccessKey: "defaultsecret",
		},
	}, {
		name:  "objectStorage.caCert",
		bsl:   withCA,
		creds: twoProfiles,
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3.example.com:8443",
			Prefix: "velero/kopia/_bsls/tenant-a/vms/", RootCAPEM: []byte(testCA),
			AccessKeyID: "DEFAULTKEY", SecretAccessKey: "defaultsecret",
		},
	}, {
		name:  "unknown provider with s3Url is S3-compatible (Velero's GetBackendType)",
		bsl:   testBSL("example.com/s3", "", map[string]string{"s3Url": "https://s3.local"}),
		creds: "[default]\naws_access_key_id=K\naws_secret_access_key=S\n",
		want: KopiaS3Storage{
			Bucket: "velero-bucket", Endpoint: "s3.local", Prefix: "kopia/_bsls/tenant-a/vms/",
			AccessKeyID: "K", SecretAccessKey: "S",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := KopiaS3StorageFor(tc.bsl, []byte(tc.creds), testBSLS(""))
			if err != nil {
				t.Fatalf("KopiaS3StorageFor: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestKopiaS3StorageForErrors(t *testing.T) {
	noBucket := testBSL("aws", "", map[string]string{"region": "r"})
	noBucket.Spec.ObjectStorage.Bucket = ""
	caRef := testBSL("aws", "", map[string]string{"region": "r"})
	caRef.Spec.ObjectStorage.CACertRef = &corev1.SecretKeySelector{Key: "ca.crt"}

	tests := []struct {
		name       string
		bsl        *velerov1.BackupStorageLocation
		creds      string
		wantReason string
		wantText   string
	}{
		{"azure", testBSL("azure", "", nil), twoProfiles,
			ReasonBSLProviderUnsupported, `provider "azure"`},
		{"gcp even with s3Url", testBSL("velero.io/gcp", "", map[string]string{"s3Url": "https://x"}),
			twoProfiles, ReasonBSLProviderUnsupported, `provider "velero.io/gcp"`},
		{"unknown provider without s3Url", testBSL("example.com/s3", "", nil), twoProfiles,
			ReasonBSLProviderUnsupported, `provider "example.com/s3"`},
		{"missing profile", testBSL("aws", "", map[string]string{"region": "r", "profile": "nope"}),
			twoProfiles, ReasonCredentialsInvalid, `no profile "nope"`},
		{"missing secret key", testBSL("aws", "", map[string]string{"region": "r"}),
			"[default]\naws_access_key_id = K\n", ReasonCredentialsInvalid,
			`profile "default" of the credentials file has no aws_secret_access_key`},
		{"empty credentials", testBSL("aws", "", map[string]string{"region": "r"}), "",
			ReasonCredentialsInvalid, `no profile "default"`},
		{"no region and no s3Url", testBSL("aws", "", nil), twoProfiles,
			ReasonBSLInvalid, "config.region is required"},
		{"s3Url without scheme", testBSL("aws", "", map[string]string{"s3Url": "minio:9000"}),
			twoProfiles, ReasonBSLInvalid, `config.s3Url "minio:9000" is not an http`},
		{"s3Url with a path", testBSL("aws", "", map[string]string{"s3Url": "https://h/bucket"}),
			twoProfiles, ReasonBSLInvalid, "has a path"},
		{"no bucket", noBucket, twoProfiles, ReasonBSLInvalid, "no bucket"},
		{"caCertRef", caRef, twoProfiles, ReasonBSLInvalid, "caCertRef is not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := KopiaS3StorageFor(tc.bsl, []byte(tc.creds), testBSLS(""))
			if err == nil {
				t.Fatal("want an error, got none")
			}
			if got := ReasonOf(err); got != tc.wantReason {
				t.Errorf("reason %q, want %q (%v)", got, tc.wantReason, err)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q does not contain %q", err, tc.wantText)
			}
			for _, secret := range []string{"defaultsecret", "backupsecret", "backuptoken"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q leaks a secret", err)
				}
			}
		})
	}
}

func TestRepositoryPrefix(t *testing.T) {
	tests := []struct {
		bslPrefix, specPrefix, want string
	}{
		{"", "", "kopia/_bsls/tenant-a/vms/"},
		{"velero", "", "velero/kopia/_bsls/tenant-a/vms/"},
		{"/velero/", "", "velero/kopia/_bsls/tenant-a/vms/"},
		{"a/b", "team/x", "a/b/kopia/_bsls/team/x/"},
		{"", "team", "kopia/_bsls/team/"},
	}
	for _, tc := range tests {
		got := RepositoryPrefix(tc.bslPrefix, testBSLS(tc.specPrefix))
		if got != tc.want {
			t.Errorf("RepositoryPrefix(%q, %q) = %q, want %q", tc.bslPrefix, tc.specPrefix, got, tc.want)
		}
		if strings.Contains(got, "//") || !strings.HasSuffix(got, "/") || strings.HasPrefix(got, "/") {
			t.Errorf("RepositoryPrefix(%q, %q) = %q is malformed", tc.bslPrefix, tc.specPrefix, got)
		}
	}
}

func TestArgsAndEnv(t *testing.T) {
	s := KopiaS3Storage{
		Bucket: "b", Endpoint: "minio:9000", Region: "r", Prefix: "p/kopia/_bsls/x/",
		DisableTLS: true, DisableTLSVerification: true, RootCAPEM: []byte(testCA),
		AccessKeyID: "AKIAKEY", SecretAccessKey: "s3cr3t", SessionToken: "t0ken",
	}
	wantArgs := []string{
		"--bucket=b", "--endpoint=minio:9000", "--region=r", "--prefix=p/kopia/_bsls/x/",
		"--disable-tls", "--disable-tls-verification", "--root-ca-pem-path=/etc/s3/ca.crt",
	}
	args := s.Args("/etc/s3/ca.crt")
	if !reflect.DeepEqual(args, wantArgs) {
		t.Errorf("Args = %q, want %q", args, wantArgs)
	}
	for _, a := range args {
		for _, secret := range []string{"AKIAKEY", "s3cr3t", "t0ken", "BEGIN CERTIFICATE"} {
			if strings.Contains(a, secret) {
				t.Errorf("Args contains %q in %q", secret, a)
			}
		}
	}
	minimal := KopiaS3Storage{Bucket: "b", Endpoint: "s3-r.amazonaws.com"}
	if got, want := minimal.Args("/etc/s3/ca.crt"), []string{"--bucket=b", "--endpoint=s3-r.amazonaws.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("minimal Args = %q, want %q", got, want)
	}
	wantEnv := map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAKEY", "AWS_SECRET_ACCESS_KEY": "s3cr3t", "AWS_SESSION_TOKEN": "t0ken",
	}
	if env := s.Env(); !reflect.DeepEqual(env, wantEnv) {
		t.Errorf("Env = %v, want %v", env, wantEnv)
	}
	if _, ok := minimal.Env()["AWS_SESSION_TOKEN"]; ok {
		t.Error("Env sets AWS_SESSION_TOKEN without a session token")
	}
}
