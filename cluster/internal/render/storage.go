// Package render computes, without I/O, the objects and settings the BackupStorageLocationServer
// controller applies (DESIGN.md §5). This file maps a Velero BackupStorageLocation to the S3
// storage of the Kopia repository, as Velero maps it for its own Kopia repositories.
package render

import (
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// KopiaS3Storage is what `kopia repository {create,connect} s3` needs (kopia v0.23.1
// cli/storage_s3.go). The three credential fields are secrets: they go to Env, never to Args.
type KopiaS3Storage struct {
	Bucket string
	// Endpoint is host[:port], without scheme or path.
	Endpoint string
	Region   string
	// Prefix is the repository's key prefix in the bucket; it ends with '/' (or is empty).
	Prefix                 string
	DisableTLS             bool
	DisableTLSVerification bool
	// RootCAPEM is the BSL's objectStorage.caCert; empty means the system roots.
	RootCAPEM []byte

	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Args returns kopia's S3 flags without any secret. rootCAPath is where the caller places
// RootCAPEM; it is used only when RootCAPEM is set. Values use the `--flag=value` form so that
// a value starting with '-' cannot be read as a flag.
func (s KopiaS3Storage) Args(rootCAPath string) []string {
	args := []string{"--bucket=" + s.Bucket, "--endpoint=" + s.Endpoint}
	if s.Region != "" {
		args = append(args, "--region="+s.Region)
	}
	if s.Prefix != "" {
		args = append(args, "--prefix="+s.Prefix)
	}
	if s.DisableTLS {
		args = append(args, "--disable-tls")
	}
	if s.DisableTLSVerification {
		args = append(args, "--disable-tls-verification")
	}
	if len(s.RootCAPEM) > 0 && rootCAPath != "" {
		args = append(args, "--root-ca-pem-path="+rootCAPath)
	}
	return args
}

// Env returns the credentials as the environment variables kopia reads for --access-key,
// --secret-access-key and --session-token (kopia v0.23.1 cli/storage_s3.go).
func (s KopiaS3Storage) Env() map[string]string {
	env := map[string]string{
		"AWS_ACCESS_KEY_ID":     s.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": s.SecretAccessKey,
	}
	if s.SessionToken != "" {
		env["AWS_SESSION_TOKEN"] = s.SessionToken
	}
	return env
}

// awsBackend is Velero's repoconfig.AWSBackend (pkg/repository/config/config.go).
const awsBackend = "velero.io/aws"

// KopiaS3StorageFor maps bsl, the content of its credentials file (AWS ini) and the server to
// the repository's S3 storage, following Velero v1.18.3's getStorageVariables and
// getStorageCredentials (pkg/repository/provider/unified_repo.go) and GetS3Credentials
// (pkg/repository/config/aws.go). Differences, because render is pure and the result must be
// unambiguous: an empty s3Url needs config.region (Velero would ask AWS for the bucket's region),
// and s3Url must be an http(s) URL with a host. Fails with an *Error whose Reason is
// ReasonBSLProviderUnsupported, ReasonBSLInvalid or ReasonCredentialsInvalid.
func KopiaS3StorageFor(bsl *velerov1.BackupStorageLocation, credentials []byte,
	bsls *v1alpha1.BackupStorageLocationServer) (KopiaS3Storage, error) {
	config := bsl.Spec.Config
	if !isS3Backend(bsl.Spec.Provider, config) {
		return KopiaS3Storage{}, errorf(ReasonBSLProviderUnsupported, fmt.Sprintf(
			"BackupStorageLocation %s/%s has provider %q; only aws (S3 and S3-compatible) is supported",
			bsl.Namespace, bsl.Name, bsl.Spec.Provider))
	}

	// unified_repo.go: objectStorage wins over the legacy config bucket/prefix; both are
	// trimmed of '/'.
	bucket := strings.Trim(config["bucket"], "/")
	bslPrefix := config["prefix"]
	var caCert []byte
	if objectStorage := bsl.Spec.ObjectStorage; objectStorage != nil {
		bucket = strings.Trim(objectStorage.Bucket, "/")
		bslPrefix = objectStorage.Prefix
		caCert = objectStorage.CACert
		// Velero prefers caCertRef (a Secret key); reading it is the controller's job and not
		// wired yet, and ignoring it would only surface later as a TLS failure.
		if objectStorage.CACertRef != nil {
			return KopiaS3Storage{}, errorf(ReasonBSLInvalid,
				"objectStorage.caCertRef is not supported yet; use objectStorage.caCert")
		}
	}
	if bucket == "" {
		return KopiaS3Storage{}, errorf(ReasonBSLInvalid, "the BackupStorageLocation has no bucket")
	}

	storage := KopiaS3Storage{
		Bucket:    bucket,
		Region:    strings.Trim(config["region"], "/"),
		Prefix:    RepositoryPrefix(bslPrefix, bsls),
		RootCAPEM: caCert,
		// Velero ignores a value strconv.ParseBool rejects (kopialib/backend/utils.go
		// optionalHaveBool), leaving verification on; so do we.
		DisableTLSVerification: parseBoolOrFalse(config["insecureSkipTLSVerify"]),
	}
	if err := setEndpoint(&storage, config["s3Url"]); err != nil {
		return KopiaS3Storage{}, err
	}

	creds, err := ParseAWSCredentials(credentials, config["profile"])
	if err != nil {
		return KopiaS3Storage{}, err
	}
	storage.AccessKeyID = creds.AccessKeyID
	storage.SecretAccessKey = creds.SecretAccessKey
	storage.SessionToken = creds.SessionToken
	return storage, nil
}

// isS3Backend is Velero's GetBackendType (pkg/repository/config/config.go) narrowed to the AWS
// answer: "aws" means "velero.io/aws", and a provider Velero does not know is taken as
// S3-compatible when config.s3Url is set.
func isS3Backend(provider string, config map[string]string) bool {
	if !strings.Contains(provider, "/") {
		provider = "velero.io/" + provider
	}
	switch provider {
	case awsBackend:
		return true
	case "velero.io/azure", "velero.io/gcp", "velero.io/fs":
		return false
	}
	return config["s3Url"] != ""
}

// setEndpoint applies unified_repo.go's s3Url rule: empty ⇒ `s3-<region>.amazonaws.com` with
// TLS; otherwise the URL's host[:port], and an http scheme disables TLS.
func setEndpoint(storage *KopiaS3Storage, s3URL string) error {
	if s3URL == "" {
		if storage.Region == "" {
			return errorf(ReasonBSLInvalid, "config.region is required when config.s3Url is empty")
		}
		storage.Endpoint = fmt.Sprintf("s3-%s.amazonaws.com", storage.Region)
		return nil
	}
	u, err := url.Parse(s3URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errorf(ReasonBSLInvalid, fmt.Sprintf(
			"config.s3Url %q is not an http:// or https:// URL with a host", s3URL))
	}
	if u.Path != "" && u.Path != "/" {
		return errorf(ReasonBSLInvalid, fmt.Sprintf("config.s3Url %q has a path; only a host is expected", s3URL))
	}
	storage.Endpoint = u.Host
	storage.DisableTLS = u.Scheme == "http"
	return nil
}

// RepositoryPrefix returns `<bsl prefix>/kopia/_bsls/<spec.prefix>/`, where an empty
// spec.prefix means `<namespace>/<name>` of the server (DESIGN.md §5: Velero keeps the BSL
// Available with a `kopia/` folder, and `_bsls` cannot be a namespace, so Velero's own
// repositories at `kopia/<namespace>/` never collide). The result has no leading '/' and no
// empty segment, and ends with '/'.
func RepositoryPrefix(bslPrefix string, bsls *v1alpha1.BackupStorageLocationServer) string {
	own := bsls.Spec.Prefix
	if own == "" {
		own = bsls.Namespace + "/" + bsls.Name
	}
	joined := path.Join(strings.Trim(bslPrefix, "/"), "kopia", "_bsls", own)
	return strings.TrimPrefix(joined, "/") + "/"
}

func parseBoolOrFalse(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b
}
