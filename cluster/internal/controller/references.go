package controller

import (
	"context"

	velerov1 "github.com/vmware-tanzu/velero/pkg/apis/velero/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// Field indexes that map an input object back to the servers that reference it.
const (
	// indexBSL: on servers, the `namespace/name` of the BSL they use.
	indexBSL = "spec.backupStorageLocation"
	// indexSecrets: on servers, the Secrets in their namespace they read (repository password,
	// user list, spec.tls).
	indexSecrets = "spec.secretNames"
	// indexConfigMaps: on servers, the user list ConfigMap.
	indexConfigMaps = "spec.configMapNames"
	// indexCredential: on BSLs, the name of their credential Secret (in the BSL's namespace).
	indexCredential = "spec.credential.name"
)

func addIndexes(mgr ctrl.Manager) error {
	ctx := context.Background()
	indexer := mgr.GetFieldIndexer()
	server := &v1alpha1.BackupStorageLocationServer{}
	if err := indexer.IndexField(ctx, server, indexBSL, func(o client.Object) []string {
		return []string{bslKey(o.(*v1alpha1.BackupStorageLocationServer)).String()}
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, server, indexSecrets, func(o client.Object) []string {
		return referencedSecrets(o.(*v1alpha1.BackupStorageLocationServer))
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, server, indexConfigMaps, func(o client.Object) []string {
		if cm := o.(*v1alpha1.BackupStorageLocationServer).Spec.UserManagement.Source.ConfigMap; cm != nil {
			return []string{cm.Name}
		}
		return nil
	}); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &velerov1.BackupStorageLocation{}, indexCredential, func(o client.Object) []string {
		key, _ := credentialRef(o.(*velerov1.BackupStorageLocation))
		return []string{key.Name}
	})
}

// referencedSecrets are the Secrets in a server's namespace that it reads. The generated ones
// are owned, so Owns already maps them.
func referencedSecrets(s *v1alpha1.BackupStorageLocationServer) []string {
	names := []string{s.Spec.RepositoryPasswordSecret.Name}
	if secret := s.Spec.UserManagement.Source.Secret; secret != nil {
		names = append(names, secret.Name)
	}
	if s.Spec.TLS != nil && s.Spec.TLS.SecretName != "" {
		names = append(names, s.Spec.TLS.SecretName)
	}
	return names
}

// referenceMapper turns an event on an input into requests for the servers that use it.
type referenceMapper struct {
	reader client.Reader
}

func (m *referenceMapper) forBSL(ctx context.Context, bsl client.Object) []reconcile.Request {
	key := types.NamespacedName{Namespace: bsl.GetNamespace(), Name: bsl.GetName()}
	return m.servers(ctx, client.MatchingFields{indexBSL: key.String()})
}

// forSecret covers both kinds of Secret a server reads: its own references, and the credential
// Secret of a BSL it uses (possibly in another namespace).
func (m *referenceMapper) forSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	requests := m.servers(ctx, client.InNamespace(secret.GetNamespace()),
		client.MatchingFields{indexSecrets: secret.GetName()})
	bsls := &velerov1.BackupStorageLocationList{}
	if err := m.reader.List(ctx, bsls, client.InNamespace(secret.GetNamespace()),
		client.MatchingFields{indexCredential: secret.GetName()}); err != nil {
		log.FromContext(ctx).Error(err, "listing the BackupStorageLocations that use a Secret",
			"secret", client.ObjectKeyFromObject(secret))
		return requests
	}
	for i := range bsls.Items {
		requests = append(requests, m.forBSL(ctx, &bsls.Items[i])...)
	}
	return requests
}

func (m *referenceMapper) forConfigMap(ctx context.Context, cm client.Object) []reconcile.Request {
	return m.servers(ctx, client.InNamespace(cm.GetNamespace()),
		client.MatchingFields{indexConfigMaps: cm.GetName()})
}

func (m *referenceMapper) servers(ctx context.Context, opts ...client.ListOption) []reconcile.Request {
	servers := &v1alpha1.BackupStorageLocationServerList{}
	if err := m.reader.List(ctx, servers, opts...); err != nil {
		// A failed cache read is not retried by the handler; the next event or resync is.
		log.FromContext(ctx).Error(err, "listing the BackupStorageLocationServers that reference an object")
		return nil
	}
	requests := make([]reconcile.Request, 0, len(servers.Items))
	for i := range servers.Items {
		requests = append(requests, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&servers.Items[i])})
	}
	return requests
}

// forPod maps a server pod to its server through the selector labels render puts on it.
func forPod(_ context.Context, pod client.Object) []reconcile.Request {
	labels := pod.GetLabels()
	name := labels[render.LabelInstance]
	if labels[render.LabelName] != serverPodName || name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: pod.GetNamespace(), Name: name}}}
}
