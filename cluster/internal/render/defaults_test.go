package render

import (
	"reflect"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
)

func TestApplyDefaults(t *testing.T) {
	s := minimalServer()
	ApplyDefaults(s)
	spec := s.Spec
	if spec.BackupStorageLocation.Namespace != "openshift-adp" || spec.Service == nil ||
		spec.Service.Type != v1alpha1.ServiceTypeClusterIP || spec.Service.Port != 51515 ||
		spec.UserManagement.Prune == nil || !*spec.UserManagement.Prune {
		t.Errorf("defaulted spec %+v", spec)
	}

	full := fullServer()
	want := full.DeepCopy()
	ApplyDefaults(full)
	if !reflect.DeepEqual(full, want) {
		t.Errorf("ApplyDefaults changed set fields: %+v", full.Spec)
	}
}

// TestRenderTreatsUnsetAsDefault: a server read without the apiserver's defaulting renders
// exactly as the defaulted one, so the controller and the offline render agree.
func TestRenderTreatsUnsetAsDefault(t *testing.T) {
	defaulted := minimalInputs()
	ApplyDefaults(defaulted.Server)
	if a, b := renderYAML(t, minimalInputs()), renderYAML(t, defaulted); string(a) != string(b) {
		t.Errorf("defaulting changed the render:\n%s\n---\n%s", a, b)
	}
}

func TestServerDNSNames(t *testing.T) {
	want := []string{"vms", "vms.tenant-a", "vms.tenant-a.svc", "vms.tenant-a.svc.cluster.local"}
	if got := ServerDNSNames(minimalServer()); !reflect.DeepEqual(got, want) {
		t.Errorf("ServerDNSNames = %v, want %v", got, want)
	}
}
