package kubeenv

import (
	"context"
	"testing"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

func TestBothCRDsAreServed(t *testing.T) {
	env := Start(t)
	ctx := context.Background()
	bsl := &velerov1.BackupStorageLocation{
		ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "default"},
		Spec: velerov1.BackupStorageLocationSpec{
			Provider: "aws",
			StorageType: velerov1.StorageType{ObjectStorage: &velerov1.ObjectStorageLocation{
				Bucket: "b",
			}},
		},
	}
	if err := env.Client.Create(ctx, bsl); err != nil {
		t.Fatalf("creating a Velero BackupStorageLocation: %v", err)
	}
	var servers v1alpha1.BackupStorageLocationServerList
	if err := env.Client.List(ctx, &servers); err != nil {
		t.Fatalf("listing BackupStorageLocationServers: %v", err)
	}
	if len(servers.Items) != 0 {
		t.Errorf("a new apiserver holds %d servers", len(servers.Items))
	}
}
