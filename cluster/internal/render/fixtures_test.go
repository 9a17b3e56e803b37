package render

import (
	_ "embed"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

// testCertPEM is a self-signed certificate made once with tlscert.GenerateSelfSigned, so the
// fingerprint in the golden files is fixed.
//
//go:embed testdata/tls.crt
var testCertPEM []byte

const (
	testUID   = "0f0e0d0c-0b0a-4908-8706-050403020100"
	testImage = "registry.example.com/bsls-server:test"
)

// minimalServer is a server with every optional field unset: the defaults, a Secret user
// source and the generated TLS Secret name.
func minimalServer() *v1alpha1.BackupStorageLocationServer {
	return &v1alpha1.BackupStorageLocationServer{
		TypeMeta:   metav1.TypeMeta{APIVersion: "oadp.openshift.io/v1alpha1", Kind: "BackupStorageLocationServer"},
		ObjectMeta: metav1.ObjectMeta{Name: "vms", Namespace: "tenant-a", UID: testUID},
		Spec: v1alpha1.BackupStorageLocationServerSpec{
			BackupStorageLocation: v1alpha1.BackupStorageLocationRef{Name: "default"},
			RepositoryPasswordSecret: corev1.SecretKeySelector{
				LocalObjectReference: corev1.LocalObjectReference{Name: "repo-password"}, Key: "password",
			},
			UserManagement: v1alpha1.UserManagementSpec{Source: v1alpha1.UserSource{
				Secret: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: "kopia-users"}, Key: "users.txt",
				},
			}},
		},
	}
}

// fullServer sets every optional field to a non-default value.
func fullServer() *v1alpha1.BackupStorageLocationServer {
	s := minimalServer()
	no := false
	s.Spec.BackupStorageLocation.Namespace = "velero"
	s.Spec.Prefix = "team-a/vms"
	s.Spec.UserManagement = v1alpha1.UserManagementSpec{
		Source: v1alpha1.UserSource{ConfigMap: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "kopia-users"}, Key: "list",
		}},
		Prune: &no,
	}
	s.Spec.Service = &v1alpha1.ServiceSpec{
		Type: v1alpha1.ServiceTypeLoadBalancer,
		Port: 443,
		Annotations: map[string]string{
			"service.beta.kubernetes.io/aws-load-balancer-internal": "true",
			"metallb.universe.tf/address-pool":                      "backup",
		},
	}
	s.Spec.TLS = &v1alpha1.TLSSpec{SecretName: "kopia-server-cert"}
	s.Spec.PodConfig = &v1alpha1.PodConfig{
		PodResources: &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("512Mi"),
			},
			Limits: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("2Gi")},
		},
		LoadAffinity: &v1alpha1.LoadAffinity{NodeSelector: &metav1.LabelSelector{
			MatchLabels: map[string]string{"node-role.kubernetes.io/backup": ""},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "topology.kubernetes.io/zone", Operator: metav1.LabelSelectorOpIn, Values: []string{"zone-a", "zone-b"}},
				{Key: "node.example.com/draining", Operator: metav1.LabelSelectorOpDoesNotExist},
			},
		}},
	}
	s.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{AllowedNamespaces: &metav1.LabelSelector{
		MatchLabels: map[string]string{"guestbackup.io/vms": "true"},
	}}
	s.Spec.Image = "quay.example.com/guestbackup/bsls-server@sha256:" +
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	return s
}

// minimalBSL is an OADP BSL on AWS S3 with a region and no s3Url.
func minimalBSL() *velerov1.BackupStorageLocation {
	return &velerov1.BackupStorageLocation{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "openshift-adp"},
		Spec: velerov1.BackupStorageLocationSpec{
			Provider: "aws",
			StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
				Bucket: "velero-bucket", Prefix: "cluster-1",
			}},
			Config: map[string]string{"region": "eu-west-1"},
		},
	}
}

// fullBSL is an S3-compatible store with its own CA and a second credentials profile.
func fullBSL() *velerov1.BackupStorageLocation {
	bsl := minimalBSL()
	bsl.Namespace = "velero"
	bsl.Spec.ObjectStorage.CACert = []byte(testCA)
	bsl.Spec.Config = map[string]string{
		"region": "minio", "s3Url": "https://minio.storage.svc:9000", "profile": "backup",
		"s3ForcePathStyle": "true",
	}
	return bsl
}

// Secret values that must appear only in the storage Secret's data.
const (
	defaultSecretKey = "defaultsecret"
	backupSecretKey  = "backupsecret/with+chars="
	backupToken      = "backuptoken"
)

func minimalInputs() Inputs {
	return Inputs{Server: minimalServer(), BSL: minimalBSL(), Credentials: []byte(twoProfiles),
		TLSCertPEM: testCertPEM, Image: testImage}
}

func fullInputs() Inputs {
	return Inputs{Server: fullServer(), BSL: fullBSL(), Credentials: []byte(twoProfiles),
		TLSCertPEM: testCertPEM, Image: testImage}
}
