package render

import (
	"strings"
	"testing"

	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

func TestRenderSetsNamespaceLabelsOwnerAndTypeOnEveryObject(t *testing.T) {
	for name, in := range map[string]Inputs{"minimal": minimalInputs(), "full": fullInputs()} {
		t.Run(name, func(t *testing.T) {
			objects, err := Render(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, obj := range objects.List() {
				kind := obj.GetObjectKind().GroupVersionKind()
				if kind.Kind == "" || kind.Version == "" {
					t.Errorf("%T %s has no apiVersion/kind", obj, obj.GetName())
				}
				if obj.GetNamespace() != "tenant-a" {
					t.Errorf("%s %s: namespace %q", kind.Kind, obj.GetName(), obj.GetNamespace())
				}
				if obj.GetLabels()[LabelInstance] != "vms" || obj.GetLabels()[LabelManagedBy] != ManagerName {
					t.Errorf("%s %s: labels %v", kind.Kind, obj.GetName(), obj.GetLabels())
				}
				owners := obj.GetOwnerReferences()
				if len(owners) != 1 || owners[0].UID != testUID || owners[0].Kind != "BackupStorageLocationServer" ||
					owners[0].APIVersion != "oadp.openshift.io/v1alpha1" || owners[0].Name != "vms" ||
					owners[0].Controller == nil || !*owners[0].Controller ||
					owners[0].BlockOwnerDeletion == nil || !*owners[0].BlockOwnerDeletion {
					t.Errorf("%s %s: owner references %+v", kind.Kind, obj.GetName(), owners)
				}
			}
		})
	}
}

func TestRenderStatusValues(t *testing.T) {
	want, err := tlscert.Fingerprint(testCertPEM)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url string
		in        Inputs
	}{
		{"default port", "vms.tenant-a.svc:51515", minimalInputs()},
		{"spec.service.port", "vms.tenant-a.svc:443", fullInputs()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objects, err := Render(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if objects.ServiceURL != tt.url || objects.TLSFingerprint != want {
				t.Errorf("ServiceURL %q TLSFingerprint %q, want %q %q", objects.ServiceURL,
					objects.TLSFingerprint, tt.url, want)
			}
			config := objects.ClientConfig.Data
			if config[ClientConfigServiceURLKey] != "https://"+tt.url || config[ClientConfigTLSFingerprintKey] != want ||
				config[ClientConfigCAKey] != string(testCertPEM) {
				t.Errorf("client config %v", config)
			}
			if got := objects.Deployment.Spec.Template.Annotations[AnnotationTLSSHA256]; got != want {
				t.Errorf("pod annotation %s = %q, want %q", AnnotationTLSSHA256, got, want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Inputs)
		reason string // "" means a plain error
		want   string
	}{
		{"unparsable tls.crt", func(in *Inputs) { in.TLSCertPEM = []byte("not a certificate") },
			ReasonTLSSecretInvalid, "Secret tenant-a/vms-tls"},
		{"no image", func(in *Inputs) { in.Image = "" }, "", "no image"},
		{"no server", func(in *Inputs) { in.Server = nil }, "", "Inputs.Server"},
		{"credentials profile missing", func(in *Inputs) { in.BSL.Spec.Config["profile"] = "absent" },
			ReasonCredentialsInvalid, `"absent"`},
		{"azure BSL", func(in *Inputs) { in.BSL.Spec.Provider = "azure" }, ReasonBSLProviderUnsupported, "azure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := minimalInputs()
			tt.edit(&in)
			_, err := Render(in)
			if err == nil {
				t.Fatal("Render succeeded")
			}
			if ReasonOf(err) != tt.reason || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (reason %q), want reason %q containing %q", err, ReasonOf(err), tt.reason, tt.want)
			}
		})
	}
}

func TestRenderUsesSpecImageOverInputsImage(t *testing.T) {
	in := minimalInputs()
	in.Server.Spec.Image = "custom:1"
	objects, err := Render(in)
	if err != nil {
		t.Fatal(err)
	}
	spec := objects.Deployment.Spec.Template.Spec
	for _, c := range append(spec.InitContainers, spec.Containers...) {
		if c.Image != "custom:1" {
			t.Errorf("container %s image %q", c.Name, c.Image)
		}
	}
}
